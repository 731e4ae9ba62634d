"""Async report streams offline (HttpMocker): the report request bodies, the job loop and the
components that parse and poll reports."""

import io
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import requests
import yaml

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.declarative.async_job.job_orchestrator import AsyncJobOrchestrator
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_pinterest import components
from source_pinterest.components import ReportRowsDecoder, ReportStatusExtractor
from unit_tests.support import BASE_URL, make_config, mock_oauth, page, read_streams

MANIFEST = yaml.safe_load(open("source_pinterest/manifest.yaml"))
GENERATED = MANIFEST["definitions"]["generated"]
ACCOUNT = "549755813007"
REPORTS_URL = f"{BASE_URL}/ad_accounts/{ACCOUNT}/reports"
DOWNLOAD_URL = "https://storage.example.com/reports/r1.json"
TODAY = datetime.now(timezone.utc).date()


@pytest.fixture(autouse=True)
def no_poll_wait(monkeypatch):
    monkeypatch.setattr(AsyncJobOrchestrator, "_WAIT_TIME_BETWEEN_STATUS_UPDATE_IN_SECONDS", 0.01)


def mock_report_api(http_mocker: HttpMocker, report: dict, poll_status: int = 200, downloads: list[HttpResponse] | None = None) -> None:
    mock_oauth(http_mocker)
    http_mocker.get(HttpRequest(f"{BASE_URL}/ad_accounts", query_params={"page_size": "250"}), page([{"id": ACCOUNT}]))
    # Any body: HttpMocker matches POST bodies exactly, and the tests inspect the bodies sent instead.
    http_mocker._mocker.post(REPORTS_URL, text=json.dumps({"token": "t1", "report_status": "IN_PROGRESS"}))
    poll_body = {"report_status": "FINISHED", "url": DOWNLOAD_URL, "size": 10} if poll_status == 200 else {"code": 1, "message": "Invalid token"}
    http_mocker.get(HttpRequest(REPORTS_URL, query_params={"token": "t1"}), HttpResponse(json.dumps(poll_body), poll_status))
    http_mocker.get(HttpRequest(DOWNLOAD_URL), downloads or HttpResponse(json.dumps(report)))


def sent_bodies(http_mocker: HttpMocker) -> list[dict]:
    history = http_mocker._mocker.request_history  # requests_mock keeps every request made
    return [json.loads(request.body) for request in history if request.method == "POST" and request.url.startswith(REPORTS_URL)]


def read(config: dict, stream: str, **kwargs):
    return read_streams(config, stream, sync_mode=SyncMode.incremental, **kwargs)


def test_report_bodies_cover_the_dates_in_186_day_windows_with_every_column_and_the_attribution():
    config = make_config(
        start_date=(TODAY - timedelta(days=400)).isoformat(),
        click_window_days=7,
        engagement_window_days=14,
        view_window_days=0,
        conversion_report_time="TIME_OF_CONVERSION",
    )
    report = {"626736000007": [{"DATE": TODAY.isoformat(), "SPEND_IN_DOLLAR": 1.5, "CAMPAIGN_NAME": "c"}]}
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, report)
        output = read(config, "campaign_analytics_report")
        bodies = sorted(sent_bodies(http_mocker), key=lambda body: body["start_date"])
    windows = [(date.fromisoformat(b["start_date"]), date.fromisoformat(b["end_date"])) for b in bodies]
    assert windows[0][0] == TODAY - timedelta(days=400) and windows[-1][1] == TODAY
    assert all((end - start).days <= 185 for start, end in windows)  # 186 days, both ends included
    assert all(later[0] == earlier[1] + timedelta(days=1) for earlier, later in zip(windows, windows[1:]))
    for body in bodies:
        assert body["level"] == "CAMPAIGN" and body["granularity"] == "DAY" and body["report_format"] == "JSON"
        assert body["columns"] == GENERATED["report_columns"]
        assert (body["click_window_days"], body["engagement_window_days"], body["view_window_days"]) == (7, 14, 0)
        assert body["conversion_report_time"] == "TIME_OF_CONVERSION" and "targeting_types" not in body
    assert output.records[0].record.data == {"CAMPAIGN_ID": "626736000007", "DATE": TODAY.isoformat(), "SPEND_IN_DOLLAR": 1.5, "CAMPAIGN_NAME": "c"}


def test_reports_start_at_most_914_days_back_and_default_to_the_api_attribution():
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {})
        read(make_config(start_date="2020-01-01"), "advertiser_report")
        bodies = sent_bodies(http_mocker)
    assert min(body["start_date"] for body in bodies) == (TODAY - timedelta(days=914)).isoformat()
    assert {(b["click_window_days"], b["engagement_window_days"], b["view_window_days"], b["conversion_report_time"]) for b in bodies} == {
        (30, 30, 1, "TIME_OF_AD_ACTION")
    }


