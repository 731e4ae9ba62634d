"""Every report stream and a custom report, end to end against the emulator: exactly the rows the
emulator's reports hold, one job per ad account and window (and targeting-type group), state per
ad account."""

from datetime import timedelta

from unit_tests.support import CREATE, TODAY, canonical, expected_rows, read_reports, records_of, report_config, route_count
from schema_generator.streams import REPORT_STREAM_LEVELS as REPORT_STREAMS  # stream -> report level

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
