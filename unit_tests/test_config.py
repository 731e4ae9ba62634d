"""Configuration: spec, errors that name the field, older config forms."""

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from airbyte_cdk.models import Status
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_pinterest.run import SourcePinterest
from unit_tests.support import BASE_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, connection_status, make_config, mock_oauth, read_streams, run_command, run_connector


def test_spec_marks_every_credential_secret():
    spec = SourcePinterest().spec(None).connectionSpecification
    credentials = spec["properties"]["credentials"]["properties"]
    for name in ("client_id", "client_secret", "refresh_token", "access_token"):
        assert credentials[name]["airbyte_secret"] is True
    for name in ("client_id", "client_secret", "refresh_token"):
        assert spec["properties"][name]["airbyte_secret"] is True


def test_spec_defaults_keep_archived_history_and_api_attribution():
    properties = SourcePinterest().spec(None).connectionSpecification["properties"]
    assert properties["status"]["default"] == ["ACTIVE", "PAUSED", "ARCHIVED"]
    assert (properties["click_window_days"]["default"], properties["engagement_window_days"]["default"], properties["view_window_days"]["default"]) == (30, 30, 1)
    assert properties["api_base_url"]["default"] == "https://api.pinterest.com/v5"


@pytest.mark.parametrize(
    "override, field",
    [
        ({"start_date": "2024/01/31"}, "start_date"),
        ({"status": ["ACTIVE", "DELETED"]}, "status.1"),
        ({"account_ids": ["12ab"]}, "account_ids.0"),
        ({"num_threads": 0}, "num_threads"),
        ({"view_window_days": 3}, "view_window_days"),
        ({"api_base_url": "not a url"}, "api_base_url"),
    ],
)
def test_check_names_the_invalid_field(tmp_path, override, field):
    status = connection_status(run_command(tmp_path, "check", make_config(**override)))
    assert status["status"] == "FAILED"
    assert status["message"].startswith(f"Invalid configuration field '{field}'")


def test_check_rejects_a_start_date_in_the_future(tmp_path):
    # the console script, as the image runs it; the real clock decides
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=2)).isoformat()
    status = connection_status(run_connector(tmp_path, "check", make_config(start_date=tomorrow)))
    assert status["status"] == "FAILED"
    assert f"Invalid 'start_date' {tomorrow}: it is in the future" in status["message"]


def test_check_passes_with_only_user_account_access():
    """An Analyst-role user cannot read boards; check must use the least-privileged call."""
    config = make_config()
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(HttpRequest(f"{BASE_URL}/user_account"), HttpResponse(json.dumps({"username": "analyst", "account_type": "BUSINESS"}), 200))
        status = SourcePinterest(config=config).check(logging.getLogger("test"), config)
    assert status.status == Status.SUCCEEDED


def test_older_top_level_credentials_are_moved_into_credentials(tmp_path):
    legacy = {"client_id": "legacy-client-1", "client_secret": "legacy-secret-2", "refresh_token": "legacy-refresh-3"}
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(legacy))
    SourcePinterest(config=legacy, config_path=str(config_path))
    migrated = json.loads(config_path.read_text())
    assert migrated["credentials"] == {"auth_method": "oauth2.0", **legacy}
    assert "refresh_token" not in migrated


def test_single_account_id_restricts_like_account_ids():
    config = make_config(account_id="111")
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(
            HttpRequest(f"{BASE_URL}/ad_accounts", query_params={"page_size": "250"}),
            HttpResponse(json.dumps({"items": [{"id": "111"}, {"id": "222"}], "bookmark": None}), 200),
        )
        output = read_streams(config, "ad_accounts")
    assert [r.record.data["id"] for r in output.records] == ["111"]