def test_product_item_reports_use_31_day_windows_92_days_back_and_their_own_columns():
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {"item-1": [{"DATE": TODAY.isoformat(), "SPEND_IN_DOLLAR": 2}]})
        output = read(make_config(), "product_item_report")
        bodies = sent_bodies(http_mocker)
    assert min(body["start_date"] for body in bodies) == (TODAY - timedelta(days=92)).isoformat()
    assert all((date.fromisoformat(b["end_date"]) - date.fromisoformat(b["start_date"])).days <= 30 for b in bodies)
    assert all(body["columns"] == GENERATED["product_item_report_columns"] and body["level"] == "PRODUCT_ITEM" for body in bodies)
    assert output.records[0].record.data["PRODUCT_ITEM_ID"] == "item-1"


def test_a_poll_that_errors_recreates_the_job_a_bounded_number_of_times_instead_of_looping():
    start = TODAY.isoformat()
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {}, poll_status=400)
        output = read(make_config(start_date=start), "advertiser_report", expect_failure=True)
        polls = [r for r in http_mocker._mocker.request_history if r.method == "GET" and "token=" in r.url]
        assert len(sent_bodies(http_mocker)) == 3  # the first job and two recreations
    assert len(polls) == 3
    assert any("async jobs failed after exhausting all retry attempts" in e.trace.error.message for e in output.errors)


def response_with_body(content: bytes) -> requests.Response:
    response = requests.Response()
    response.raw = io.BytesIO(content)
    response.status_code = 200
    return response


@pytest.mark.parametrize("level", ["AD_GROUP_TARGETING", "AD_GROUP"])  # a row at a time; an entity at a time
def test_report_rows_decoder_flattens_the_keyed_layout(level):
    content = b'{"11": [{"DATE": "2026-01-01", "CTR": 0.5, "TARGETING_VALUE": {"a": [1]}}, {"DATE": "2026-01-02"}], "12": [], "13": [{}]}'
    decoder = ReportRowsDecoder(parameters={"level": level}, id_columns=GENERATED["report_id_columns"])
    assert list(decoder.decode(response_with_body(content))) == [
        {"AD_GROUP_ID": "11", "DATE": "2026-01-01", "CTR": 0.5, "TARGETING_VALUE": {"a": [1]}},
        {"AD_GROUP_ID": "11", "DATE": "2026-01-02"},
        {"AD_GROUP_ID": "13"},
    ]
    assert decoder.is_stream_response()


class TrickleStream(io.BytesIO):
    """A download that arrives a few bytes per read."""

    def read(self, size=-1):
        return super().read(min(size, 5) if size and size > 0 else 5)


AWKWARD_REPORT = {
    "11": [{"DATE": "2026-01-01", "NAME": "a],\"12\":[ ]} \\", "TAGS": [[1], {"x": [2]}]}, {"DATE": "2026-01-02"}],
    "1]2": [],
    "13": [{"DATE": "2026-01-03", "CTR": 1.5e-3, "SPEND": 12}],
}


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("stream_type", [io.BytesIO, TrickleStream])
def test_entity_rows_are_split_where_the_json_says_not_where_a_bracket_looks_like_an_end(monkeypatch, indent, stream_type):
    monkeypatch.setattr(components, "_READ_BYTES", 16)  # the buffer is also trimmed many times
    content = json.dumps(AWKWARD_REPORT, indent=indent).encode()
    rows = list(components._rows_by_entity(stream_type(content)))
    assert rows == [(key, row) for key, key_rows in AWKWARD_REPORT.items() for row in key_rows]


