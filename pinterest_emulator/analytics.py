"""Synchronous ads analytics and targeting analytics of the Pinterest API v5 emulator.

Routes (category ``ads_analytics``):
- ``GET /ad_accounts/{ad_account_id}/analytics`` and ``/campaigns|ad_groups|ads|product_groups/analytics``
  answer a flat list of rows: the entity id column (``AD_ACCOUNT_ID``, ``CAMPAIGN_ID``,
  ``AD_GROUP_ID``, ``AD_ID``, ``PRODUCT_GROUP_ID``, ids as strings), ``DATE`` (not for TOTAL)
  and the requested columns.
- ``GET /ad_accounts/{ad_account_id}/targeting_analytics`` and
  ``/campaigns|ad_groups|ads/targeting_analytics`` answer ``{"data": [{"targeting_type",
  "targeting_value", "metrics": {<ID column>: <int id>, "DATE", <columns>...}}]}``; ids inside
  ``metrics`` and numeric targeting values are integers, as in the spec's example.

Pure helpers giving exactly what the endpoints answer (``today`` is the emulator's date,
``conversion_revision`` its option of that name):
- ``expected_ads_analytics_rows(dataset, level, ad_account_id, entity_ids, start, end, columns,
  attribution=None, *, granularity="DAY", today, conversion_revision=0) -> list[dict]``
- ``expected_targeting_analytics_rows(dataset, level, ad_account_id, entity_ids, start, end,
  columns, targeting_types, attribution=None, *, granularity="DAY", today,
  conversion_revision=0) -> list[dict]`` (the ``data`` list)
``level`` is ADVERTISER (alias AD_ACCOUNT), CAMPAIGN, AD_GROUP, AD or PRODUCT_GROUP; ``entity_ids``
is ignored for ADVERTISER; ``attribution`` is a ``metrics.Attribution`` or a dict of the
attribution parameters.

Options (``options.extra``): ``conversion_revision`` (int, default 0) revises conversion values of
the last days; ``analytics_transient_errors`` (int, default 0): the first N analytics calls
(ads, targeting and organic) fail with ``analytics_transient_error`` = ``"retry_after"`` (HTTP 400
code 1 "Retry after N seconds", N = ``analytics_retry_after_seconds``, default 1) or ``"code_12"``
(HTTP 400 code 12); both are retryable per Pinterest. ``malformed_records`` (bool): the first row of
each answer has SPEND_IN_DOLLAR "n/a" (and, in entities.py, each account's first campaign no updated_time).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from . import organic_analytics  # noqa: F401  (registers the organic analytics routes)
from .analytics_state import inject_transient_error
from .metrics import Attribution
from .analytics_params import (
    check_columns,
    check_enum,
    check_ids_belong,
    check_list,
    check_window,
    invalid,
    parse_attribution,
    parse_day,
    require,
)
from .reporting_entities import ID_COLUMN, entities, entities_by_id, find_ad_account
from .routing import ApiError, Request, Response, route
from .rows import GRANULARITIES, entity_rows, parse_date, targeting_pairs

MAX_IDS = 250
MAX_PIN_IDS = 100
REPORTING_TIMEZONES = ("PINTEREST_TIME_ZONE", "AD_ACCOUNT_TIME_ZONE")
ATTRIBUTION_TYPES = ("INDIVIDUAL", "HOUSEHOLD")
ATTRIBUTION_PARAMETERS = ("click_window_days", "engagement_window_days", "view_window_days", "conversion_report_time")

_COMMON_TARGETING = (
    "KEYWORD", "APPTYPE", "GENDER", "LOCATION", "PLACEMENT", "COUNTRY", "TARGETED_INTEREST",
    "PINNER_INTEREST", "AUDIENCE_INCLUDE", "GEO", "AGE_BUCKET", "REGION", "AGE_BUCKET_AND_GENDER",
)
# Per endpoint, as the spec lists them: (allowed targeting types, maxItems).
TARGETING_TYPES = {
    "ADVERTISER": (_COMMON_TARGETING, 15),
    "CAMPAIGN": (_COMMON_TARGETING + ("CREATIVE_TYPE", "AUDIENCE_MULTIPLIER"), 14),
    "AD_GROUP": (_COMMON_TARGETING + ("CREATIVE_ENHANCEMENTS",), 14),
    "AD": (_COMMON_TARGETING + ("QUIZ_RESULT",), 14),
}


def _level(level: str) -> str:
    return "ADVERTISER" if level == "AD_ACCOUNT" else level


def _selected(dataset: Any, level: str, ad_account_id: str, entity_ids: Sequence[str] | None) -> list:
    if level == "ADVERTISER":
        return entities(dataset, ad_account_id, level)
    known = entities_by_id(dataset, ad_account_id, level)
    return [known[entity_id] for entity_id in dict.fromkeys(entity_ids or ()) if entity_id in known]


def _attribution(attribution: Attribution | dict | None) -> Attribution:
    return attribution if isinstance(attribution, Attribution) else Attribution.from_mapping(attribution)


def expected_ads_analytics_rows(
    dataset: Any,
    level: str,
    ad_account_id: str,
    entity_ids: Sequence[str] | None,
    start: date | str,
    end: date | str,
    columns: Sequence[str],
    attribution: Attribution | dict | None = None,
    *,
    granularity: str = "DAY",
    today: date,
    conversion_revision: int = 0,
) -> list[dict]:
    level = _level(level)
    id_column = ID_COLUMN[level]
    rows = []
    for entity in _selected(dataset, level, ad_account_id, entity_ids):
        for row in entity_rows(
            entity, columns, parse_date(start), parse_date(end), granularity, _attribution(attribution),
            today=today, conversion_revision=conversion_revision,
        ):
            rows.append({id_column: entity.id, **row})
    return rows


def _numeric(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


def expected_targeting_analytics_rows(
    dataset: Any,
    level: str,
    ad_account_id: str,
    entity_ids: Sequence[str] | None,
    start: date | str,
    end: date | str,
    columns: Sequence[str],
    targeting_types: Sequence[str],
    attribution: Attribution | dict | None = None,
    *,
    granularity: str = "DAY",
    today: date,
    conversion_revision: int = 0,
) -> list[dict]:
    level = _level(level)
    id_column = ID_COLUMN[level]
    data = []
    for entity in _selected(dataset, level, ad_account_id, entity_ids):
        for targeting in targeting_pairs(targeting_types):
            for row in entity_rows(
                entity, columns, parse_date(start), parse_date(end), granularity, _attribution(attribution),
                today=today, conversion_revision=conversion_revision, targeting=targeting,
            ):
                data.append(
                    {
                        "targeting_type": targeting[0],
                        "targeting_value": targeting[1],
                        "metrics": {id_column: _numeric(entity.id), **row},
                    }
                )
    return data


def require_ad_account(request: Request) -> str:
    ad_account_id = request.path_params["ad_account_id"]
    if find_ad_account(request.emulator.dataset, ad_account_id) is None:
        raise ApiError(403, 29, f"You are not permitted to access ad account {ad_account_id}")
    return ad_account_id


class AnalyticsQuery:
    """The parameters every synchronous ads analytics operation shares, validated."""

    def __init__(self, request: Request):
        self.today = request.emulator.today()
        self.granularity = check_enum(require(request.arg("granularity"), "granularity"), GRANULARITIES, "granularity")
        self.start = parse_day(request.arg("start_date"), "start_date")
        self.end = parse_day(request.arg("end_date"), "end_date")
        if self.granularity == "HOUR":
            check_window(self.start, self.end, self.today, 8, 3, "HOUR granularity")
        else:
            check_window(self.start, self.end, self.today, 90, 90, "synchronous analytics")
        self.columns = check_columns(request.list_arg("columns"), report=False)
        self.attribution = parse_attribution({name: request.arg(name) for name in ATTRIBUTION_PARAMETERS})
        if request.arg("reporting_timezone") is not None:
            check_enum(request.arg("reporting_timezone"), REPORTING_TIMEZONES, "reporting_timezone")
        self.conversion_revision = int(request.emulator.options.extra.get("conversion_revision", 0) or 0)


def _entity_ids(request: Request, name: str, ad_account_id: str, level: str, required: bool = True) -> list[str]:
    ids = request.list_arg(name)
    if required:
        require(ids, name)
    check_list(ids, name, MAX_IDS)
    check_ids_belong(ids, entities_by_id(request.emulator.dataset, ad_account_id, level), name, ad_account_id)
    return ids


def _answer_rows(request: Request, level: str, ids: list[str] | None) -> Response:
    query = AnalyticsQuery(request)
    rows = expected_ads_analytics_rows(
        request.emulator.dataset, level, request.path_params["ad_account_id"], ids, query.start, query.end,
        query.columns, query.attribution, granularity=query.granularity, today=query.today,
        conversion_revision=query.conversion_revision,
    )
    if request.emulator.options.extra.get("malformed_records") and rows and "SPEND_IN_DOLLAR" in rows[0]:
        rows[0] = {**rows[0], "SPEND_IN_DOLLAR": "n/a"}  # a fault: a metric that is not a number
    return Response(body=rows)


@route("GET", "/ad_accounts/{ad_account_id}/analytics", "ads_analytics")
def ad_account_analytics(request: Request) -> Response:
    inject_transient_error(request)
    require_ad_account(request)
    return _answer_rows(request, "ADVERTISER", None)


@route("GET", "/ad_accounts/{ad_account_id}/campaigns/analytics", "ads_analytics")
def campaign_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_rows(request, "CAMPAIGN", _entity_ids(request, "campaign_ids", account, "CAMPAIGN"))


@route("GET", "/ad_accounts/{ad_account_id}/ad_groups/analytics", "ads_analytics")
def ad_group_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_rows(request, "AD_GROUP", _entity_ids(request, "ad_group_ids", account, "AD_GROUP"))


@route("GET", "/ad_accounts/{ad_account_id}/product_groups/analytics", "ads_analytics")
def product_group_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_rows(request, "PRODUCT_GROUP", _entity_ids(request, "product_group_ids", account, "PRODUCT_GROUP"))


@route("GET", "/ad_accounts/{ad_account_id}/ads/analytics", "ads_analytics")
def ad_analytics(request: Request) -> Response:
    """Ads filtered by ``ad_ids``, ``pin_ids`` and ``campaign_ids`` (all given filters apply)."""
    inject_transient_error(request)
    account = require_ad_account(request)
    dataset = request.emulator.dataset
    ad_ids = _entity_ids(request, "ad_ids", account, "AD", required=False)
    campaign_ids = _entity_ids(request, "campaign_ids", account, "CAMPAIGN", required=False)
    pin_ids = check_list(request.list_arg("pin_ids"), "pin_ids", MAX_PIN_IDS)
    if not (ad_ids or campaign_ids or pin_ids):
        raise invalid("One of ad_ids, pin_ids or campaign_ids is required")
    ad_ids, campaign_ids, pin_ids = set(ad_ids or ()), set(campaign_ids or ()), set(pin_ids or ())
    selected = [
        entity.id
        for entity in entities(dataset, account, "AD")
        if (not ad_ids or entity.id in ad_ids)
        and (not campaign_ids or entity.attributes.get("CAMPAIGN_ID") in campaign_ids)
        and (not pin_ids or entity.attributes.get("PIN_ID") in pin_ids)
    ]
    return _answer_rows(request, "AD", selected)


def _answer_targeting(request: Request, level: str, ids: list[str] | None) -> Response:
    allowed, max_items = TARGETING_TYPES[level]
    targeting_types = request.list_arg("targeting_types")
    require(targeting_types, "targeting_types")
    check_list(targeting_types, "targeting_types", max_items, allowed)
    check_list(request.list_arg("attribution_types"), "attribution_types", 2, ATTRIBUTION_TYPES)
    query = AnalyticsQuery(request)
    data = expected_targeting_analytics_rows(
        request.emulator.dataset, level, request.path_params["ad_account_id"], ids, query.start, query.end,
        query.columns, targeting_types, query.attribution, granularity=query.granularity, today=query.today,
        conversion_revision=query.conversion_revision,
    )
    return Response(body={"data": data})


@route("GET", "/ad_accounts/{ad_account_id}/targeting_analytics", "ads_analytics")
def ad_account_targeting_analytics(request: Request) -> Response:
    inject_transient_error(request)
    require_ad_account(request)
    return _answer_targeting(request, "ADVERTISER", None)


@route("GET", "/ad_accounts/{ad_account_id}/campaigns/targeting_analytics", "ads_analytics")
def campaign_targeting_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_targeting(request, "CAMPAIGN", _entity_ids(request, "campaign_ids", account, "CAMPAIGN"))


@route("GET", "/ad_accounts/{ad_account_id}/ad_groups/targeting_analytics", "ads_analytics")
def ad_group_targeting_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_targeting(request, "AD_GROUP", _entity_ids(request, "ad_group_ids", account, "AD_GROUP"))


@route("GET", "/ad_accounts/{ad_account_id}/ads/targeting_analytics", "ads_analytics")
def ad_targeting_analytics(request: Request) -> Response:
    inject_transient_error(request)
    account = require_ad_account(request)
    return _answer_targeting(request, "AD", _entity_ids(request, "ad_ids", account, "AD"))
