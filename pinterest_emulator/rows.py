"""Analytics rows of one entity over a date range, shared by synchronous analytics and reports.

A row holds ``DATE`` (absent for TOTAL granularity), the requested attribute columns the entity
can answer and every requested metric column (zeros included; reports drop them in JSON). Rows
exist only for days between the entity's creation and today; a row whose metrics are all zero is
dropped, as Pinterest does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator, Sequence

from .metrics import Attribution, add_values, is_active, is_attribute_column, metric_rows
from .reporting_entities import ReportingEntity

GRANULARITIES = ("TOTAL", "DAY", "HOUR", "WEEK", "MONTH")

# Values per targeting type; numeric values are integers, as in the spec's examples.
TARGETING_VALUES: dict[str, tuple] = {
    "KEYWORD": ("christmas decor ideas", "home office", "summer outfits"),
    "APPTYPE": ("iphone", "ipad", "web", "web_mobile", "android_mobile", "android_tablet"),
    "GENDER": ("female", "male", "unknown"),
    "LOCATION": (500, 501, 502),
    "PLACEMENT": ("SEARCH", "BROWSE", "OTHER"),
    "COUNTRY": ("US", "CA", "GB", "DE"),
    "TARGETED_INTEREST": ("Food and Drinks", "Home Decor", "Travel"),
    "PINNER_INTEREST": ("Chocolate Cookies", "Hiking", "Gardening"),
    "AUDIENCE_INCLUDE": (254261234567, 254261234568),
    "GEO": ("US:94102", "US:10001", "CA:M5V"),
    "AGE_BUCKET": ("18-24", "25-34", "35-44", "45-49", "50-54", "55-64", "65+"),
    "REGION": ("US-CA", "US-NY", "US-TX"),
    "AGE_BUCKET_AND_GENDER": ("female&25-34", "male&25-34", "female&35-44"),
    "CREATIVE_TYPE": ("REGULAR", "VIDEO", "CAROUSEL"),
    "AUDIENCE_MULTIPLIER": ("1.0", "1.5"),
    "CREATIVE_ENHANCEMENTS": ("BACKGROUND", "NONE"),
    "QUIZ_RESULT": ("result_1", "result_2"),
    "MEDIA_TYPE": ("IMAGE", "VIDEO"),
    "LOCAL_ADS_STORE_CODE": ("store-001", "store-002"),
}


@dataclass(frozen=True)
class Period:
    label: str | None  # the DATE of the row; None for TOTAL
    days: tuple[date, ...]
    hour: int | None = None


def parse_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def periods(start: date, end: date, granularity: str) -> list[Period]:
    """The row periods of a range. WEEK and MONTH rows are dated by their first day in the range.

    HOUR rows are dated ``YYYY-MM-DD HH:00:00`` (the spec gives no hourly format).
    """
    days = days_between(start, end)
    if granularity == "DAY":
        return [Period(day.isoformat(), (day,)) for day in days]
    if granularity == "HOUR":
        return [Period(f"{day.isoformat()} {hour:02d}:00:00", (day,), hour) for day in days for hour in range(24)]
    if granularity == "TOTAL":
        return [Period(None, tuple(days))]
    groups: dict[date, list[date]] = {}
    for day in days:
        key = day - timedelta(days=day.weekday()) if granularity == "WEEK" else day.replace(day=1)
        groups.setdefault(key, []).append(day)
    return [Period(group[0].isoformat(), tuple(group)) for group in groups.values()]


def entity_rows(
    entity: ReportingEntity,
    columns: Sequence[str],
    start: date,
    end: date,
    granularity: str,
    attribution: Attribution,
    *,
    today: date,
    conversion_revision: int = 0,
    targeting: tuple[str, object] | None = None,
    drop_zero_metrics: bool = False,
) -> Iterator[dict]:
    """The rows of one entity (or one entity x targeting value): DATE first, then attributes and metrics
    (without the zero ones if ``drop_zero_metrics``, as JSON reports have them)."""
    metrics = [column for column in columns if not is_attribute_column(column)]
    attributes = {column: entity.attributes[column] for column in columns if column in entity.attributes}
    key = entity.id if targeting is None else f"{entity.id}|{targeting[0]}|{targeting[1]}"
    active = [
        (period, [day for day in period.days if entity.created <= day <= today and is_active(key, day, period.hour)])
        for period in periods(start, end, granularity)
    ]
    moments = [(day, period.hour) for period, days in active for day in days]
    single_days = all(len(days) <= 1 for _, days in active)
    all_values = iter(metric_rows(key, moments, metrics, attribution, today=today, conversion_revision=conversion_revision,
                                  drop_zeros=drop_zero_metrics and single_days))
    for period, days in active:
        if not days:
            continue
        values = next(all_values)
        for _ in days[1:]:  # WEEK, MONTH and TOTAL periods add their days up
            more = next(all_values)
            values = {column: add_values(values[column], more[column]) for column in metrics}
        if drop_zero_metrics and not single_days:
            values = {column: value for column, value in values.items() if value != 0}
        if metrics and not any(values.values()):
            continue
        row: dict = {} if period.label is None else {"DATE": period.label}
        row.update(attributes)
        row.update(values)
        yield row


def targeting_pairs(targeting_types: Sequence[str]) -> Iterator[tuple[str, object]]:
    for targeting_type in targeting_types:
        for value in TARGETING_VALUES[targeting_type]:
            yield targeting_type, value
