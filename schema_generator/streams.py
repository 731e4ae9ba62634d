"""The record schema of every stream of STREAMS.md, built from the spec.

Each builder describes the record the connector emits, which is not always the response body:
list streams emit one element of `items`, analytics streams flatten daily rows, and so on.
"""

from typing import Any, Callable

from . import enums
from .enums import AD_ACCOUNT, ANALYTICS_PATHS, PIN_ANALYTICS_PATH, TARGETING_ANALYTICS_PATHS
from .openapi import OpenApiSpec, Schema, date_schema, nullable

JSON_SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"

LIST_PATHS = {
    "boards": "/boards",
    "board_sections": "/boards/{board_id}/sections",
    "board_pins": "/boards/{board_id}/pins",
    "board_section_pins": "/boards/{board_id}/sections/{section_id}/pins",
    "pins": "/pins",
    "ad_accounts": "/ad_accounts",
    "campaigns": f"{AD_ACCOUNT}/campaigns",
    "ad_groups": f"{AD_ACCOUNT}/ad_groups",
    "ads": f"{AD_ACCOUNT}/ads",
    "product_group_promotions": f"{AD_ACCOUNT}/product_group_promotions",
    "audiences": f"{AD_ACCOUNT}/audiences",
    "keywords": f"{AD_ACCOUNT}/keywords",
    "campaign_keywords": f"{AD_ACCOUNT}/keywords",
    "conversion_tags": f"{AD_ACCOUNT}/conversion_tags",  # not paged, but still {"items": [...]}
    "customer_lists": f"{AD_ACCOUNT}/customer_lists",
    "catalogs": "/catalogs",
    "catalogs_feeds": "/catalogs/feeds",
    "catalogs_product_groups": "/catalogs/product_groups",
}
# Properties the connector removes from records before emitting them.
STRIPPED_PROPERTIES = {"catalogs_feeds": ["credentials"]}

USER_ACCOUNT_PATH = "/user_account"
USER_ACCOUNT_ANALYTICS_PATH = "/user_account/analytics"
TOP_PINS_PATH = "/user_account/analytics/top_pins"

# The entity id column of each synchronous analytics level (the primary key with DATE).
ANALYTICS_ID_COLUMNS = {
    "ad_account_analytics": "AD_ACCOUNT_ID",
    "campaign_analytics": "CAMPAIGN_ID",
    "ad_group_analytics": "AD_GROUP_ID",
    "ad_analytics": "AD_ID",
    "product_group_analytics": "PRODUCT_GROUP_ID",
    "ad_account_targeting_analytics": "AD_ACCOUNT_ID",
    "campaign_targeting_analytics": "CAMPAIGN_ID",
    "ad_group_targeting_analytics": "AD_GROUP_ID",
    "ad_targeting_analytics": "AD_ID",
}
TARGETING_COLUMNS = ["TARGETING_TYPE", "TARGETING_VALUE"]

REPORT_STREAM_LEVELS = {
    "advertiser_report": "ADVERTISER",
    "advertiser_targeting_report": "ADVERTISER_TARGETING",
    "campaign_analytics_report": "CAMPAIGN",
    "campaign_targeting_report": "CAMPAIGN_TARGETING",
    "ad_group_report": "AD_GROUP",
    "ad_group_targeting_report": "AD_GROUP_TARGETING",
    "pin_promotion_report": "PIN_PROMOTION",
    "pin_promotion_targeting_report": "PIN_PROMOTION_TARGETING",
    "product_group_report": "PRODUCT_GROUP",
    "product_group_targeting_report": "PRODUCT_GROUP_TARGETING",
    "product_item_report": "PRODUCT_ITEM",
    "keyword_report": "KEYWORD",
}
# Id columns of report rows per level, as the report column names spell them (ReportingColumnAsync,
# and TemplateResponse for KEYWORD_ID / ITEM_ID / PRODUCT_ITEM_ID, which the request enum lacks).
# The spec does not say which of ITEM_ID / PRODUCT_ITEM_ID product item rows carry: both are kept.
REPORT_LEVEL_ID_COLUMNS = {
    "ADVERTISER": ["ADVERTISER_ID"],
    "CAMPAIGN": ["CAMPAIGN_ID"],
    "AD_GROUP": ["AD_GROUP_ID"],
    "PIN_PROMOTION": ["PIN_PROMOTION_ID"],
    "PRODUCT_GROUP": ["PRODUCT_GROUP_ID"],
    "PRODUCT_ITEM": ["ITEM_ID", "PRODUCT_ITEM_ID"],
    "KEYWORD": ["KEYWORD_ID"],
}
TARGETING_LEVEL_SUFFIX = "_TARGETING"
CUSTOM_REPORT_STREAM = "custom_report"