def test_more_threads_than_run_at_once_pass_check_with_a_warning(tmp_path, caplog):
    """The published connector accepted num_threads up to 40; 20 run at once (max_concurrency)."""
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(HttpRequest(f"{BASE_URL}/user_account"), HttpResponse(json.dumps({"username": "u"}), 200))
        messages = run_command(tmp_path, "check", make_config(num_threads=40))
    assert connection_status(messages)["status"] == "SUCCEEDED"
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert "num_threads is 40: 20 requests run at once, as many as Pinterest's rate limits can use." in warnings
    workers = SourcePinterest(config=make_config(num_threads=40))._concurrent_source._threadpool._threadpool._max_workers
    assert workers == 20


@pytest.mark.parametrize("impossible", ["2024-13-45", "2024-02-30"])
def test_check_names_start_date_when_it_is_no_calendar_date(tmp_path, impossible):
    status = connection_status(run_command(tmp_path, "check", make_config(start_date=impossible)))
    assert status["status"] == "FAILED"
    assert status["message"] == f"Invalid 'start_date' {impossible}: it is not a date of the calendar. Use YYYY-MM-DD, e.g. 2024-01-31, or leave it empty."


@pytest.mark.parametrize(
    "override, sentence",
    [
        ({"start_date": "2099-01-01"}, "Invalid 'start_date' 2099-01-01: it is in the future. Use a past date (YYYY-MM-DD) or leave it empty."),
        ({"custom_reports": [{"name": "spend", "level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLARS"]}]},
         "Invalid configuration field 'custom_reports.0.columns': SPEND_IN_DOLLARS is not a Pinterest report column; remove it."),
    ],
)
def test_a_failing_check_says_one_sentence_and_keeps_the_traceback_in_the_trace(tmp_path, override, sentence):
    messages = run_command(tmp_path, "check", make_config(**override))
    assert connection_status(messages) == {"status": "FAILED", "message": sentence}
    (trace,) = [message["trace"]["error"] for message in messages if message["type"] == "TRACE"]
    assert trace["message"] == sentence and trace["failure_type"] == "config_error" and "Traceback" in trace["stack_trace"]


@pytest.mark.parametrize(
    "config, sentence",
    [
        ({}, "Configuration field 'credentials' is missing. Add it: OAuth 2.0 credentials of a Pinterest app (client id and secret) and a refresh token of the user whose data is synced."),
        ({"credentials": {"auth_method": "oauth2.0", "client_id": "client-id-1", "refresh_token": "refresh-token-1"}},
         "Configuration field 'credentials.client_secret' is missing. Add it: The app secret key of your Pinterest app."),
    ],
)
def test_check_names_a_missing_required_field(tmp_path, config, sentence):
    assert connection_status(run_command(tmp_path, "check", config)) == {"status": "FAILED", "message": sentence}


def test_older_top_level_credentials_pass_check(tmp_path):
    legacy = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(HttpRequest(f"{BASE_URL}/user_account"), HttpResponse(json.dumps({"username": "u"}), 200))
        assert connection_status(run_command(tmp_path, "check", legacy))["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    "url", ["https://api.pinterest.com/v5", "https://api-sandbox.pinterest.com/v5", "http://127.0.0.1:8765/v5", "http://localhost:1/v5", "http://[::1]:80/v5"]
)
def test_pinterest_and_loopback_api_base_urls_are_accepted(url):
    SourcePinterest(config=make_config(api_base_url=url)).streams(make_config(api_base_url=url))


@pytest.mark.parametrize(
    "url", ["https://collector.example.com/v5", "http://api.pinterest.com/v5", "https://api.pinterest.com.example.com/v5", "http://10.0.0.5/v5"]
)
def test_check_refuses_any_other_api_base_url_before_any_request(tmp_path, url):
    with HttpMocker():  # any request would fail the test: nothing is mocked
        status = connection_status(run_command(tmp_path, "check", make_config(api_base_url=url)))
    assert status["status"] == "FAILED"
    assert status["message"].startswith(f"Invalid 'api_base_url' {url}: the connector sends your Pinterest credentials only to https://api.pinterest.com")
