"""Saved state of Airbyte's published connector (2.1.12) resumes each ad account from its own cursor.

The states are that connector's own output (unit_tests/published_states, `python -m bench.published_states`);
a test edits only their cursors, e.g. to put two accounts 15 days apart."""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder

from unit_tests.support import BASE_URL, make_config, mock_oauth, page, read_streams
from unit_tests.test_reports import GENERATED, TODAY, no_poll_wait  # noqa: F401 (an autouse fixture)

PUBLISHED_STATES = Path(__file__).parent / "published_states"
ACCOUNTS = ("549755813007", "549755813014")  # the two ad accounts of the published run
LOOKBACK_DAYS = 3
CUSTOM_REPORTS = [
    {"name": "My Totals", "level": "ADVERTISER", "granularity": "TOTAL", "columns": ["SPEND_IN_DOLLAR", "IMPRESSION_1"]},
    {"name": "Daily Spend", "level": "ADVERTISER", "granularity": "DAY", "columns": ["SPEND_IN_DOLLAR", "IMPRESSION_1"]},
]


def published_state(file_name: str, cursors: dict[str, str] | None = None) -> tuple[str, dict]:
    """(stream name, stream state) of a published state file, with the accounts' cursors replaced by `cursors`."""
    stream = json.loads((PUBLISHED_STATES / f"{file_name}.json").read_text())["stream"]
    state = copy.deepcopy(stream["stream_state"])
    for entry in state["states"]:
        if cursors:
            entry["cursor"] = {"DATE": cursors[entry["partition"]["id"]]}
    return stream["stream_descriptor"]["name"], state


def mock_two_accounts(http_mocker: HttpMocker) -> None:
    mock_oauth(http_mocker)
    http_mocker.get(HttpRequest(f"{BASE_URL}/ad_accounts", query_params={"page_size": "250"}), page([{"id": account} for account in ACCOUNTS]))
    for account in ACCOUNTS:
        reports = f"{BASE_URL}/ad_accounts/{account}/reports"
        http_mocker._mocker.post(reports, text=json.dumps({"token": f"t{account}", "report_status": "IN_PROGRESS"}))
        download = f"https://storage.example.com/{account}.json"
        http_mocker.get(HttpRequest(reports, query_params={"token": f"t{account}"}),
                        HttpResponse(json.dumps({"report_status": "FINISHED", "url": download, "size": 2}), 200))
        http_mocker.get(HttpRequest(download), HttpResponse("{}"))


def report_jobs(http_mocker: HttpMocker) -> list[tuple[str, dict]]:
    """(ad account, body) of each report job created."""
    return [(request.url.split("/ad_accounts/")[1].split("/")[0], json.loads(request.body))
            for request in http_mocker._mocker.request_history if request.method == "POST" and request.url.endswith("/reports")]


def resume(file_name: str, cursors: dict[str, str] | None = None, start_date: str = "2026-11-01"):
    name, state = published_state(file_name, cursors)
    config = make_config(start_date=start_date, custom_reports=CUSTOM_REPORTS, lookback_window_days=LOOKBACK_DAYS)
    with HttpMocker() as http_mocker:
        mock_two_accounts(http_mocker)
        output = read_streams(config, name, sync_mode=SyncMode.incremental, state=StateBuilder().with_stream_state(name, state).build())
        return output, report_jobs(http_mocker)


def earliest_start_per_account(jobs: list[tuple[str, dict]]) -> dict[str, str]:
    return {account: min(body["start_date"] for job_account, body in jobs if job_account == account) for account in ACCOUNTS}


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def only_account_partitions(output) -> bool:
    """The new state has a partition per ad account, none of the published `id` ones."""
    partitions = [entry["partition"] for entry in output.most_recent_state.stream_state.states]
    return all("id" not in partition for partition in partitions) and {partition["ad_account_id"] for partition in partitions} == set(ACCOUNTS)


@pytest.mark.parametrize("file_name", ["advertiser_report", "campaign_targeting_report", "custom__daily__spend"])
def test_two_accounts_15_days_apart_each_resume_from_their_own_cursor(file_name):
    cursors = {ACCOUNTS[0]: days_ago(5), ACCOUNTS[1]: days_ago(20)}
    output, jobs = resume(file_name, cursors)
    assert not output.errors
    resumed_at = {account: (date.fromisoformat(cursor) - timedelta(days=LOOKBACK_DAYS)).isoformat() for account, cursor in cursors.items()}
    assert earliest_start_per_account(jobs) == resumed_at
    if file_name == "campaign_targeting_report":  # every targeting-type group of an account resumes there
        for account in ACCOUNTS:
            groups = {",".join(body["targeting_types"]) for job_account, body in jobs if job_account == account and body["start_date"] == resumed_at[account]}
            assert groups == set(GENERATED["report_targeting_type_groups"])
    assert only_account_partitions(output)


def test_a_published_total_report_whose_cursor_never_moved_is_read_from_the_start_date():
    """The published connector left TOTAL reports at their start (2024-06-04 here) and keyed them by DATE,
    which TOTAL rows do not have: the report is read again from the configured start date."""
    output, jobs = resume("custom__my__totals", start_date=days_ago(30))
    assert not output.errors
    assert earliest_start_per_account(jobs) == {account: days_ago(30) for account in ACCOUNTS}
    assert {body["granularity"] for _, body in jobs} == {"TOTAL"}
    assert only_account_partitions(output)