# Report columns that hold text rather than numbers: ids, names, statuses... and every product item
# attribute (PRODUCT_ITEM_PRICE is catalog text such as "24.99 USD").
_STRING_COLUMN_SUFFIXES = ("_ID", "_NAME", "_STATUS", "_LABEL", "_LABELS", "_TYPE", "_URL", "_TAG", "_OPTIMIZATION")
_STRING_COLUMN_PREFIXES = ("PRODUCT_ITEM_",)
_STRING_COLUMNS = {"TARGETING_VALUE"}


def column_schema(column: str) -> Schema:
    """Type of an analytics/report column, from its name: ids, names and statuses are strings."""
    if column == "DATE":
        return date_schema()
    if column.startswith("IS_"):
        return nullable("boolean")
    if column.endswith(_STRING_COLUMN_SUFFIXES) or column.startswith(_STRING_COLUMN_PREFIXES) or column in _STRING_COLUMNS:
        return nullable("string")
    return nullable("number")


def record_schema(properties: dict[str, Schema]) -> Schema:
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "type": "object",
        "additionalProperties": True,
        "properties": properties,
    }


def _at(schema: Schema, *keys: str) -> Schema:
    for key in keys:
        schema = schema[key]
    return schema


def _raw_at(spec: OpenApiSpec, schema: dict, *keys: str) -> dict:
    """Walk the unconverted spec, following $refs on the way."""
    schema = spec.resolve(schema)
    for key in keys:
        schema = spec.resolve(schema[key])
    return schema


def _columns_properties(columns: list[str]) -> dict[str, Schema]:
    return {column: column_schema(column) for column in ["DATE", *columns]}


def _daily_row(row: Schema, metric_names: list[str]) -> Schema:
    """Give `metrics` one number property per metric the spec names, and `date` a date format
    (the spec types it as a plain string described as YYYY-MM-DD)."""
    properties = dict(row["properties"])
    properties["metrics"] = {**properties["metrics"], "properties": {name: nullable("number") for name in metric_names}}
    if "date" in properties:
        properties["date"] = {**properties["date"], "format": "date"}
    return {**row, "properties": properties}


def _list_stream(spec: OpenApiSpec, stream: str) -> Schema:
    response = spec.to_json_schema(spec.response_schema(LIST_PATHS[stream]))
    properties = dict(_at(response, "properties", "items", "items", "properties"))
    for name in STRIPPED_PROPERTIES.get(stream, []):
        del properties[name]
    return record_schema(properties)


def _user_account(spec: OpenApiSpec) -> Schema:
    return record_schema(spec.to_json_schema(spec.response_schema(USER_ACCOUNT_PATH))["properties"])


def _organic_metric_names(spec: OpenApiSpec, path: str, metrics_schema: dict) -> list[str]:
    """The metric_types enum plus the metrics the response example shows (e.g. VIDEO_* by default)."""
    requested = spec.enum_values(spec.parameter(path, "metric_types")["schema"])
    return list(dict.fromkeys([*requested, *metrics_schema.get("example", {})]))


def _user_account_analytics(spec: OpenApiSpec) -> Schema:
    raw_response = spec.response_schema(USER_ACCOUNT_ANALYTICS_PATH)
    daily_metrics = ("additionalProperties", "properties", "daily_metrics", "items")
    raw_metrics = _raw_at(spec, raw_response, *daily_metrics, "properties", "metrics")
    row = _at(spec.to_json_schema(raw_response), *daily_metrics)
    row = _daily_row(row, _organic_metric_names(spec, USER_ACCOUNT_ANALYTICS_PATH, raw_metrics))
    return record_schema(row["properties"])


