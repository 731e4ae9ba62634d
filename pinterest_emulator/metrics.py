"""Deterministic ads metrics: every value is a pure function of its inputs.

A metric value depends only on (entity key, date, hour, column), and for conversion columns also on
the attribution settings and, for the last days before today, on the ``conversion_revision``
option, so tests can recompute any row without running the emulator. Hashes use blake2b, never
Python's salted ``hash``.

Late data: a day's values grow with its age (today minus the day) until they settle. Conversions are
reported up to ``REPORTING_DELAY_DAYS`` after they happen, so every metric of a day settles at that
age; with TIME_OF_AD_ACTION a conversion column's day also gains conversions until its attribution
window closes (``CLICK`` columns the click window, ``VIEW`` the view window, ``ENGAGEMENT`` the
engagement window, others the longest), i.e. it settles at window + delay. Before that it shows
(age + 1) / (settling age + 1) of its final value.

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
from typing import Any, Mapping, Sequence

import numpy as np

WINDOW_DAYS = (0, 1, 7, 14, 30, 60)
CONVERSION_REPORT_TIMES = ("TIME_OF_AD_ACTION", "TIME_OF_CONVERSION")

# Conversions are reported 24-48 h after they happen: dates this close to today change with the
# revision, and every value of a day is final only from this age on.
REPORTING_DELAY_DAYS = 2

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


@dataclass(frozen=True)
class _ColumnPlan:
    """How each of a list of metric columns turns a unit draw into its value, as arrays."""

    salts: np.ndarray  # uint64 per column: its name's hash, mixed with the row's seed
    conversion: np.ndarray  # bool per column: depends on attribution and revision
    int_index: np.ndarray  # columns with integer values, and their scale
    int_scale: np.ndarray
    float_groups: tuple[tuple[np.ndarray, float, int], ...]  # (columns, scale, decimals)
    int_columns: tuple[str, ...]
    float_columns: tuple[tuple[str, ...], ...]


def _float_scale(column: str) -> tuple[float, int]:
    if "DOLLAR" in column or "COST_PER" in column:
        return 400.0, 2
    return (5.0, 4) if "ROAS" in column else (0.2, 6)


def _int_scale(column: str) -> int:
    if is_micro_column(column):
        return 40_000_000
    return 20_000 if "IMPRESSION" in column else 500


@lru_cache(maxsize=512)
def _column_plan(columns: tuple[str, ...]) -> _ColumnPlan:
    salts = np.array([int.from_bytes(hashlib.blake2b(column.encode(), digest_size=8).digest(), "big") for column in columns],
                     dtype=np.uint64)
    floats = [index for index, column in enumerate(columns) if is_float_column(column)]
    ints = [index for index, column in enumerate(columns) if not is_float_column(column)]
    groups: dict[tuple[float, int], list[int]] = {}
    for index in floats:
        groups.setdefault(_float_scale(columns[index]), []).append(index)
    return _ColumnPlan(
        salts=salts,
        conversion=np.array([is_conversion_column(column) for column in columns], dtype=bool),
        int_index=np.array(ints, dtype=np.intp),
        int_scale=np.array([_int_scale(columns[index]) for index in ints], dtype=np.float64),
        float_groups=tuple((np.array(indexes, dtype=np.intp), scale, decimals) for (scale, decimals), indexes in groups.items()),
        int_columns=tuple(columns[index] for index in ints),
        float_columns=tuple(tuple(columns[index] for index in indexes) for indexes in groups.values()),
    )


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: each bit of the result depends on every bit of the input."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def metric_rows(
    entity_key: str,
    moments: Sequence[tuple[date, int | None]],
    columns: Sequence[str],
    attribution: Attribution,
    *,
    today: date,
    conversion_revision: int = 0,
    drop_zeros: bool = False,
) -> list[dict[str, int | float]]:
    """The values of metric columns for one entity at each (day, hour) of ``moments`` (hour None for
    daily rows); all zero on inactive moments.

    A value is the column's name hash mixed with the row's seed, ``value|key|day|hour|`` (plus the
    attribution and, for the last days before today, the revision, for conversion columns), scaled
    for its column: it never depends on the other columns asked for. Computed as arrays, one row a
    moment. ``drop_zeros`` leaves zero values out, as JSON reports do.
    """
    if not moments:
        return []
    plan = _column_plan(tuple(columns))
    plain_seeds, conversion_seeds, hourly, active = [], [], [], []
    for day, hour in moments:
        prefix = f"value|{entity_key}|{day}|{hour}|"
        suffix = f"|{attribution}"
        if (today - day).days <= REPORTING_DELAY_DAYS and conversion_revision:
            suffix += f"|{conversion_revision}"
        plain_seeds.append(_seed(prefix))
        conversion_seeds.append(_seed(prefix + suffix))
        hourly.append(hour is not None)
        active.append(is_active(entity_key, day, hour))
    seeds = np.where(plan.conversion[None, :], np.array(conversion_seeds, dtype=np.uint64)[:, None],
                     np.array(plain_seeds, dtype=np.uint64)[:, None])
    draws = (_mix(seeds ^ plan.salts[None, :]) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    # some metrics are zero on active days; the API no longer reports conversions at HOUR granularity
    zero = (draws < 0.1) | (plan.conversion[None, :] & np.array(hourly)[:, None]) | ~np.array(active)[:, None]
    draws[zero] = 0.0
    ages = np.array([(today - day).days for day, _ in moments], dtype=np.float64)[:, None]
    draws *= np.clip((ages + 1) / (_settling_ages(tuple(columns), attribution)[None, :] + 1), 0.0, 1.0)
    groups = [(plan.int_columns, np.floor(draws[:, plan.int_index] * plan.int_scale[None, :]).astype(np.int64))]
    groups += [(names, np.round(draws[:, index] * scale, decimals))
               for names, (index, scale, decimals) in zip(plan.float_columns, plan.float_groups)]
    rows: list[dict[str, int | float]] = [{} for _ in moments]
    for names, values in groups:
        for row, row_values in zip(rows, values.tolist()):
            row.update(zip(names, row_values))
        if drop_zeros:
            for number, column in zip(*(part.tolist() for part in np.nonzero(values == 0))):
                del rows[number][names[column]]
    return rows


@lru_cache(maxsize=512)
def _settling_ages(columns: tuple[str, ...], attribution: Attribution) -> np.ndarray:
    """Per column, the age in days from which a day's value no longer changes."""
    return np.array([REPORTING_DELAY_DAYS + conversion_window_days(column, attribution) for column in columns], dtype=np.float64)


def conversion_window_days(column: str, attribution: Attribution) -> int:
    """How many days after the ad action a conversion of this column is still credited to its day."""
    if not is_conversion_column(column) or attribution.conversion_report_time != "TIME_OF_AD_ACTION":
        return 0
    windows = {"CLICK": attribution.click_window_days, "VIEW": attribution.view_window_days,
               "ENGAGEMENT": attribution.engagement_window_days}
    named = [days for marker, days in windows.items() if marker in column]
    return max(named or windows.values())


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
    """The values of metric columns for one entity and day (and hour, for HOUR granularity)."""
    return metric_rows(entity_key, [(day, hour)], columns, attribution, today=today,
                       conversion_revision=conversion_revision)[0]


def add_values(left: int | float, right: int | float) -> int | float:
    """Sum for aggregated periods, keeping floats to a stable precision."""
    total = left + right
    return round(total, 4) if isinstance(total, float) else total
