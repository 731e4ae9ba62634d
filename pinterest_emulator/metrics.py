"""Deterministic ads metrics: every value is a pure function of its inputs.

A metric value depends only on (entity key, date, hour, column), and for conversion columns also on
the attribution settings and, for the last days before today, on the ``conversion_revision``
option, so tests can recompute any row without running the emulator. Hashes use blake2b, never
Python's salted ``hash``.

Column kinds:
- attribute columns (ids, names, statuses, budgets...) describe the entity, not its activity;
- ``*_MICRO_DOLLAR`` columns are integers in micro-units;
- rates, ROAS, costs and ``*_IN_DOLLAR`` amounts are floats;
- everything else is an integer count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

WINDOW_DAYS = (0, 1, 7, 14, 30, 60)
CONVERSION_REPORT_TIMES = ("TIME_OF_AD_ACTION", "TIME_OF_CONVERSION")

# Conversions settle 24-48 h after the action: dates this close to today change with the revision.
LATE_CONVERSION_DAYS = 2

_ATTRIBUTE_SUFFIXES = ("_ID", "_NAME", "_STATUS")
_ATTRIBUTE_PREFIXES = ("PRODUCT_ITEM_",)
_ATTRIBUTE_COLUMNS = frozenset(
    {
        "CAMPAIGN_BRAND_LABEL",
        "CAMPAIGN_CUSTOM_LABELS",
        "CAMPAIGN_OBJECTIVE_TYPE",
        "CAMPAIGN_LIFETIME_SPEND_CAP",
        "CAMPAIGN_DAILY_SPEND_CAP",
        "CAMPAIGN_BUDGET_OPTIMIZATION",
        "IS_PREMIERE_CAMPAIGN",
        "AD_GROUP_BUDGET_TYPE",
        "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY",
        "AD_GROUP_BID_MULTIPLIER",
        "AD_GROUP_OPTIMIZATION",
        "PRODUCT_GROUP_AD_IMAGE_TAG",
        "PRODUCT_GROUP_AD_VIDEO_TAG",
    }
)
_CONVERSION_MARKERS = (
    "CONVERSION", "CHECKOUT", "SIGNUP", "LEAD", "ADD_TO_CART", "PAGE_VISIT", "CUSTOM", "SEARCH",
    "WATCH_VIDEO", "VIEW_CATEGORY", "APP_INSTALL", "UNKNOWN", "WISHLIST", "SUBSCRIBE", "ROAS",
)
_FLOAT_MARKERS = ("DOLLAR", "RATE", "CTR", "ROAS", "COST_PER", "FREQUENCY", "AVG", "WATCHTIME", "PER_SESSION")


@dataclass(frozen=True)
class Attribution:
    """Conversion attribution settings; defaults are the API's."""

    click_window_days: int = 30
    engagement_window_days: int = 30
    view_window_days: int = 1
    conversion_report_time: str = "TIME_OF_AD_ACTION"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> "Attribution":
        values = values or {}
        defaults = cls()
        return cls(
            click_window_days=int(values.get("click_window_days", defaults.click_window_days)),
            engagement_window_days=int(values.get("engagement_window_days", defaults.engagement_window_days)),
            view_window_days=int(values.get("view_window_days", defaults.view_window_days)),
            conversion_report_time=str(values.get("conversion_report_time", defaults.conversion_report_time)),
        )


def unit(*parts: Any) -> float:
    """A stable pseudo-random number in [0, 1) derived from ``parts``."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def is_attribute_column(column: str) -> bool:
    return (
        column in _ATTRIBUTE_COLUMNS
        or column.endswith(_ATTRIBUTE_SUFFIXES)
        or column.startswith(_ATTRIBUTE_PREFIXES)
    )


def is_conversion_column(column: str) -> bool:
    return any(marker in column for marker in _CONVERSION_MARKERS)


def is_micro_column(column: str) -> bool:
    return "MICRO_DOLLAR" in column


def is_float_column(column: str) -> bool:
    return not is_micro_column(column) and any(marker in column for marker in _FLOAT_MARKERS)


def is_active(entity_key: str, day: date, hour: int | None = None) -> bool:
    """Most entity-days have activity; the rest are all-zero (and so absent from responses)."""
    if unit("active", entity_key, day) >= 0.85:
        return False
    return hour is None or unit("active-hour", entity_key, day, hour) < 0.7


@lru_cache(maxsize=None)
def _scale(column: str) -> Callable[[float], int | float]:
    """How a column turns a unit draw into its value (decided once per column name)."""
    if is_micro_column(column):
        return lambda u: int(u * 40_000_000)
    if is_float_column(column):
        if "DOLLAR" in column or "COST_PER" in column:
            return lambda u: round(u * 400, 2)
        return (lambda u: round(u * 5, 4)) if "ROAS" in column else (lambda u: round(u * 0.2, 6))
    scale = 20_000 if "IMPRESSION" in column else 500
    return lambda u: int(u * scale)


_is_conversion = lru_cache(maxsize=None)(is_conversion_column)


def metric_values(
    entity_key: str,
    day: date,
    columns: Sequence[str],
    attribution: Attribution,
    *,
    today: date,
    conversion_revision: int = 0,
    hour: int | None = None,
) -> dict[str, int | float]:
    """The values of metric columns for one entity and day (and hour, for HOUR granularity).

    Each value is ``unit("value", entity_key, day, hour, column[, attribution[, revision]])``
    scaled for its column; the hashed text is built once per row, not once per value.
    """
    if not is_active(entity_key, day, hour):
        return dict.fromkeys(columns, 0)
    prefix = f"value|{entity_key}|{day}|{hour}|"
    conversion_suffix = f"|{attribution}"
    if (today - day).days <= LATE_CONVERSION_DAYS and conversion_revision:
        conversion_suffix += f"|{conversion_revision}"
    values: dict[str, int | float] = {}
    for column in columns:
        conversion = _is_conversion(column)
        if conversion and hour is not None:
            values[column] = 0  # the API no longer reports conversion metrics at HOUR granularity
            continue
        text = prefix + column + conversion_suffix if conversion else prefix + column
        u = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") / 2**64
        values[column] = 0 if u < 0.1 else _scale(column)(u)  # some metrics are zero on active days
    return values


def add_values(left: int | float, right: int | float) -> int | float:
    """Sum for aggregated periods, keeping floats to a stable precision."""
    total = left + right
    return round(total, 4) if isinstance(total, float) else total
