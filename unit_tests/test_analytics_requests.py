"""Requests of the ads analytics streams: ids batched per ad account, 90-day windows, attribution."""

import json
from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.sources.declarative.requesters.error_handlers.http_response_filter import HttpResponseFilter
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_pinterest.components import ForgetGlobalCursor
from unit_tests.support import BASE_URL, GENERATED, StateBuilder, list_request, make_config, mock_oauth, page, read_streams

STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED"]
TODAY = "2026-11-20"


def analytics_request(path: str, stream: str, start: str, end: str, attribution=(30, 30, 1, "TIME_OF_AD_ACTION"), **params) -> HttpRequest:
    click, engagement, view, report_time = attribution
    return HttpRequest(
        f"{BASE_URL}/{path}",
        query_params={
            "granularity": "DAY",
            "columns": ",".join(GENERATED["analytics_columns"]),
            "click_window_days": str(click),
            "engagement_window_days": str(engagement),
            "view_window_days": str(view),
            "conversion_report_time": report_time,
            "start_date": start,
            "end_date": end,
            **params,
        },
    )


def mock_campaigns(http_mocker: HttpMocker, accounts: dict[str, list[str]]) -> None:
    http_mocker.get(list_request("ad_accounts"), page([{"id": account} for account in accounts]))
    for account, ids in accounts.items():
        http_mocker.get(
            list_request(f"ad_accounts/{account}/campaigns", entity_statuses=STATUSES),
            page([{"id": i, "ad_account_id": account, "updated_time": 1} for i in ids]),
        )


