"""Every report stream and a custom report, end to end against the emulator: exactly the rows the
emulator's reports hold, one job per ad account and window (and targeting-type group), state per
ad account."""

from datetime import timedelta

from unit_tests.support import CREATE, TODAY, canonical, expected_rows, read_reports, records_of, report_config, route_count
from schema_generator.streams import REPORT_STREAM_LEVELS as REPORT_STREAMS  # stream -> report level
from unit_tests.test_reports import GENERATED

CUSTOM = {
    "name": "weekly_targeting",
    "level": "AD_GROUP_TARGETING",
    "granularity": "WEEK",
    "columns": ["SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH", "AD_GROUP_NAME"],
    "view_window_days": 7,
    "conversion_report_time": "TIME_OF_CONVERSION",
}


def test_every_report_stream_and_a_custom_report_sync_the_emulators_rows(emulator, report_bodies):
    # Two days: on some days the tiny profile has no advertiser-level row (2026-12-04, for one).
    config = report_config(emulator, days=1, custom_reports=[CUSTOM])
    output = read_reports(config, *REPORT_STREAMS, "custom_weekly_targeting")
    assert not output.errors
    for stream, level in REPORT_STREAMS.items():
        bodies = [body for body in report_bodies if body["level"] == level and body["columns"] != CUSTOM["columns"]]
        expected = expected_rows(emulator, bodies)
        assert expected, stream  # the tiny profile has rows at every level
        assert canonical(records_of(output, stream)) == canonical(expected), stream
    custom_bodies = [body for body in report_bodies if body["columns"] == CUSTOM["columns"]]
    assert {(b["granularity"], b["view_window_days"], b["click_window_days"], b["conversion_report_time"]) for b in custom_bodies} == {
        ("WEEK", 7, 30, "TIME_OF_CONVERSION")
    }
    custom_expected = expected_rows(emulator, custom_bodies)
    assert custom_expected and canonical(records_of(output, "custom_weekly_targeting")) == canonical(custom_expected)


def test_targeting_reports_ask_for_every_targeting_type_at_most_five_per_job(emulator, report_bodies):
    read_reports(report_config(emulator, days=0), "campaign_targeting_report")
    groups = [body["targeting_types"] for body in report_bodies]
    assert all(len(group) <= 5 for group in groups)
    assert sorted(t for group in groups for t in group) == sorted(
        ["KEYWORD", "APPTYPE", "GENDER", "LOCATION", "PLACEMENT", "COUNTRY", "TARGETED_INTEREST", "PINNER_INTEREST",
         "AUDIENCE_INCLUDE", "GEO", "AGE_BUCKET", "REGION", "LOCAL_ADS_STORE_CODE"] * len(emulator.dataset.ad_accounts)
    )


def test_incremental_sync_resumes_per_ad_account_with_the_lookback(emulator, report_bodies):
    config = report_config(emulator, days=20, lookback_window_days=2)
    first = read_reports(config, "advertiser_report")
    state = [first.state_messages[-1].state]
    states = state[0].stream.stream_state.__dict__["states"]
    assert {s["partition"]["ad_account_id"] for s in states} == {a["id"] for a in emulator.dataset.ad_accounts}
    report_bodies.clear()
    read_reports(config, "advertiser_report", state=state)
    cursor = min(s["cursor"]["DATE"] for s in states)
    assert {body["start_date"] for body in report_bodies} == {(TODAY.fromisoformat(cursor) - timedelta(days=2)).isoformat()}
    assert route_count(emulator, CREATE) == 2 * len(emulator.dataset.ad_accounts)


PUBLISHED_STYLE = [  # as the published connector's form saves them
    {"name": "My Totals", "level": "ADVERTISER", "granularity": "TOTAL", "columns": ["SPEND_IN_DOLLAR", "IMPRESSION_1"],
     "click_window_days": 30, "engagement_window_days": 30, "view_window_days": 30, "conversion_report_time": "TIME_OF_AD_ACTION",
     "attribution_types": ["INDIVIDUAL", "HOUSEHOLD"]},
    {"name": "Every Column", "level": "CAMPAIGN", "granularity": "DAY", "columns": []},
    {"name": "items", "level": "PRODUCT_ITEM", "granularity": "DAY", "columns": ["AD_ID", "PIN_PROMOTION_ID", "SPEND_IN_DOLLAR"]},
]


def test_published_style_custom_reports_sync_the_emulators_rows(emulator, report_bodies):
    output = read_reports(report_config(emulator, days=3, custom_reports=PUBLISHED_STYLE), "custom__my _totals", "custom__every _column", "custom_items")
    assert not output.errors
    by_level = {level: [body for body in report_bodies if body["level"] == level] for level in ("ADVERTISER", "CAMPAIGN", "PRODUCT_ITEM")}
    assert {body["granularity"] for body in by_level["ADVERTISER"]} == {"TOTAL"}
    assert all(body["columns"] == GENERATED["report_columns"] for body in by_level["CAMPAIGN"])
    assert all(body["columns"] == ["SPEND_IN_DOLLAR"] for body in by_level["PRODUCT_ITEM"])
    for stream, level in (("custom__every _column", "CAMPAIGN"), ("custom_items", "PRODUCT_ITEM")):
        expected = expected_rows(emulator, by_level[level])
        assert expected and canonical(records_of(output, stream)) == canonical(expected), stream
    totals = records_of(output, "custom__my _totals")
    ranges = {(body["start_date"], body["end_date"]) for body in by_level["ADVERTISER"]}
    assert totals and {(row["START_DATE"], row["END_DATE"]) for row in totals} == ranges
    without_range = [{name: value for name, value in row.items() if name not in ("START_DATE", "END_DATE")} for row in totals]
    assert canonical(without_range) == canonical(expected_rows(emulator, by_level["ADVERTISER"]))
