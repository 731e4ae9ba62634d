"""Rate limits: the per-category api_budget, and waiting on HTTP 429 up to a maximum."""

import json
import time
from pathlib import Path

import pytest
import requests
import yaml
from freezegun import freeze_time

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.models.declarative_component_schema import HTTPAPIBudget as HTTPAPIBudgetModel
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_pinterest.components import RateLimitResetWait
from unit_tests.support import BASE_URL, make_config, mock_oauth, read_streams

MANIFEST = yaml.safe_load((Path(__file__).parents[1] / "source_pinterest" / "manifest.yaml").read_text())


def budget(config: dict):
    return ModelToComponentFactory().create_component(HTTPAPIBudgetModel, MANIFEST["api_budget"], config)


def limit_for(budget_, path: str, method: str = "GET") -> int | None:
    policy = budget_.get_matching_policy(requests.Request(method, f"https://api.pinterest.com/v5{path}").prepare())
    return None if policy is None else policy._bucket.rates[0].limit


@pytest.mark.parametrize("path, method, limit", [
    ("/ad_accounts/1/campaigns/analytics", "GET", 300),
    ("/ad_accounts/1/ads/targeting_analytics", "GET", 300),
    ("/ad_accounts/1/analytics", "GET", 300),
    ("/ad_accounts/1/reports", "POST", 300),
    ("/ad_accounts/1/campaigns", "GET", 1000),
    ("/ad_accounts", "GET", 1000),
    ("/user_account/analytics/top_pins", "GET", 1000),
    ("/boards/5/pins", "GET", 1000),
    ("/catalogs/feeds", "GET", 1000),
])
def test_each_category_has_pinterests_standard_limit_by_default(path, method, limit):
    assert limit_for(budget(make_config()), path, method) == limit


def test_rate_limits_lower_a_category_without_touching_the_others():
    lowered = budget(make_config(rate_limits={"ads_analytics": 20, "org_read": 50}))
    assert limit_for(lowered, "/ad_accounts/1/ad_groups/analytics") == 20
    assert limit_for(lowered, "/ad_accounts/1/ad_groups") == 1000
    assert limit_for(lowered, "/boards") == 50


def test_the_token_endpoint_and_report_downloads_are_not_paced():
    assert limit_for(budget(make_config()), "/oauth/token", "POST") is None
    policy = budget(make_config()).get_matching_policy(requests.Request("GET", "https://storage.example.com/report.csv").prepare())
    assert policy is None


def rate_limited(reset_seconds: int) -> HttpResponse:
    return HttpResponse(json.dumps({"code": 8, "message": "Too many requests"}), 429, {"X-RateLimit-Reset": str(reset_seconds)})


def test_a_short_rate_limit_is_waited_out_and_retried(backoff_waits):
    boards = HttpRequest(f"{BASE_URL}/boards", query_params={"page_size": "250"})
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(boards, [rate_limited(7), HttpResponse(json.dumps({"items": [{"id": "b1"}], "bookmark": None}), 200)])
        output = read_streams(make_config(), "boards")
    assert [r.record.data["id"] for r in output.records] == ["b1"]
    assert any(7 <= seconds <= 8 for seconds in backoff_waits), backoff_waits  # the CDK adds a second of margin


@pytest.mark.real_backoff
def test_a_retry_really_waits_before_it_is_sent(backoff_waits):
    """Every other test records the CDK's waits instead of sleeping them; this one sleeps (reset 1 s,
    plus the CDK's second of margin)."""
    boards = HttpRequest(f"{BASE_URL}/boards", query_params={"page_size": "250"})
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(boards, [rate_limited(1), HttpResponse(json.dumps({"items": [{"id": "b1"}], "bookmark": None}), 200)])
        started = time.monotonic()
        output = read_streams(make_config(), "boards")
        waited = time.monotonic() - started
    assert [r.record.data["id"] for r in output.records] == ["b1"]
    assert backoff_waits == [] and waited >= 2, (backoff_waits, waited)  # slept, not recorded


@freeze_time("2026-11-20 10:00:00")
def test_a_daily_quota_stops_the_stream_saying_when_it_resets():
    boards = HttpRequest(f"{BASE_URL}/boards", query_params={"page_size": "250"})
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(boards, rate_limited(67_000))
        output = read_streams(make_config(max_rate_limit_wait_seconds=600), "boards", expect_failure=True)
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.transient_error
    assert "/v5/boards" in error.message and "2026-11-21 04:36:40 UTC" in error.message


def test_the_reset_wait_is_the_headers_seconds():
    strategy = RateLimitResetWait(header="X-RateLimit-Reset", max_waiting_time_in_seconds=600, parameters={}, config={})
    response = requests.Response()
    response.status_code, response.headers["X-RateLimit-Reset"] = 429, "42"
    assert strategy.backoff_time(response, 1) == 42
