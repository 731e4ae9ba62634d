"""Parameter checks shared by the analytics and report endpoints.

Every refusal is HTTP 400 ``{"code": 1, "message": ...}`` naming the offending parameter.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Sequence

from .metrics import CONVERSION_REPORT_TIMES, WINDOW_DAYS, Attribution
from .routing import ApiError
from .spec_columns import unknown_columns


def invalid(message: str) -> ApiError:
    return ApiError(400, 1, message)


def require(value: Any, name: str) -> Any:
    if value is None or value == "" or value == []:
        raise invalid(f"Missing required parameter: {name}")
    return value


def parse_day(value: Any, name: str) -> date:
    require(value, name)
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise invalid(f"Invalid {name}: {value!r} is not a date in YYYY-MM-DD format") from None


def check_window(start: date, end: date, today: date, max_days_back: int, max_range_days: int, what: str) -> None:
    """Pinterest's limits: start at most ``max_days_back`` before today, range at most ``max_range_days``."""
    if end < start:
        raise invalid("end_date must not be before start_date")
    if start < today - timedelta(days=max_days_back):
        raise invalid(f"start_date cannot be more than {max_days_back} days back from today for {what}")
    if (end - start).days > max_range_days:
        raise invalid(f"end_date cannot be more than {max_range_days} days past start_date for {what}")


def check_enum(value: Any, allowed: Sequence, name: str) -> Any:
    if value not in allowed:
        raise invalid(f"Invalid {name}: {value!r}; allowed: {', '.join(map(str, allowed))}")
    return value


def check_list(values: list, name: str, max_items: int, allowed: Sequence | None = None) -> list:
    if len(values) > max_items:
        raise invalid(f"{name} accepts at most {max_items} values, got {len(values)}")
    if allowed is not None:
        for value in values:
            check_enum(value, allowed, name)
    return values


def check_columns(columns: list[str], *, report: bool) -> list[str]:
    require(columns, "columns")
    unknown = unknown_columns(columns, report=report)
    if unknown:
        raise invalid(f"Invalid columns: {', '.join(unknown)}")
    return columns


def parse_attribution(values: dict[str, Any]) -> Attribution:
    """Attribution settings from query parameters or a report body; absent means the API default."""
    checked: dict[str, Any] = {}
    for name in ("click_window_days", "engagement_window_days", "view_window_days"):
        if values.get(name) is not None:
            try:
                days = int(values[name])
            except (TypeError, ValueError):
                raise invalid(f"Invalid {name}: {values[name]!r}") from None
            checked[name] = check_enum(days, WINDOW_DAYS, name)
    if values.get("conversion_report_time") is not None:
        checked["conversion_report_time"] = check_enum(
            values["conversion_report_time"], CONVERSION_REPORT_TIMES, "conversion_report_time"
        )
    return Attribution.from_mapping(checked)


def check_ids_belong(ids: Iterable[str], known: Iterable[str], name: str, ad_account_id: str) -> None:
    known_ids = set(known)
    foreign = [entity_id for entity_id in ids if entity_id not in known_ids]
    if foreign:
        raise invalid(f"{name} not found in ad account {ad_account_id}: {', '.join(foreign[:10])}")
