"""Async reports: validation, lifecycle, expiring links, fail modes, layouts and streaming."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from pinterest_emulator import reports
from pinterest_emulator.analytics_state import state_of
from pinterest_emulator.dataset import Dataset
from pinterest_emulator.reports import expected_report_rows
from pinterest_emulator.routing import ApiError, Request

from conftest import TODAY  # the date of the conftest's emulator
from openapi_schemas import assert_matches_response_schema

DAY = dt.date.fromisoformat(TODAY)
COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CHECKOUT", "CTR", "CAMPAIGN_NAME"]


def days_ago(days: int) -> str:
    return (DAY - dt.timedelta(days=days)).isoformat()


def report_body(**overrides: Any) -> dict:
    body = {"level": "CAMPAIGN", "columns": COLUMNS, "start_date": days_ago(20), "end_date": TODAY, "granularity": "DAY"}
    body.update(overrides)
    return body


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset("small", 1, DAY)


@pytest.fixture
def fake(dataset: Dataset) -> SimpleNamespace:
    return SimpleNamespace(
        dataset=dataset, today=lambda: DAY, options=SimpleNamespace(extra={}), reports=None,
        base_url="http://127.0.0.1:1/v5", root_url="http://127.0.0.1:1",
    )


def account_of(dataset: Dataset) -> str:
    return dataset.ad_accounts[0]["id"]


def create(emulator: Any, account: str, body: dict) -> dict:
    request = Request("POST", "/", {"ad_account_id": account}, {}, {}, json.dumps(body).encode(), emulator)
    return reports.create_report(request).body


def poll(emulator: Any, account: str, token: str) -> dict:
    return reports.get_report(Request("GET", "/", {"ad_account_id": account}, {"token": [token]}, {}, b"", emulator)).body


def download(emulator: Any, url: str):
    name, _, query = url.split("/_downloads/")[1].partition("?")
    params = dict(part.split("=") for part in query.split("&"))
    request = Request("GET", "/", {"name": name}, {k: [v] for k, v in params.items()}, {}, b"", emulator)
    return reports.download_report(request)


def finished(emulator: Any, account: str, body: dict) -> tuple[str, dict]:
    token = create(emulator, account, body)["token"]
    for _ in range(5):
        status = poll(emulator, account, token)
        if status["report_status"] == "FINISHED":
            return token, status
    raise AssertionError(status)


# ---- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, parameter",
    [
        ({"level": "COUNTRY"}, "level"),
        ({"level": None}, "level"),
        ({"columns": None}, "columns"),
        ({"granularity": "YEAR"}, "granularity"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": days_ago(915), "end_date": days_ago(800)}, "start_date"),
        ({"start_date": days_ago(200)}, "end_date"),
        ({"granularity": "HOUR", "start_date": days_ago(9), "end_date": days_ago(8)}, "start_date"),
        ({"granularity": "HOUR", "start_date": days_ago(8), "end_date": days_ago(4)}, "end_date"),
        ({"level": "PRODUCT_ITEM", "start_date": days_ago(93), "end_date": days_ago(90)}, "start_date"),
        ({"level": "PRODUCT_ITEM", "start_date": days_ago(40)}, "end_date"),
        ({"level": "PRODUCT_ITEM", "ad_ids": ["1"]}, "ad_ids"),
        ({"level": "CAMPAIGN_TARGETING", "targeting_types": []}, "targeting_types"),
        ({"level": "CAMPAIGN_TARGETING", "targeting_types": ["GENDER", "APPTYPE", "COUNTRY", "REGION", "GEO", "AGE_BUCKET"]},
         "targeting_types"),
        ({"targeting_types": ["GENDER"]}, "targeting_types"),
        ({"report_format": "XML"}, "report_format"),
        ({"view_window_days": 2}, "view_window_days"),
        ({"campaign_statuses": ["RUNNING", "PAUSED", "NOT_STARTED", "COMPLETED", "ARCHIVED", "DRAFT", "DELETED_DRAFT"]},
         "campaign_statuses"),
        ({"campaign_ids": [str(i) for i in range(501)]}, "campaign_ids"),
        ({"start_date": days_ago(1), "end_date": days_ago(2)}, "end_date"),
    ],
)
def test_create_validation(dataset, fake, overrides, parameter):
    body = {k: v for k, v in report_body(**overrides).items() if v is not None}
    with pytest.raises(ApiError) as error:
        create(fake, account_of(dataset), body)
    assert (error.value.status, error.value.code) == (400, 1)
    assert parameter in error.value.message


def test_limits_accept_their_edges(dataset, fake):
    account = account_of(dataset)
    for body in (report_body(start_date=days_ago(914), end_date=days_ago(728)),
                 report_body(granularity="HOUR", start_date=days_ago(8), end_date=days_ago(5)),
                 report_body(level="PRODUCT_ITEM", start_date=days_ago(92), end_date=days_ago(61))):
        assert create(fake, account, body)["report_status"] == "IN_PROGRESS"


# ---- lifecycle --------------------------------------------------------------------------------


def test_lifecycle_with_expiring_links(dataset, fake):
    clock = state_of(fake).clock = FakeClock()
    fake.options.extra.update(report_polls=2)
    account = account_of(dataset)
    created = create(fake, account, report_body())
    assert created["report_status"] == "IN_PROGRESS" and created["token"]
    assert [poll(fake, account, created["token"])["report_status"] for _ in range(2)] == ["IN_PROGRESS"] * 2
    status = poll(fake, account, created["token"])
    assert status["report_status"] == "FINISHED" and status["url"].startswith("http://127.0.0.1:1/_downloads/")
    data = b"".join(download(fake, status["url"]).body)
    assert json.loads(data) == expected_report_rows(dataset, account, report_body(), today=DAY)
    assert status["size"] == len(data)

    clock.now += 301  # the link lives 5 minutes
    expired = download(fake, status["url"])
    assert expired.status == 403 and b"Request has expired" in expired.body
    fresh = poll(fake, account, created["token"])
    assert fresh["report_status"] == "FINISHED" and fresh["url"] != status["url"]
    assert b"".join(download(fake, fresh["url"]).body) == data

    clock.now += 3600  # the report lives an hour
    assert poll(fake, account, created["token"])["report_status"] == "EXPIRED"
    assert poll(fake, account, "no-such-token")["report_status"] == "DOES_NOT_EXIST"


@pytest.mark.parametrize("mode", ["FAILED", "CANCELLED", "EXPIRED"])
def test_fail_modes_for_the_first_jobs(dataset, fake, mode):
    fake.options.extra.update(report_fail_mode=mode, report_fail_count=1)
    account = account_of(dataset)
    failing = create(fake, account, report_body())["token"]
    statuses = [poll(fake, account, failing) for _ in range(2)]
    assert [s["report_status"] for s in statuses] == ["IN_PROGRESS", mode] and statuses[1]["url"] is None
    assert finished(fake, account, report_body())[1]["report_status"] == "FINISHED"


def test_stuck_reports_stay_in_progress(dataset, fake):
    fake.options.extra.update(report_stuck=True)
    account = account_of(dataset)
    token = create(fake, account, report_body())["token"]
    assert {poll(fake, account, token)["report_status"] for _ in range(5)} == {"IN_PROGRESS"}


# ---- layouts ----------------------------------------------------------------------------------


def test_json_layout_omits_zeros_and_keys_by_entity(dataset):
    account = account_of(dataset)
    report = expected_report_rows(dataset, account, report_body(), today=DAY)
    campaigns = {campaign["id"] for campaign in dataset.campaigns[account]}
    assert report and set(report) <= campaigns
    rows = [row for entity_rows in report.values() for row in entity_rows]
    assert all(row["DATE"] <= TODAY and all(value != 0 for value in row.values()) for row in rows)
    assert any(len(row) < len(COLUMNS) + 1 for row in rows)  # some zero metrics were omitted


def test_targeting_report_rows_and_by_date_layout(dataset):
    account = account_of(dataset)
    body = report_body(level="AD_GROUP_TARGETING", targeting_types=["GENDER", "COUNTRY"], start_date=days_ago(3))
    report = expected_report_rows(dataset, account, body, today=DAY)
    row = next(iter(report.values()))[0]
    assert list(row)[:3] == ["DATE", "TARGETING_TYPE", "TARGETING_VALUE"]
    by_date = expected_report_rows(dataset, account, {**body, "primary_sort": "BY_DATE"}, today=DAY)
    assert set(by_date) == {days_ago(d) for d in range(4)}
    assert sum(map(len, by_date.values())) == sum(map(len, report.values()))


def test_targeting_level_without_targeting_types_has_no_targeting_breakdown(dataset, fake):
    """The spec makes targeting_types an optional filter, also at _TARGETING levels (the published connector omits it)."""
    account = account_of(dataset)
    body = report_body(level="AD_GROUP_TARGETING", start_date=days_ago(3))
    assert create(fake, account, body)["report_status"]
    report = expected_report_rows(dataset, account, body, today=DAY)
    assert report and report == expected_report_rows(dataset, account, {**body, "level": "AD_GROUP"}, today=DAY)


def test_csv_report_is_zero_filled(dataset, fake):
    account = account_of(dataset)
    body = report_body(report_format="CSV")
    _, status = finished(fake, account, body)
    assert ".csv?" in status["url"]
    response = download(fake, status["url"])
    lines = list(csv.reader(io.StringIO(b"".join(response.body).decode())))
    assert lines[0] == ["DATE"] + COLUMNS
    expected = expected_report_rows(dataset, account, report_body(), today=DAY)
    assert len(lines) - 1 == sum(map(len, expected.values()))
    assert all(len(line) == len(COLUMNS) + 1 and "" not in line[1:5] for line in lines[1:])


def test_large_report_is_streamed(dataset, fake):
    account = account_of(dataset)
    body = report_body(level="PIN_PROMOTION_TARGETING", targeting_types=["APPTYPE", "AGE_BUCKET", "GENDER"],
                       start_date=days_ago(185), columns=["TOTAL_IMPRESSION"])
    token = create(fake, account, body)["token"]
    job = state_of(fake).jobs[token]
    chunks = reports.report_stream(dataset, job)
    assert iter(chunks) is chunks  # a generator, not a list built in memory
    first = next(chunks)
    assert first.startswith(b'{"') and len(first) >= 64 * 1024
    chunks.close()


# ---- over HTTP ----------------------------------------------------------------------------------


@pytest.mark.needs_openapi
def test_http_lifecycle_and_schemas(emulator, client, account_ids):
    account = account_ids[0]
    url = f"{emulator.base_url}/ad_accounts/{account}/reports"
    created = client.session.post(url, json=report_body(), timeout=10)
    assert created.status_code == 200, created.text
    assert_matches_response_schema("/ad_accounts/{ad_account_id}/reports", "post", created.json())
    token = created.json()["token"]
    status = client.get(f"/ad_accounts/{account}/reports", token=token).json()
    assert status["report_status"] == "IN_PROGRESS"
    status = client.get(f"/ad_accounts/{account}/reports", token=token).json()
    assert_matches_response_schema("/ad_accounts/{ad_account_id}/reports", "get", status)
    assert status["report_status"] == "FINISHED" and status["url"].startswith(emulator.root_url + "/_downloads/")
    downloaded = requests.get(status["url"], timeout=10)  # no bearer token, like cloud storage
    assert downloaded.status_code == 200
    assert downloaded.json() == expected_report_rows(emulator.dataset, account, report_body(), today=emulator.today())
    state_of(emulator).clock = lambda: 1e12  # far in the future: the link has expired
    expired = requests.get(status["url"], timeout=10)
    assert expired.status_code == 403 and "Request has expired" in expired.text
    bad = client.session.post(url, json=report_body(level="NOPE"), timeout=10)
    assert bad.status_code == 400 and bad.json()["code"] == 1 and "level" in bad.json()["message"]
