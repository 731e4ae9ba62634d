"""Organic analytics of the Pinterest API v5 emulator (category ``org_analytics``).

Routes and response shapes (the spec's AnalyticsResponse, BulkPinAnalyticsResponse and
TopPinsAnalyticsResponse):
- ``GET /user_account/analytics`` -> ``{"all": {"daily_metrics": [{"date", "data_status",
  "metrics"}], "summary_metrics": {...}}}``; with ``split_field`` the keys are the split's values
  (e.g. ``MOBILE``, ``TABLET``, ``WEB`` for APP_TYPE) instead of ``all``.
- ``GET /pins/analytics`` -> ``{"<pin_id>": {"all": {"daily_metrics": [...],
  "summary_metrics": {...}, "lifetime_metrics": {...}}}}``.
- ``GET /user_account/analytics/top_pins`` -> ``{"date_availability": {...}, "pins": [{"pin_id",
  "metrics", "data_status": {<metric>: "READY"}}], "sort_by": ...}``.

Daily entries exist for every date of the range up to today: today is ``PROCESSING`` with empty
metrics, days before a pin's creation are ``BEFORE_PIN_CREATED`` with empty metrics, others
``READY``. Summary metrics add the READY days' counts; rates are recomputed from those sums.
Limits: start_date at most 90 days back, range at most 90 days, 100 pin ids, 50 top pins.

Pure helpers (``today`` is the emulator's date):
- ``expected_user_account_analytics(dataset, start, end, metric_types=None, *, today,
  split_field="NO_SPLIT", filters=None) -> dict``
- ``expected_pin_analytics(dataset, pin_ids, start, end, metric_types, *, today, app_types="ALL") -> dict``
- ``expected_top_pins(dataset, start, end, sort_by, *, today, num_of_pins=10, metric_types=None,
  created_in_last_n_days=None, filters=None) -> dict``
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Sequence

from .analytics_state import inject_transient_error
from .analytics_params import check_enum, check_list, check_window, invalid, parse_day, require
from .routing import ApiError, Request, Response, route
from .rows import days_between, parse_date

ACCOUNT_METRICS = (
    "ENGAGEMENT", "ENGAGEMENT_RATE", "IMPRESSION", "OUTBOUND_CLICK", "OUTBOUND_CLICK_RATE",
    "PIN_CLICK", "PIN_CLICK_RATE", "SAVE", "SAVE_RATE",
)
PIN_METRICS = (
    "IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE", "SAVE_RATE", "TOTAL_COMMENTS", "TOTAL_REACTIONS",
    "USER_FOLLOW", "PROFILE_VISIT", "VIDEO_MRC_VIEW", "VIDEO_10S_VIEW", "QUARTILE_95_PERCENT_VIEW",
    "VIDEO_V50_WATCH_TIME", "VIDEO_START", "VIDEO_AVG_WATCH_TIME",
)
SORT_BY = ("ENGAGEMENT", "IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE")
SPLITS = {
    "NO_SPLIT": ("all",),
    "APP_TYPE": ("MOBILE", "TABLET", "WEB"),
    "OWNED_CONTENT": ("OTHER", "CLAIMED"),
    "SOURCE": ("YOUR_PINS", "OTHER_PINS"),
    "PIN_FORMAT": ("ORGANIC_IMAGE", "ORGANIC_PRODUCT", "ORGANIC_VIDEO", "ADS_STANDARD", "ADS_PRODUCT", "ADS_VIDEO", "ADS_IDEA"),
}
FILTERS = {
    "from_claimed_content": ("BOTH", "OTHER", "CLAIMED"),
    "pin_format": ("ALL",) + SPLITS["PIN_FORMAT"],
    "app_types": ("ALL", "MOBILE", "TABLET", "WEB"),
    "content_type": ("ALL", "PAID", "ORGANIC"),
    "source": ("ALL", "YOUR_PINS", "OTHER_PINS"),
}
_RATES = {"ENGAGEMENT_RATE": "ENGAGEMENT", "OUTBOUND_CLICK_RATE": "OUTBOUND_CLICK", "PIN_CLICK_RATE": "PIN_CLICK", "SAVE_RATE": "SAVE"}
MAX_DAYS = 90


def _uniforms(key: str, day: date) -> list[float]:
    digest = hashlib.blake2b(f"organic|{key}|{day}".encode(), digest_size=48).digest()
    return [int.from_bytes(digest[i : i + 4], "big") / 2**32 for i in range(0, 48, 4)]


def _counts(key: str, day: date) -> dict[str, int | float]:
    """Consistent counts of one day: engagements never exceed impressions, and so on."""
    u = _uniforms(key, day)
    impressions = 0 if u[0] < 0.1 else int(u[1] * 2000)
    engagement = int(impressions * u[2] * 0.1)
    pin_click = int(engagement * u[3] * 0.6)
    return {
        "IMPRESSION": impressions,
        "ENGAGEMENT": engagement,
        "SAVE": int(engagement * u[4] * 0.4),
        "PIN_CLICK": pin_click,
        "OUTBOUND_CLICK": int(pin_click * u[5] * 0.5),
        "TOTAL_COMMENTS": int(engagement * u[6] * 0.05),
        "TOTAL_REACTIONS": int(engagement * u[7] * 0.1),
        "USER_FOLLOW": int(engagement * u[8] * 0.02),
        "PROFILE_VISIT": int(engagement * u[9] * 0.1),
        "VIDEO_START": int(impressions * u[10] * 0.2),
        "VIDEO_MRC_VIEW": int(impressions * u[10] * 0.1),
        "VIDEO_10S_VIEW": int(impressions * u[10] * 0.05),
        "QUARTILE_95_PERCENT_VIEW": int(impressions * u[10] * 0.02),
        "VIDEO_V50_WATCH_TIME": int(impressions * u[11] * 30),
        "VIDEO_AVG_WATCH_TIME": round(u[11] * 5000, 2),
    }


def _select(totals: dict[str, int | float], metric_types: Sequence[str]) -> dict[str, int | float]:
    selected = {}
    for metric in metric_types:
        if metric in _RATES:
            impressions = totals.get("IMPRESSION", 0)
            selected[metric] = round(totals[_RATES[metric]] / impressions, 4) if impressions else 0
        else:
            selected[metric] = totals[metric]
    return selected


def _series(key: str, start: date, end: date, metric_types: Sequence[str], today: date, created: date) -> tuple[list, dict]:
    daily, totals = [], {}
    for day in days_between(start, min(end, today)):
        if day < created:
            daily.append({"date": day.isoformat(), "data_status": "BEFORE_PIN_CREATED", "metrics": {}})
        elif day == today:
            daily.append({"date": day.isoformat(), "data_status": "PROCESSING", "metrics": {}})
        else:
            counts = _counts(key, day)
            daily.append({"date": day.isoformat(), "data_status": "READY", "metrics": _select(counts, metric_types)})
            for name, value in counts.items():
                if isinstance(value, int):
                    totals[name] = totals.get(name, 0) + value
    summary_source = {**{name: 0 for name in _counts(key, start)}, **totals}
    if "VIDEO_AVG_WATCH_TIME" in metric_types:
        starts = summary_source["VIDEO_START"]
        summary_source["VIDEO_AVG_WATCH_TIME"] = round(summary_source["VIDEO_V50_WATCH_TIME"] / starts, 2) if starts else 0
    return daily, _select(summary_source, metric_types)


def _filters_key(filters: dict[str, str] | None) -> str:
    return "|".join(f"{name}={value}" for name, value in sorted((filters or {}).items()) if value != FILTERS[name][0])


def _user_key(dataset: Any) -> str:
    return f"user:{dataset.user_account.get('username') or dataset.user_account.get('id')}"


def expected_user_account_analytics(
    dataset: Any,
    start: date | str,
    end: date | str,
    metric_types: Sequence[str] | None = None,
    *,
    today: date,
    split_field: str = "NO_SPLIT",
    filters: dict[str, str] | None = None,
) -> dict:
    metric_types = list(metric_types or ACCOUNT_METRICS)
    body = {}
    for group in SPLITS[split_field]:
        key = f"{_user_key(dataset)}|{_filters_key(filters)}|{group}"
        daily, summary = _series(key, parse_date(start), parse_date(end), metric_types, today, date.min)
        body[group] = {"daily_metrics": daily, "summary_metrics": summary}
    return body


def pin_created(pin: dict) -> date:
    value = pin.get("created_at")
    return date.fromisoformat(str(value)[:10]) if value else date.min


def _pins_by_id(dataset: Any) -> dict[str, dict]:
    return {str(pin["id"]): pin for pin in dataset.pins}


def expected_pin_analytics(
    dataset: Any,
    pin_ids: Sequence[str],
    start: date | str,
    end: date | str,
    metric_types: Sequence[str],
    *,
    today: date,
    app_types: str = "ALL",
) -> dict:
    pins = _pins_by_id(dataset)
    body = {}
    for pin_id in dict.fromkeys(pin_ids):
        key = f"pin:{pin_id}|{app_types}"
        daily, summary = _series(key, parse_date(start), parse_date(end), metric_types, today, pin_created(pins[pin_id]))
        # Lifetime totals: the range's counts on top of a stable history.
        history = int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % 100_000
        lifetime = {metric: history + value for metric, value in summary.items() if isinstance(value, int)}
        body[pin_id] = {"all": {"daily_metrics": daily, "summary_metrics": summary, "lifetime_metrics": lifetime}}
    return body


def expected_top_pins(
    dataset: Any,
    start: date | str,
    end: date | str,
    sort_by: str,
    *,
    today: date,
    num_of_pins: int = 10,
    metric_types: Sequence[str] | None = None,
    created_in_last_n_days: int | None = None,
    filters: dict[str, str] | None = None,
) -> dict:
    metric_types = list(metric_types or ACCOUNT_METRICS)
    ranked = []
    for pin in dataset.pins:
        created = pin_created(pin)
        if created_in_last_n_days and created < today - timedelta(days=created_in_last_n_days):
            continue
        key = f"top:{pin['id']}|{_filters_key(filters)}"
        _, summary = _series(key, parse_date(start), parse_date(end), sorted(set(metric_types) | {sort_by}), today, created)
        ranked.append((-summary[sort_by], str(pin["id"]), summary))
    ranked.sort()
    latest = int(datetime.combine(today, time.min, timezone.utc).timestamp()) * 1000 - 1  # end of yesterday
    return {
        "date_availability": {"is_realtime": False, "latest_available_timestamp": latest},
        "pins": [
            {
                "pin_id": pin_id,
                "metrics": {metric: summary[metric] for metric in metric_types},
                "data_status": {metric: "READY" for metric in metric_types},
            }
            for _, pin_id, summary in ranked[:num_of_pins]
        ],
        "sort_by": sort_by,
    }


def _range(request: Request) -> tuple[date, date]:
    today = request.emulator.today()
    start = parse_day(request.arg("start_date"), "start_date")
    end = parse_day(request.arg("end_date"), "end_date")
    check_window(start, end, today, MAX_DAYS, MAX_DAYS, "organic analytics")
    return start, end


def _filters(request: Request) -> dict[str, str]:
    return {name: check_enum(request.arg(name, allowed[0]), allowed, name) for name, allowed in FILTERS.items()}


def _check_operation_account(request: Request) -> None:
    ad_account_id = request.arg("ad_account_id")
    if ad_account_id and all(str(a.get("id")) != ad_account_id for a in request.emulator.dataset.ad_accounts):
        raise ApiError(403, 29, f"You are not permitted to access ad account {ad_account_id}")


@route("GET", "/user_account/analytics", "org_analytics")
def user_account_analytics(request: Request) -> Response:
    inject_transient_error(request)
    _check_operation_account(request)
    start, end = _range(request)
    metric_types = check_list(request.list_arg("metric_types"), "metric_types", len(ACCOUNT_METRICS), ACCOUNT_METRICS)
    split_field = check_enum(request.arg("split_field", "NO_SPLIT"), tuple(SPLITS), "split_field")
    body = expected_user_account_analytics(
        request.emulator.dataset, start, end, metric_types, today=request.emulator.today(),
        split_field=split_field, filters=_filters(request),
    )
    return Response(body=body)


@route("GET", "/pins/analytics", "org_analytics")
def pins_analytics(request: Request) -> Response:
    inject_transient_error(request)
    _check_operation_account(request)
    pin_ids = check_list(require(request.list_arg("pin_ids"), "pin_ids"), "pin_ids", 100)
    start, end = _range(request)
    metric_types = require(request.list_arg("metric_types"), "metric_types")
    check_list(metric_types, "metric_types", len(PIN_METRICS), PIN_METRICS)
    app_types = check_enum(request.arg("app_types", "ALL"), FILTERS["app_types"], "app_types")
    pins = _pins_by_id(request.emulator.dataset)
    missing = [pin_id for pin_id in pin_ids if pin_id not in pins]
    if missing:
        raise ApiError(404, 50, f"Pin not found: {', '.join(missing[:10])}")
    body = expected_pin_analytics(
        request.emulator.dataset, pin_ids, start, end, metric_types, today=request.emulator.today(), app_types=app_types
    )
    return Response(body=body)


@route("GET", "/user_account/analytics/top_pins", "org_analytics")
def top_pins(request: Request) -> Response:
    inject_transient_error(request)
    _check_operation_account(request)
    start, end = _range(request)
    sort_by = check_enum(require(request.arg("sort_by"), "sort_by"), SORT_BY, "sort_by")
    metric_types = check_list(request.list_arg("metric_types"), "metric_types", len(ACCOUNT_METRICS), ACCOUNT_METRICS)
    try:
        num_of_pins = int(request.arg("num_of_pins", "10"))
    except ValueError:
        raise invalid("Invalid num_of_pins: must be an integer") from None
    if not 1 <= num_of_pins <= 50:
        raise invalid("num_of_pins must be between 1 and 50")
    created_in_last_n_days = request.arg("created_in_last_n_days")
    if created_in_last_n_days is not None:
        check_enum(created_in_last_n_days, ("30",), "created_in_last_n_days")
    body = expected_top_pins(
        request.emulator.dataset, start, end, sort_by, today=request.emulator.today(), num_of_pins=num_of_pins,
        metric_types=metric_types, created_in_last_n_days=int(created_in_last_n_days or 0) or None,
        filters=_filters(request),
    )
    return Response(body=body)
