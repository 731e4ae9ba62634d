"""The enum values the connector sends to the API (columns, targeting types, levels, ...).

Values are taken from the spec in its order. A value is left out only when the spec's own
descriptions say the API refuses it for most callers or for the levels the connector uses:
asking for one refused value fails the whole call, so the stream would lose every row.
"""

from .openapi import OpenApiSpec

AD_ACCOUNT = "/ad_accounts/{ad_account_id}"
REPORTS_PATH = f"{AD_ACCOUNT}/reports"
PIN_ANALYTICS_PATH = "/pins/analytics"
TOP_PINS_PATH = "/user_account/analytics/top_pins"

ANALYTICS_PATHS = {
    "ad_account_analytics": f"{AD_ACCOUNT}/analytics",
    "campaign_analytics": f"{AD_ACCOUNT}/campaigns/analytics",
    "ad_group_analytics": f"{AD_ACCOUNT}/ad_groups/analytics",
    "ad_analytics": f"{AD_ACCOUNT}/ads/analytics",
    "product_group_analytics": f"{AD_ACCOUNT}/product_groups/analytics",
}
TARGETING_ANALYTICS_PATHS = {
    "ad_account_targeting_analytics": f"{AD_ACCOUNT}/targeting_analytics",
    "campaign_targeting_analytics": f"{AD_ACCOUNT}/campaigns/targeting_analytics",
    "ad_group_targeting_analytics": f"{AD_ACCOUNT}/ad_groups/targeting_analytics",
    "ad_targeting_analytics": f"{AD_ACCOUNT}/ads/targeting_analytics",
}

# Targeting types of GET .../targeting_analytics that the parameter descriptions mark as
# "in BETA and not yet available to all users". Leaving them out also keeps the campaign list
# (15 values in the enum) within the parameter's maxItems of 14.
EXCLUDED_TARGETING_TYPES = {
    "AGE_BUCKET_AND_GENDER": "BETA, not available to all users (all four targeting endpoints)",
    "CREATIVE_ENHANCEMENTS": "BETA, not available to all users (ad group targeting endpoint)",
}

# Targeting types of the async report request (its targeting_types description).
EXCLUDED_REPORT_TARGETING_TYPES = {
    "AGE_BUCKET_AND_GENDER": "BETA, not available to all users",
    "CREATIVE_ENHANCEMENTS": "BETA, not available to all users (per the ad group targeting endpoint)",
    "AUDIENCE_MULTIPLIER": "only accepted at the CAMPAIGN_TARGETING level",
    "MEDIA_TYPE": "only accepted at the PRODUCT_ITEM_TARGETING level",
}


def _without(values: list[str], excluded: dict[str, str]) -> list[str]:
    return [value for value in values if value not in excluded]


def analytics_columns(spec: OpenApiSpec, path: str) -> list[str]:
    return spec.enum_values(spec.parameter(path, "columns")["schema"])


def targeting_types(spec: OpenApiSpec, path: str) -> list[str]:
    values = spec.enum_values(spec.parameter(path, "targeting_types")["schema"])
    return _without(values, EXCLUDED_TARGETING_TYPES)


def _report_request_property(spec: OpenApiSpec, name: str) -> dict:
    """A property of the report request body, wherever its allOf parts declare it."""
    pending = [spec.request_body_schema(REPORTS_PATH)]
    while pending:
        schema = spec.resolve(pending.pop())
        if name in schema.get("properties", {}):
            return schema["properties"][name]
        pending.extend(schema.get("allOf", []))
    raise KeyError(f"the report request has no property {name!r}")


def report_columns(spec: OpenApiSpec) -> list[str]:
    return spec.enum_values(_report_request_property(spec, "columns"))


def product_item_report_columns(spec: OpenApiSpec) -> list[str]:
    """The columns description: pin promotion and ad columns are not supported at PRODUCT_ITEM level."""
    return [column for column in report_columns(spec) if not _is_pin_promotion_or_ad_column(column)]


def _is_pin_promotion_or_ad_column(column: str) -> bool:
    if column.startswith("PIN_PROMOTION_"):
        return True
    return column.startswith("AD_") and not column.startswith(("AD_GROUP_", "AD_ACCOUNT_"))


def report_targeting_types(spec: OpenApiSpec) -> list[str]:
    values = spec.enum_values(_report_request_property(spec, "targeting_types"))
    return _without(values, EXCLUDED_REPORT_TARGETING_TYPES)


def report_levels(spec: OpenApiSpec) -> list[str]:
    return spec.enum_values(_report_request_property(spec, "level"))


def report_granularities(spec: OpenApiSpec) -> list[str]:
    return spec.enum_values(_report_request_property(spec, "granularity"))


def pin_metric_types(spec: OpenApiSpec) -> list[str]:
    """Standard and video pin metrics (the parameter's oneOf), merged."""
    return spec.enum_values(spec.parameter(PIN_ANALYTICS_PATH, "metric_types")["schema"])


def top_pins_sort_by(spec: OpenApiSpec) -> list[str]:
    """The orders GET /user_account/analytics/top_pins ranks by (one call each)."""
    return spec.enum_values(spec.parameter(TOP_PINS_PATH, "sort_by")["schema"])