def _pin_analytics(spec: OpenApiSpec) -> Schema:
    # The response maps pin id -> split key ("all" without split_field) -> metrics; the
    # connector emits each daily row with the pin id in `pin_id`.
    raw_response = spec.response_schema(PIN_ANALYTICS_PATH)
    daily_metrics = ("additionalProperties", "additionalProperties", "properties", "daily_metrics", "items")
    raw_metrics = _raw_at(spec, raw_response, *daily_metrics, "properties", "metrics")
    row = _at(spec.to_json_schema(raw_response), *daily_metrics)
    row = _daily_row(row, _organic_metric_names(spec, PIN_ANALYTICS_PATH, raw_metrics))
    return record_schema({"pin_id": nullable("string"), **row["properties"]})


def _user_account_top_pins(spec: OpenApiSpec) -> Schema:
    raw_response = spec.response_schema(TOP_PINS_PATH)
    raw_metrics = _raw_at(spec, raw_response, "properties", "pins", "items", "properties", "metrics")
    pin = _at(spec.to_json_schema(raw_response), "properties", "pins", "items")
    pin = _daily_row(pin, _organic_metric_names(spec, TOP_PINS_PATH, raw_metrics))
    window = {"start_date": date_schema(), "end_date": date_schema(), "sort_by": nullable("string")}
    return record_schema({**pin["properties"], **window})


def _analytics_stream(spec: OpenApiSpec, stream: str) -> Schema:
    path = ANALYTICS_PATHS[stream]
    properties = _columns_properties([ANALYTICS_ID_COLUMNS[stream], *enums.analytics_columns(spec, path)])
    response_row = _at(spec.to_json_schema(spec.response_schema(path)), "items")
    properties.update(response_row.get("properties", {}))  # declared DATE / id, with descriptions
    return record_schema(properties)


def _targeting_analytics_stream(spec: OpenApiSpec, stream: str) -> Schema:
    # A response element {targeting_type, targeting_value, metrics: {<id>, DATE, <columns>}}
    # becomes the row metrics + TARGETING_TYPE + TARGETING_VALUE.
    columns = [ANALYTICS_ID_COLUMNS[stream], *TARGETING_COLUMNS]
    columns += enums.analytics_columns(spec, TARGETING_ANALYTICS_PATHS[stream])
    return record_schema(_columns_properties(columns))


def report_id_columns(level: str) -> list[str]:
    base_level = level.removesuffix(TARGETING_LEVEL_SUFFIX)
    targeting = TARGETING_COLUMNS if level.endswith(TARGETING_LEVEL_SUFFIX) else []
    return [*REPORT_LEVEL_ID_COLUMNS[base_level], *targeting]


def _report_stream(spec: OpenApiSpec, stream: str) -> Schema:
    level = REPORT_STREAM_LEVELS[stream]
    columns = enums.product_item_report_columns(spec) if level == "PRODUCT_ITEM" else enums.report_columns(spec)
    return record_schema(_columns_properties([*report_id_columns(level), *columns]))


def _custom_report(spec: OpenApiSpec) -> Schema:
    """Base schema of custom reports: any level's ids, targeting columns and every column."""
    id_columns = [column for columns in REPORT_LEVEL_ID_COLUMNS.values() for column in columns]
    return record_schema(_columns_properties([*id_columns, *TARGETING_COLUMNS, *enums.report_columns(spec)]))


def _builders() -> dict[str, Callable[[OpenApiSpec], Schema]]:
    def bind(builder: Callable[[OpenApiSpec, str], Schema], stream: str) -> Callable[[OpenApiSpec], Schema]:
        return lambda spec: builder(spec, stream)

    builders: dict[str, Callable[[OpenApiSpec], Schema]] = {
        "user_account": _user_account,
        "user_account_analytics": _user_account_analytics,
        "pin_analytics": _pin_analytics,
        "user_account_top_pins": _user_account_top_pins,
        CUSTOM_REPORT_STREAM: _custom_report,
    }
    builders |= {stream: bind(_list_stream, stream) for stream in LIST_PATHS}
    builders |= {stream: bind(_analytics_stream, stream) for stream in ANALYTICS_PATHS}
    builders |= {stream: bind(_targeting_analytics_stream, stream) for stream in TARGETING_ANALYTICS_PATHS}
    builders |= {stream: bind(_report_stream, stream) for stream in REPORT_STREAM_LEVELS}
    return builders


def build_schemas(spec: OpenApiSpec) -> dict[str, Any]:
    """Schema of every stream (plus the custom report base schema), keyed by file stem."""
    return {stream: build(spec) for stream, build in sorted(_builders().items())}
