"""A 2xx answer whose body is cut off is fetched again (bounded), never read as an empty or short page:
the error handler's check, and reads of an organic analytics stream, an ads analytics page and a
report download whose first answer is cut."""

import io
import json

import pytest
import requests
import urllib3
from freezegun import freeze_time

from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.sources.declarative.requesters.error_handlers.http_response_filter import HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_pinterest import components
from source_pinterest.components import CutOffBodiesFetchedAgain, JsonArrayItemsExtractor, _body_is_whole
from unit_tests.support import BASE_URL, make_config, mock_oauth, page, read_streams
from unit_tests.test_analytics_requests import TODAY, analytics_request, rows
from unit_tests.test_reports import DOWNLOAD_URL, mock_report_api, no_poll_wait  # noqa: F401 (fixture)

DAILY = {"all": {"daily_metrics": [{"date": "2026-11-19", "data_status": "READY", "metrics": {"IMPRESSION": 3}},
                                   {"date": "2026-11-20", "data_status": "READY", "metrics": {"IMPRESSION": 4}}]}}


def answer(content: bytes, status: int = 200, streamed: bool = False) -> requests.Response:
    """An answer as requests gives it: read whole, or (sent with stream=True) still on the connection."""
    response = requests.Response()
    response.status_code = status
    if streamed:
        response.raw = urllib3.HTTPResponse(body=io.BytesIO(content), preload_content=False, headers={"Content-Length": str(len(content))})
    else:
        response._content, response._content_consumed = content, True
    response.request = requests.Request("GET", f"{BASE_URL}/user_account/analytics?start_date=x").prepare()
    return response


def cut(body) -> str:
    text = json.dumps(body)
    return text[: len(text) // 2]


def test_a_whole_body_passes_before_the_filters_and_errors_meet_them():
    busy = HttpResponseFilter(config={}, parameters={}, predicate="{{ response.get('code') == 12 }}", action="RETRY")
    handler = CutOffBodiesFetchedAgain(config={}, parameters={}, response_filters=[busy])
    # a page the filter would match: it is never looked at
    assert handler.interpret_response(answer(b'{"code": 12}')).response_action == ResponseAction.SUCCESS
    assert handler.interpret_response(answer(b'{"code": 12}', 400)).response_action == ResponseAction.RETRY


@pytest.mark.parametrize("size", ["small", "beyond the in-memory spool"])
def test_a_streamed_body_is_spooled_checked_and_then_read_in_chunks(monkeypatch, size):
    if size != "small":
        monkeypatch.setattr(components, "_IN_MEMORY_BYTES", 10)
    rows = [{"AD_ID": str(i), "DATE": "2026-11-20", "SPEND_IN_DOLLAR": i / 4} for i in range(50)]
    content = json.dumps(rows).encode()
    handler = CutOffBodiesFetchedAgain(config={}, parameters={})
    whole = answer(content, streamed=True)
    assert handler.interpret_response(whole).response_action == ResponseAction.SUCCESS
    assert "Content-Length" not in whole.headers  # the spool holds the decoded body
    assert list(JsonArrayItemsExtractor(config={}, parameters={}).extract_records(whole)) == rows
    resolution = handler.interpret_response(answer(content[:-40], streamed=True))
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.RETRY, FailureType.transient_error)


def test_a_cut_body_is_fetched_again_soon_a_bounded_number_of_times():
    handler = CutOffBodiesFetchedAgain(config={}, parameters={}, max_cut_off_fetches=5)
    cut_answer = answer(b'{"all": {"daily_metrics": [{"date"')
    resolution = handler.interpret_response(cut_answer)
    assert (resolution.response_action, resolution.failure_type) == (ResponseAction.RETRY, FailureType.transient_error)
    wait = handler.backoff_strategies[0]  # the HTTP client asks the strategies, in order
    assert [wait.backoff_time(cut_answer, attempt) for attempt in range(1, 5)] == [1, 2, 4, 8]
    assert wait.backoff_time(answer(b'{"code": 12}', 400), 1) is None  # other errors: the next strategies
    with pytest.raises(AirbyteTracedException) as raised:
        wait.backoff_time(cut_answer, 5)
    assert raised.value.failure_type == FailureType.transient_error
    assert raised.value.message == ("Pinterest's answer to /v5/user_account/analytics was cut off 5 times in a row. "
                                    "What was read so far is saved: run the sync again.")


