"""Fault injection: every kind, targeted and random (seeded, so reproducible), on API routes and downloads."""

import json
import time

import pytest
import requests

from pinterest_emulator import Emulator
from pinterest_emulator.tests.conftest import TODAY


def test_targeted_429_carries_code_8_and_a_reset_header(client, emulator):
    emulator.configure(fail_next=[("/ad_accounts$", "429", 1)])
    response = client.get("/ad_accounts")
    assert (response.status_code, response.json()["code"]) == (429, 8)
    assert int(response.headers["X-RateLimit-Reset"]) >= 1
    assert client.get("/ad_accounts").status_code == 200  # the count was 1


def test_targeted_faults_count_down_and_match_by_regex(client, emulator, account_ids):
    emulator.configure(fail_next=[{"pattern": r"/campaigns\?", "kind": "500", "count": 2}])
    path = f"/ad_accounts/{account_ids[0]}/campaigns"
    assert client.get("/ad_accounts").status_code == 200
    statuses = [client.get(path, page_size=5).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert emulator.options.fail_next == []


@pytest.mark.parametrize("kind, content_type", [("500", "application/json"), ("502", "text/plain"),
                                                ("503", "text/plain")])
def test_server_errors(client, emulator, kind, content_type):
    emulator.configure(fail_next=[("user_account", kind, 1)])
    response = client.get("/user_account")
    assert response.status_code == int(kind)
    assert response.headers["Content-Type"] == content_type


def test_drop_closes_the_connection_without_an_answer(client, emulator):
    emulator.configure(fail_next=[("user_account", "drop", 1)])
    with pytest.raises(requests.ConnectionError):
        client.get("/user_account")
    assert client.get("/user_account").status_code == 200
    assert emulator.stats()["by_status"]["0"] == 1


def test_truncate_promises_the_whole_body_and_sends_half(client, emulator):
    emulator.configure(fail_next=[("ad_accounts", "truncate", 1)])
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        client.get("/ad_accounts")
    assert client.get("/ad_accounts").status_code == 200


def test_cut_answers_a_complete_response_whose_json_body_is_cut_off(client, emulator):
    emulator.configure(fail_next=[("ad_accounts", "cut", 1)])
    cut = client.get("/ad_accounts")
    whole = client.get("/ad_accounts")
    assert cut.status_code == 200 and int(cut.headers["Content-Length"]) == len(cut.content) == len(whole.content) // 2
    assert whole.content.startswith(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)


def _report_link(client, account: str) -> str:
    created = client.session.post(f"{client.emulator.base_url}/ad_accounts/{account}/reports", json={
        "start_date": TODAY, "end_date": TODAY, "granularity": "DAY",
        "level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLAR"], "report_format": "JSON"}).json()
    for _ in range(20):
        status = client.get(f"/ad_accounts/{account}/reports", token=created["token"]).json()
        if status["report_status"] == "FINISHED":
            return status["url"]
    raise AssertionError(status)


def test_a_download_can_be_cut_too_but_gets_no_api_faults(client, emulator, account_ids):
    link = _report_link(client, account_ids[0])
    emulator.configure(fail_next=[("_downloads", "429", 1), ("_downloads", "cut", 1)])
    cut = requests.get(link)
    whole = requests.get(link)
    assert cut.status_code == whole.status_code == 200 and len(cut.content) == len(whole.content) // 2
    assert [fault.kind for fault in emulator.options.fail_next] == ["429"]  # a file host answers no 429


def test_slow_and_latency(client, emulator):
    emulator.configure(fail_next=[("user_account", "slow", 1)], slow_ms=300)
    started = time.time()
    assert client.get("/user_account").status_code == 200
    assert time.time() - started >= 0.3
    emulator.configure(latency_ms=100)
    started = time.time()
    client.get("/user_account")
    assert time.time() - started >= 0.1


def test_random_faults_are_reproducible_with_a_seed(options):
    def statuses() -> list[int]:
        options.fault_rate, options.fault_kinds, options.fault_seed = 0.5, ["500", "503"], 7
        with Emulator(profile="tiny", options=options) as emulator:
            headers = {"Authorization": "Bearer " + emulator.issue_access_token()}
            return [requests.get(emulator.base_url + "/user_account", headers=headers).status_code for _ in range(30)]

    first, second = statuses(), statuses()
    assert first == second
    assert {200, 500, 503} == set(first)


def test_faults_spare_admin_routes_and_optionally_oauth(client, emulator):
    emulator.configure(fault_rate=1.0, fault_kinds=["500"], fault_oauth=False)
    assert client.get("/user_account").status_code == 500
    assert requests.get(emulator.root_url + "/_emulator/stats").status_code == 200
    credentials = emulator.credentials
    token = requests.post(emulator.base_url + "/oauth/token", auth=(credentials["client_id"], credentials["client_secret"]),
                          data={"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"]})
    assert token.status_code == 200


def test_unknown_fault_kind_is_refused(emulator):
    with pytest.raises(ValueError):
        emulator.configure(fault_kinds=["teapot"])