@pytest.mark.parametrize("content", [b"{}", b" { } \n"])
def test_an_empty_report_has_no_rows(content):
    assert list(components._rows_by_entity(io.BytesIO(content))) == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"11": [{"DATE": "2026-01-01"}], "12": [{"DA', 'at b\', "12": [{"DA\''),
        (b"", "cut short or is not a JSON object of arrays"),
        (b"}", "cut short or is not a JSON object of arrays"),
        (b'{"11": [], "12": []', "cut short or is not a JSON object of arrays"),
        (b'{"11": [] "12": []}', "cut short or is not a JSON object of arrays"),
        (b'[{"DATE": "2026-01-01"}]', "cut short or is not a JSON object of arrays"),
        (b'{"11": {"DATE": "2026-01-01"}}', "cut short or is not a JSON object of arrays"),
    ],
)
def test_a_cut_or_misshapen_report_fails_instead_of_yielding_part_of_it(content, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        list(components._rows_by_entity(io.BytesIO(content)))


def test_report_rows_decoder_gives_numeric_targeting_values_as_strings():
    content = b'{"11": [{"TARGETING_TYPE": "LOCATION", "TARGETING_VALUE": 500}, {"TARGETING_TYPE": "GENDER", "TARGETING_VALUE": "male"}]}'
    rows = list(ReportRowsDecoder(parameters={"level": "AD_GROUP_TARGETING"}, id_columns=GENERATED["report_id_columns"]).decode(response_with_body(content)))
    assert [row["TARGETING_VALUE"] for row in rows] == ["500", "male"]


def polled(status: str, token: str = "t1") -> requests.Response:
    response = response_with_body(json.dumps({"report_status": status}).encode())
    response._content = json.dumps({"report_status": status}).encode()
    response.request = requests.Request("GET", f"{REPORTS_URL}?token={token}").prepare()
    return response


def test_status_extractor_turns_a_long_in_progress_job_into_timed_out(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("source_pinterest.components.time.monotonic", lambda: clock[0])
    extractor = ReportStatusExtractor(config={"report_timeout_minutes": 1}, parameters={}, timeout_seconds="{{ config['report_timeout_minutes'] * 60 }}")
    assert list(extractor.extract_records(polled("IN_PROGRESS"))) == ["IN_PROGRESS"]
    clock[0] += 59
    assert list(extractor.extract_records(polled("IN_PROGRESS"))) == ["IN_PROGRESS"]
    assert list(extractor.extract_records(polled("IN_PROGRESS", token="t2"))) == ["IN_PROGRESS"]  # its own clock
    clock[0] += 2
    assert list(extractor.extract_records(polled("IN_PROGRESS"))) == ["TIMED_OUT"]
    assert list(extractor.extract_records(polled("FINISHED", token="t2"))) == ["FINISHED"]


def test_a_custom_report_sends_its_own_attribution_or_pinterests_defaults_not_the_top_level_settings():
    config = make_config(click_window_days=7, engagement_window_days=7, view_window_days=7, conversion_report_time="TIME_OF_CONVERSION",
                         custom_reports=[
                             {"name": "own", "level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLAR"], "click_window_days": 0,
                              "engagement_window_days": 14, "view_window_days": 0, "conversion_report_time": "TIME_OF_CONVERSION"},
                             {"name": "plain", "level": "AD_GROUP", "columns": ["SPEND_IN_DOLLAR"]},
                         ])
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {})
        read_streams(config, "custom_own", "custom_plain", sync_mode=SyncMode.incremental)
        bodies = sent_bodies(http_mocker)
    assert {(b["level"], b["click_window_days"], b["engagement_window_days"], b["view_window_days"], b["conversion_report_time"]) for b in bodies} == {
        ("CAMPAIGN", 0, 14, 0, "TIME_OF_CONVERSION"), ("AD_GROUP", 30, 30, 1, "TIME_OF_AD_ACTION"),
    }


def test_a_total_report_row_carries_the_range_it_totals_and_its_entity():
    config = make_config(start_date=(TODAY - timedelta(days=10)).isoformat(),
                         custom_reports=[{"name": "My Totals", "level": "CAMPAIGN", "granularity": "TOTAL", "columns": ["SPEND_IN_DOLLAR"]}])
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {"626736000007": [{"SPEND_IN_DOLLAR": 12.5}]})
        output = read(config, "custom__my _totals")
        (body,) = sent_bodies(http_mocker)
    assert (body["granularity"], body["start_date"], body["end_date"]) == ("TOTAL", (TODAY - timedelta(days=10)).isoformat(), TODAY.isoformat())
    assert [record.record.data for record in output.records] == [
        {"CAMPAIGN_ID": "626736000007", "SPEND_IN_DOLLAR": 12.5, "START_DATE": body["start_date"], "END_DATE": body["end_date"]}
    ]
    assert output.most_recent_state.stream_state.states[0]["cursor"] == {"END_DATE": TODAY.isoformat()}


def test_custom_report_columns_sent_are_those_of_its_level():
    config = make_config(start_date=TODAY.isoformat(), custom_reports=[
        {"name": "everything", "level": "CAMPAIGN", "columns": []},
        {"name": "items", "level": "PRODUCT_ITEM", "columns": ["AD_ID", "SPEND_IN_DOLLAR", "PIN_PROMOTION_ID"]},
    ])
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {})
        read_streams(config, "custom_everything", "custom_items", sync_mode=SyncMode.incremental)
        columns = {body["level"]: body["columns"] for body in sent_bodies(http_mocker)}
    assert columns == {"CAMPAIGN": GENERATED["report_columns"], "PRODUCT_ITEM": ["SPEND_IN_DOLLAR"]}


def test_the_report_file_is_downloaded_without_the_bearer_token():
    with HttpMocker() as http_mocker:
        mock_report_api(http_mocker, {})
        read(make_config(start_date=TODAY.isoformat()), "advertiser_report")
        history = http_mocker._mocker.request_history
    downloads = [request for request in history if request.url == DOWNLOAD_URL]
    api_calls = [request for request in history if request.url.startswith(REPORTS_URL)]
    assert downloads and all("Authorization" not in request.headers for request in downloads)
    assert api_calls and all(request.headers["Authorization"].startswith("Bearer ") for request in api_calls)