@pytest.mark.parametrize("content, whole", [
    (b'[{"A": 1}, {"A": 2}]\n', True), (b"[ ]", True), (b'[{"A": 1}, {"A"', False), (b'[{"A": 1}, {"A": 2}', False),
    (b'{"data": [{"metrics": {"A": 1}}]}', True), (b'{"data": [{"metrics": {"A": 1}', False),
    (b'{"1": [{"A": 1}], "2": []}', True), (b'{"1": [{"A": 1}], "2": [', False), (b"", False), (b"<html>", False),
])
def test_bodies_beyond_the_parsed_size_are_judged_by_how_they_end(monkeypatch, content, whole):
    assert _body_is_whole(content) is whole
    monkeypatch.setattr(components, "_FULLY_PARSED_BYTES", 0)
    assert _body_is_whole(content) is whole


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_a_cut_organic_analytics_answer_is_fetched_again_not_read_as_no_days(backoff_waits):
    call = HttpRequest(f"{BASE_URL}/user_account/analytics", query_params={"start_date": "2026-08-22", "end_date": TODAY})
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(call, [HttpResponse(cut(DAILY)), HttpResponse(json.dumps(DAILY))])
        output = read_streams(make_config(), "user_account_analytics", sync_mode=SyncMode.incremental)
        http_mocker.assert_number_of_calls(call, 2)
    assert [record.record.data["date"] for record in output.records] == ["2026-11-19", "2026-11-20"]
    assert not output.errors and [wait for wait in backoff_waits if wait] == [2.0]  # 1 s, and the second the CDK adds


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_an_analytics_answer_cut_every_time_fails_the_stream_loudly_and_keeps_the_state(backoff_waits):
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request_ad_accounts(), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(call, HttpResponse(cut([{"AD_ACCOUNT_ID": "1", "DATE": TODAY, "SPEND_IN_DOLLAR": 1.5}] * 3)))
        output = read_streams(make_config(), "ad_account_analytics", sync_mode=SyncMode.incremental, expect_failure=True)
        http_mocker.assert_number_of_calls(call, 5)
    assert not output.records
    cursors = [entry["cursor"]["DATE"] for message in output.state_messages for entry in message.state.stream.stream_state.__dict__["states"]]
    assert cursors == ["2026-08-22"]  # where the window that failed starts: the next sync reads it again
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.transient_error and "was cut off 5 times in a row" in error.message


@freeze_time(f"{TODAY} 12:00:00", tick=True)
def test_a_cut_analytics_page_is_fetched_again_and_its_rows_emitted_once(backoff_waits):
    whole = rows("AD_ACCOUNT_ID", ["1"], TODAY)
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request_ad_accounts(), page([{"id": "1"}]))
        call = analytics_request("ad_accounts/1/analytics", "ad_account_analytics", "2026-08-22", TODAY)
        http_mocker.get(call, [HttpResponse(whole.body[:-5]), whole])
        output = read_streams(make_config(), "ad_account_analytics", sync_mode=SyncMode.incremental)
    assert [record.record.data["AD_ACCOUNT_ID"] for record in output.records] == ["1"] and not output.errors


def list_request_ad_accounts() -> HttpRequest:
    return HttpRequest(f"{BASE_URL}/ad_accounts", query_params={"page_size": "250"})


def downloads(http_mocker: HttpMocker) -> int:
    return sum(request.url == DOWNLOAD_URL for request in http_mocker._mocker.request_history)


def test_a_cut_report_download_is_downloaded_again_before_any_row_is_read(monkeypatch):
    monkeypatch.setattr(components.time, "sleep", lambda seconds: None)
    report = {"1": [{"DATE": TODAY, "SPEND_IN_DOLLAR": 1.0}], "2": [{"DATE": TODAY, "SPEND_IN_DOLLAR": 2.0}]}
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, report, downloads=[HttpResponse(cut(report)), HttpResponse(json.dumps(report))])
        output = read_streams(make_config(start_date=TODAY), "campaign_analytics_report", sync_mode=SyncMode.incremental)
        assert downloads(http_mocker) == 2
    assert sorted(record.record.data["CAMPAIGN_ID"] for record in output.records) == ["1", "2"] and not output.errors


def test_a_report_cut_in_every_download_fails_the_stream_loudly(monkeypatch):
    monkeypatch.setattr(components.time, "sleep", lambda seconds: None)
    report = {"1": [{"DATE": TODAY, "SPEND_IN_DOLLAR": 1.0}]}
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, report, downloads=[HttpResponse(cut(report))])
        output = read_streams(make_config(start_date=TODAY), "campaign_analytics_report", sync_mode=SyncMode.incremental, expect_failure=True)
        assert downloads(http_mocker) == 5
    assert not output.records
    assert "A Pinterest report was cut off in each of 5 downloads" in output.errors[0].trace.error.message