def rows(id_column: str, ids: list[str], day: str) -> HttpResponse:
    return HttpResponse(json.dumps([{id_column: i, "DATE": day, "SPEND_IN_DOLLAR": 1.5} for i in ids]), 200)


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_campaign_ids_are_batched_by_250_per_account_over_one_90_day_window():
    first = [str(1000 + i) for i in range(251)]
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_campaigns(http_mocker, {"1": first, "2": ["9"]})
        calls = [
            analytics_request("ad_accounts/1/campaigns/analytics", "campaign_analytics", "2026-08-22", TODAY, campaign_ids=first[:250]),
            analytics_request("ad_accounts/1/campaigns/analytics", "campaign_analytics", "2026-08-22", TODAY, campaign_ids=first[250:]),
            analytics_request("ad_accounts/2/campaigns/analytics", "campaign_analytics", "2026-08-22", TODAY, campaign_ids=["9"]),
        ]
        answers = [rows("CAMPAIGN_ID", first[:250], TODAY), rows("CAMPAIGN_ID", first[250:], TODAY), rows("CAMPAIGN_ID", ["9"], TODAY)]
        for call, answer in zip(calls, answers):
            http_mocker.get(call, answer)
        output = read_streams(make_config(), "campaign_analytics", sync_mode=SyncMode.incremental)
        for call in calls:
            http_mocker.assert_number_of_calls(call, 1)
    assert sorted(r.record.data["CAMPAIGN_ID"] for r in output.records) == sorted(first + ["9"])
    state = output.most_recent_state.stream_state.__dict__
    assert sorted(s["partition"]["ad_account_id"] for s in state["states"]) == ["1", "2"]  # state per ad account


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_start_date_is_clamped_to_90_days_back_and_the_attribution_config_is_sent():
    config = make_config(
        start_date="2025-01-01", click_window_days=7, engagement_window_days=1, view_window_days=0,
        conversion_report_time="TIME_OF_CONVERSION",
    )
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY, attribution=(7, 1, 0, "TIME_OF_CONVERSION"))
        http_mocker.get(call, rows("AD_ACCOUNT_ID", ["1"], TODAY))
        output = read_streams(config, "ad_account_analytics", sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(call, 1)
    assert [r.record.data["AD_ACCOUNT_ID"] for r in output.records] == ["1"]


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_an_incremental_sync_rereads_the_lookback_window_per_ad_account():
    state = StateBuilder().with_stream_state(
        "ad_account_analytics",
        {"states": [{"partition": {"ad_account_id": "1", "parent_slice": {}}, "cursor": {"DATE": "2026-11-18"}}], "state": {"DATE": "2026-11-18"}},
    ).build()
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-11-13", TODAY)
        http_mocker.get(call, rows("AD_ACCOUNT_ID", ["1"], TODAY))
        read_streams(make_config(lookback_window_days=5), "ad_account_analytics", state=state, sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(call, 1)


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_an_analytics_page_is_not_decoded_whole_by_the_error_handler(monkeypatch):
    decoded_by_the_error_handler = []
    cdk_safe_response_json = HttpResponseFilter._safe_response_json

    def spy(response):
        decoded_by_the_error_handler.append((response.request.url, response.status_code))
        return cdk_safe_response_json(response)

    monkeypatch.setattr(HttpResponseFilter, "_safe_response_json", staticmethod(spy))
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(call, [HttpResponse(json.dumps({"code": 12, "message": "busy"}), 400), rows("AD_ACCOUNT_ID", ["1"], TODAY)])
        output = read_streams(make_config(), "ad_account_analytics", sync_mode=SyncMode.incremental)
    assert len(output.records) == 1 and not output.errors
    analytics_decodes = {status for url, status in decoded_by_the_error_handler if "/analytics" in url}
    assert analytics_decodes == {400}  # the busy answer, to read its code; never the page of rows


@pytest.mark.parametrize("body, wait", [
    ({"code": 12, "message": "transient"}, 4.0),  # the exponential backoff's first wait (2 x 2^1)
    ({"code": 1, "message": "Retry after 7 seconds"}, 7.0),  # the wait the message asks for
])
@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_busy_answers_are_retried_after_the_wait_they_ask_for(body, wait, backoff_waits):
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(call, [HttpResponse(json.dumps(body), 400), rows("AD_ACCOUNT_ID", ["1"], TODAY)])
        output = read_streams(make_config(), "ad_account_analytics", sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(call, 2)
    assert len(output.records) == 1 and not output.errors
    assert backoff_waits[0] == wait + 1  # the CDK adds a second of margin


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_a_refused_request_fails_with_the_apis_message():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(call, HttpResponse(json.dumps({"code": 1, "message": "Invalid columns: FOO"}), 400))
        output = read_streams(make_config(), "ad_account_analytics", sync_mode=SyncMode.incremental, expect_failure=True)
    error = output.errors[-1].trace.error
    assert error.failure_type == FailureType.config_error and "Invalid columns: FOO" in error.message


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_an_ad_account_new_to_the_state_is_read_from_the_start_date():
    state = StateBuilder().with_stream_state(
        "ad_account_analytics",
        {"states": [{"partition": {"ad_account_id": "1", "parent_slice": {}}, "cursor": {"DATE": "2026-11-18"}}], "state": {"DATE": "2026-11-18"}},
    ).build()
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}, {"id": "2"}]))
        known = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-10-16", TODAY)  # 33 days back
        new = analytics_request("ad_accounts/2/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(known, rows("AD_ACCOUNT_ID", ["1"], TODAY))
        http_mocker.get(new, rows("AD_ACCOUNT_ID", ["2"], TODAY))
        read_streams(make_config(), "ad_account_analytics", state=state, sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(known, 1)
        http_mocker.assert_number_of_calls(new, 1)


@freeze_time(f"{TODAY} 12:00:00", tick=True)
@pytest.mark.parametrize("settings, lookback_days", [
    ({}, 33),  # Pinterest's 30-day click and engagement windows plus the 3-day reporting delay
    ({"view_window_days": 60}, 63),
    ({"conversion_report_time": "TIME_OF_CONVERSION"}, 3),
    ({"lookback_window_days": 0, "click_window_days": 60}, 0),  # an explicit value wins
])
def test_the_lookback_covers_the_longest_attribution_window_and_the_reporting_delay_unless_set(settings, lookback_days):
    state = StateBuilder().with_stream_state(
        "campaign_analytics", {"states": [{"partition": {"ad_account_id": "1"}, "cursor": {"DATE": "2026-11-18"}}]},
    ).build()
    start = (date(2026, 11, 18) - timedelta(days=lookback_days)).isoformat()
    attribution = {"click_window_days": 30, "engagement_window_days": 30, "view_window_days": 1, "conversion_report_time": "TIME_OF_AD_ACTION"}
    attribution.update((name, value) for name, value in settings.items() if name in attribution)
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        http_mocker.get(list_request("ad_accounts/1/campaigns", entity_statuses=STATUSES), page([{"id": "11"}]))
        reread = analytics_request("ad_accounts/1/campaigns/analytics", "campaign_analytics", start, TODAY,
                                   tuple(attribution.values()), campaign_ids=["11"])
        http_mocker.get(reread, rows("CAMPAIGN_ID", ["11"], TODAY))
        read_streams(make_config(**settings), "campaign_analytics", state=state, sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(reread, 1)


def test_forget_global_cursor_keeps_the_accounts_states_only():
    per_account = {"states": [{"partition": {"ad_account_id": "1"}, "cursor": {"DATE": "2026-11-18"}}], "state": {"DATE": "2026-11-18"}}
    migration = ForgetGlobalCursor()
    assert migration.should_migrate(per_account) and migration.migrate(per_account) == {"states": per_account["states"]}
    assert not migration.should_migrate({"DATE": "2026-11-18"})
    assert not migration.should_migrate({**per_account, "use_global_cursor": True})
