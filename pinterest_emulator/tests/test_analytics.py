"""Synchronous ads, targeting and organic analytics: validation, determinism, helpers, shapes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from pinterest_emulator import analytics, organic_analytics
from pinterest_emulator.analytics import expected_ads_analytics_rows, expected_targeting_analytics_rows
from pinterest_emulator.dataset import Dataset
from pinterest_emulator.metrics import Attribution, is_active, is_conversion_column, metric_rows, metric_values
from pinterest_emulator.organic_analytics import (
    expected_pin_analytics,
    expected_top_pins,
    expected_user_account_analytics,
)
from pinterest_emulator.reporting_entities import entities
from pinterest_emulator.routing import ApiError, Request

from conftest import TODAY  # the date of the conftest's emulator
from openapi_schemas import assert_matches_response_schema

DAY = dt.date.fromisoformat(TODAY)
COLUMNS = ["SPEND_IN_MICRO_DOLLAR", "SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH", "CTR", "TOTAL_CHECKOUT", "CHECKOUT_ROAS"]
CONVERSIONS = [column for column in COLUMNS if is_conversion_column(column)]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset("small", 1, DAY)


@pytest.fixture
def fake(dataset: Dataset) -> SimpleNamespace:
    """Stands in for the running emulator when handlers are called directly."""
    return SimpleNamespace(
        dataset=dataset, today=lambda: DAY, options=SimpleNamespace(extra={}), reports=None,
        base_url="http://127.0.0.1:1/v5", root_url="http://127.0.0.1:1",
    )


def call(handler, emulator: Any, path_params: dict | None = None, **query: Any):
    request = Request("GET", "/", path_params or {}, {k: [str(v)] for k, v in query.items()}, {}, b"", emulator)
    return handler(request)


def days_ago(days: int) -> str:
    return (DAY - dt.timedelta(days=days)).isoformat()


def account_and_campaigns(dataset: Dataset, count: int = 5) -> tuple[str, list[str]]:
    account = dataset.ad_accounts[0]["id"]
    return account, [campaign["id"] for campaign in dataset.campaigns[account][:count]]


def campaign_query(campaign_ids: list[str], **overrides: Any) -> dict:
    query = dict(start_date=days_ago(30), end_date=TODAY, granularity="DAY", columns=",".join(COLUMNS),
                 campaign_ids=",".join(campaign_ids))
    query.update(overrides)
    return query


def assert_invalid(handler, emulator, path_params, parameter: str, **query: Any) -> None:
    with pytest.raises(ApiError) as error:
        call(handler, emulator, path_params, **query)
    assert (error.value.status, error.value.code) == (400, 1)
    assert parameter in error.value.message


# ---- metrics and helpers ----------------------------------------------------------------------


def test_rows_are_deterministic_and_match_the_helper(dataset, fake):
    account, campaigns = account_and_campaigns(dataset)
    first = call(analytics.campaign_analytics, fake, {"ad_account_id": account}, **campaign_query(campaigns)).body
    again = call(analytics.campaign_analytics, fake, {"ad_account_id": account}, **campaign_query(campaigns)).body
    assert first == again
    expected = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(30), TODAY, COLUMNS, today=DAY)
    assert first == expected and first
    assert {row["CAMPAIGN_ID"] for row in first} <= set(campaigns)
    row = first[0]
    assert isinstance(row["SPEND_IN_MICRO_DOLLAR"], int) and isinstance(row["SPEND_IN_DOLLAR"], float)
    assert isinstance(row["TOTAL_CLICKTHROUGH"], int) and isinstance(row["CTR"], float)


def test_rows_respect_creation_date_today_and_drop_inactive_days(dataset):
    account = dataset.ad_accounts[0]["id"]
    ads = entities(dataset, account, "AD")
    recent = max(ads, key=lambda entity: entity.created)
    rows = expected_ads_analytics_rows(dataset, "AD", account, [e.id for e in ads[:50]] + [recent.id],
                                       days_ago(90), (DAY + dt.timedelta(days=5)).isoformat(), COLUMNS, today=DAY)
    created = {entity.id: entity.created for entity in ads}
    assert all(created[row["AD_ID"]] <= dt.date.fromisoformat(row["DATE"]) <= DAY for row in rows)
    per_ad_days = {}
    for row in rows:
        per_ad_days.setdefault(row["AD_ID"], set()).add(row["DATE"])
    possible = sum(len([d for d in range(91) if DAY - dt.timedelta(days=d) >= created[ad]]) for ad in per_ad_days)
    assert 0.6 * possible < len(rows) < possible  # most days have activity, some are dropped


def test_attribution_changes_conversion_values_only(dataset):
    account, campaigns = account_and_campaigns(dataset)
    default = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(10), TODAY, COLUMNS, today=DAY)
    for settings in ({"click_window_days": 7}, {"view_window_days": 30}, {"engagement_window_days": 1},
                     {"conversion_report_time": "TIME_OF_CONVERSION"}):
        changed = expected_ads_analytics_rows(
            dataset, "CAMPAIGN", account, campaigns, days_ago(10), TODAY, COLUMNS, Attribution.from_mapping(settings), today=DAY
        )
        assert [(r["DATE"], r["SPEND_IN_DOLLAR"]) for r in changed] == [(r["DATE"], r["SPEND_IN_DOLLAR"]) for r in default]
        assert [r["TOTAL_CHECKOUT"] for r in changed] != [r["TOTAL_CHECKOUT"] for r in default], settings


def test_conversion_revision_changes_only_the_last_days(dataset):
    account, campaigns = account_and_campaigns(dataset, 20)
    before = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(10), TODAY, COLUMNS, today=DAY)
    after = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(10), TODAY, COLUMNS,
                                        today=DAY, conversion_revision=1)
    old = {(r["CAMPAIGN_ID"], r["DATE"]): r for r in before}
    new = {(r["CAMPAIGN_ID"], r["DATE"]): r for r in after}
    assert old.keys() == new.keys()
    recent = {days_ago(0), days_ago(1), days_ago(2)}
    changed_dates = {key[1] for key in old if old[key]["TOTAL_CHECKOUT"] != new[key]["TOTAL_CHECKOUT"]}
    assert changed_dates and changed_dates <= recent
    assert all(old[key]["SPEND_IN_DOLLAR"] == new[key]["SPEND_IN_DOLLAR"] for key in old)


def test_conversion_revision_option_reaches_the_endpoint(dataset, fake):
    account, campaigns = account_and_campaigns(dataset, 20)
    query = campaign_query(campaigns, start_date=days_ago(2))
    before = call(analytics.campaign_analytics, fake, {"ad_account_id": account}, **query).body
    fake.options.extra["conversion_revision"] = 1
    after = call(analytics.campaign_analytics, fake, {"ad_account_id": account}, **query).body
    assert [r["TOTAL_CHECKOUT"] for r in before] != [r["TOTAL_CHECKOUT"] for r in after]


def test_total_and_week_granularity_aggregate_days(dataset):
    account, campaigns = account_and_campaigns(dataset, 1)
    daily = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(13), TODAY, ["TOTAL_CLICKTHROUGH"], today=DAY)
    total = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(13), TODAY, ["TOTAL_CLICKTHROUGH"],
                                        granularity="TOTAL", today=DAY)
    weekly = expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(13), TODAY, ["TOTAL_CLICKTHROUGH"],
                                         granularity="WEEK", today=DAY)
    assert "DATE" not in total[0]
    assert total[0]["TOTAL_CLICKTHROUGH"] == sum(row["TOTAL_CLICKTHROUGH"] for row in daily)
    assert sum(row["TOTAL_CLICKTHROUGH"] for row in weekly) == total[0]["TOTAL_CLICKTHROUGH"]


# ---- validation -------------------------------------------------------------------------------


def test_window_limits(dataset, fake):
    account, campaigns = account_and_campaigns(dataset)
    params = {"ad_account_id": account}
    handler = analytics.campaign_analytics
    assert call(handler, fake, params, **campaign_query(campaigns, start_date=days_ago(90))).status == 200
    assert_invalid(handler, fake, params, "start_date", **campaign_query(campaigns, start_date=days_ago(91)))
    assert_invalid(handler, fake, params, "end_date", **campaign_query(campaigns, start_date=days_ago(1), end_date=days_ago(2)))
    assert_invalid(handler, fake, params, "end_date", **campaign_query(campaigns, start_date=days_ago(80),
                                                                        end_date=(DAY + dt.timedelta(days=11)).isoformat()))
    hourly = dict(granularity="HOUR", columns="TOTAL_IMPRESSION")
    assert call(handler, fake, params, **campaign_query(campaigns, start_date=days_ago(8), end_date=days_ago(5), **hourly)).status == 200
    assert_invalid(handler, fake, params, "start_date", **campaign_query(campaigns, start_date=days_ago(9), end_date=days_ago(7), **hourly))
    assert_invalid(handler, fake, params, "end_date", **campaign_query(campaigns, start_date=days_ago(8), end_date=days_ago(4), **hourly))


def test_parameter_validation(dataset, fake):
    account, campaigns = account_and_campaigns(dataset)
    params = {"ad_account_id": account}
    handler = analytics.campaign_analytics
    query = campaign_query(campaigns)
    for missing in ("start_date", "end_date", "granularity", "columns", "campaign_ids"):
        assert_invalid(handler, fake, params, missing, **{k: v for k, v in query.items() if k != missing})
    assert_invalid(handler, fake, params, "granularity", **campaign_query(campaigns, granularity="YEAR"))
    assert_invalid(handler, fake, params, "click_window_days", **campaign_query(campaigns, click_window_days=3))
    assert_invalid(handler, fake, params, "campaign_ids", **campaign_query(["1"] * 251))
    other_account = dataset.ad_accounts[1]["id"]
    foreign = dataset.campaigns[other_account][0]["id"]
    assert_invalid(handler, fake, params, "campaign_ids", **campaign_query(campaigns + [foreign]))
    with pytest.raises(ApiError) as error:
        call(handler, fake, {"ad_account_id": "999"}, **query)
    assert error.value.status == 403


@pytest.mark.needs_openapi
def test_unknown_column_is_refused(dataset, fake):
    account, campaigns = account_and_campaigns(dataset)
    assert_invalid(analytics.campaign_analytics, fake, {"ad_account_id": account}, "NOT_A_COLUMN",
                   **campaign_query(campaigns, columns="SPEND_IN_DOLLAR,NOT_A_COLUMN"))


def test_ads_analytics_filters(dataset, fake):
    account, campaigns = account_and_campaigns(dataset, 2)
    params = {"ad_account_id": account}
    query = dict(start_date=days_ago(5), end_date=TODAY, granularity="DAY", columns="TOTAL_IMPRESSION")
    rows = call(analytics.ad_analytics, fake, params, campaign_ids=",".join(campaigns), **query).body
    ads_of_campaigns = {ad["id"] for ad in dataset.ads[account] if ad["campaign_id"] in campaigns}
    assert rows and {row["AD_ID"] for row in rows} <= ads_of_campaigns
    assert_invalid(analytics.ad_analytics, fake, params, "ad_ids", **query)


def test_targeting_analytics_shape_and_limits(dataset, fake):
    account = dataset.ad_accounts[0]["id"]
    ad_groups = [group["id"] for group in dataset.ad_groups[account][:3]]
    params = {"ad_account_id": account}
    query = dict(start_date=days_ago(6), end_date=TODAY, granularity="DAY", columns="SPEND_IN_DOLLAR,TOTAL_CHECKOUT",
                 ad_group_ids=",".join(ad_groups), targeting_types="GENDER,LOCATION")
    body = call(analytics.ad_group_targeting_analytics, fake, params, **query).body
    assert body["data"] == expected_targeting_analytics_rows(
        dataset, "AD_GROUP", account, ad_groups, days_ago(6), TODAY, ["SPEND_IN_DOLLAR", "TOTAL_CHECKOUT"],
        ["GENDER", "LOCATION"], today=DAY)
    entry = body["data"][0]
    assert set(entry) == {"targeting_type", "targeting_value", "metrics"}
    assert isinstance(entry["metrics"]["AD_GROUP_ID"], int) and "DATE" in entry["metrics"]
    assert {e["targeting_type"] for e in body["data"]} == {"GENDER", "LOCATION"}
    assert_invalid(analytics.ad_group_targeting_analytics, fake, params, "targeting_types", **{**query, "targeting_types": "QUIZ_RESULT"})
    assert_invalid(analytics.ad_group_targeting_analytics, fake, params, "targeting_types",
                   **{k: v for k, v in query.items() if k != "targeting_types"})


@pytest.mark.parametrize("kind, code, message", [("retry_after", 1, "Retry after 3 seconds"), ("code_12", 12, "transient")])
def test_transient_errors_then_success(dataset, fake, kind, code, message):
    fake.options.extra.update(analytics_transient_errors=2, analytics_transient_error=kind, analytics_retry_after_seconds=3)
    account = dataset.ad_accounts[0]["id"]
    query = dict(start_date=days_ago(3), end_date=TODAY, granularity="DAY", columns="TOTAL_IMPRESSION")
    for _ in range(2):
        with pytest.raises(ApiError) as error:
            call(analytics.ad_account_analytics, fake, {"ad_account_id": account}, **query)
        assert (error.value.status, error.value.code) == (400, code) and message in error.value.message
    assert call(analytics.ad_account_analytics, fake, {"ad_account_id": account}, **query).status == 200


# ---- organic ----------------------------------------------------------------------------------


def test_user_account_analytics(dataset, fake):
    body = call(organic_analytics.user_account_analytics, fake, start_date=days_ago(10), end_date=TODAY).body
    assert body == expected_user_account_analytics(dataset, days_ago(10), TODAY, today=DAY)
    daily = body["all"]["daily_metrics"]
    assert [entry["date"] for entry in daily] == [days_ago(d) for d in range(10, -1, -1)]
    assert daily[-1]["data_status"] == "PROCESSING" and daily[0]["data_status"] == "READY"
    assert set(daily[0]["metrics"]) == set(organic_analytics.ACCOUNT_METRICS)
    assert body["all"]["summary_metrics"]["IMPRESSION"] == sum(e["metrics"].get("IMPRESSION", 0) for e in daily)
    with pytest.raises(ApiError):
        call(organic_analytics.user_account_analytics, fake, start_date=days_ago(91), end_date=TODAY)


def test_pin_analytics_and_top_pins(dataset, fake):
    pins = [pin["id"] for pin in dataset.pins[:3]]
    body = call(organic_analytics.pins_analytics, fake, pin_ids=",".join(pins), start_date=days_ago(5), end_date=TODAY,
                metric_types="IMPRESSION,SAVE").body
    assert body == expected_pin_analytics(dataset, pins, days_ago(5), TODAY, ["IMPRESSION", "SAVE"], today=DAY)
    assert set(body) == set(pins) and set(body[pins[0]]["all"]) == {"daily_metrics", "summary_metrics", "lifetime_metrics"}
    with pytest.raises(ApiError) as error:
        call(organic_analytics.pins_analytics, fake, pin_ids=",".join(["1"] * 101), start_date=days_ago(5), end_date=TODAY,
             metric_types="IMPRESSION")
    assert "pin_ids" in error.value.message
    assert_invalid(organic_analytics.pins_analytics, fake, {}, "metric_types", pin_ids=pins[0], start_date=days_ago(5), end_date=TODAY)
    top = call(organic_analytics.top_pins, fake, start_date=days_ago(30), end_date=TODAY, sort_by="SAVE", num_of_pins=5).body
    assert top == expected_top_pins(dataset, days_ago(30), TODAY, "SAVE", today=DAY, num_of_pins=5)
    saves = [pin["metrics"]["SAVE"] for pin in top["pins"]]
    assert len(saves) == 5 and saves == sorted(saves, reverse=True)
    assert_invalid(organic_analytics.top_pins, fake, {}, "num_of_pins", start_date=days_ago(30), end_date=TODAY,
                   sort_by="SAVE", num_of_pins=51)
    assert_invalid(organic_analytics.top_pins, fake, {}, "sort_by", start_date=days_ago(30), end_date=TODAY)


# ---- over HTTP, against the spec's response schemas -------------------------------------------


@pytest.mark.needs_openapi
def test_http_responses_match_helpers_and_spec(emulator, client, account_ids):
    account = account_ids[0]
    dataset = emulator.dataset
    campaigns = [campaign["id"] for campaign in dataset.campaigns[account][:3]]
    query = dict(start_date=days_ago(7), end_date=TODAY, granularity="DAY", columns=",".join(COLUMNS))
    cases = [
        ("/ad_accounts/{ad_account_id}/analytics", {}),
        ("/ad_accounts/{ad_account_id}/campaigns/analytics", {"campaign_ids": ",".join(campaigns)}),
        ("/ad_accounts/{ad_account_id}/targeting_analytics", {"targeting_types": "APPTYPE"}),
        ("/ad_accounts/{ad_account_id}/campaigns/targeting_analytics",
         {"campaign_ids": ",".join(campaigns), "targeting_types": "GENDER"}),
    ]
    for template, extra in cases:
        response = client.get(template.replace("{ad_account_id}", account), **query, **extra)
        assert response.status_code == 200, response.text
        assert_matches_response_schema(template, "get", response.json())
    rows = client.get(f"/ad_accounts/{account}/campaigns/analytics", **query, campaign_ids=",".join(campaigns)).json()
    assert rows == expected_ads_analytics_rows(dataset, "CAMPAIGN", account, campaigns, days_ago(7), TODAY, COLUMNS, today=DAY)
    error = client.get(f"/ad_accounts/{account}/campaigns/analytics", **query)
    assert error.status_code == 400 and error.json()["code"] == 1 and "campaign_ids" in error.json()["message"]
    pins = [pin["id"] for pin in dataset.pins[:2]]
    organic = [
        ("/user_account/analytics", {}),
        ("/pins/analytics", {"pin_ids": ",".join(pins), "metric_types": "IMPRESSION,SAVE"}),
        ("/user_account/analytics/top_pins", {"sort_by": "IMPRESSION"}),
    ]
    for path, extra in organic:
        response = client.get(path, start_date=days_ago(7), end_date=TODAY, **extra)
        assert response.status_code == 200, response.text
        assert_matches_response_schema(path, "get", response.json())


def test_a_metric_value_does_not_depend_on_the_other_columns_asked():
    key = next(str(n) for n in range(100) if is_active(str(n), DAY))
    for attribution in (Attribution(), Attribution(7, 14, 0, "TIME_OF_CONVERSION")):
        together = metric_values(key, DAY, COLUMNS, attribution, today=DAY, conversion_revision=1)
        assert any(together.values())
        for column in COLUMNS:
            alone = metric_values(key, DAY, [column], attribution, today=DAY, conversion_revision=1)
            assert alone == {column: together[column]}
        changed = metric_values(key, DAY, COLUMNS, attribution, today=DAY, conversion_revision=2)
        assert {c for c in COLUMNS if changed[c] != together[c]} <= set(CONVERSIONS)


def test_reporting_entities_are_kept_until_the_accounts_records_grow():
    dataset = Dataset("tiny", 1, DAY)
    account = str(dataset.ad_accounts[0]["id"])
    ads = entities(dataset, account, "AD")
    assert entities(dataset, account, "AD") is ads  # one analytics call per id stays cheap
    assert [entity.id for entity in ads] == [str(ad["id"]) for ad in dataset.ads[account]]
    dataset.touch("ads", 2, 2_000_000_000, seed=1)  # updated_time is not something entities carry
    assert [entity.id for entity in entities(dataset, account, "AD")] == [entity.id for entity in ads]
    new_ad = {**dataset.ads[account][0], "id": "987654321"}
    dataset.ads[account].append(new_ad)  # a record added later is an entity at once
    assert entities(dataset, account, "AD")[-1].id == "987654321"


def test_a_days_values_grow_until_they_settle_conversions_until_their_attribution_window_closes():
    day = dt.date(2026, 9, 1)
    columns = ["IMPRESSION_1", "TOTAL_CLICK_CHECKOUT", "TOTAL_VIEW_CHECKOUT", "TOTAL_CONVERSIONS"]
    settled = dt.date(2026, 12, 1)
    # an entity active that day, with large enough values in every column to see them grow
    entity = next(f"campaign|{n}" for n in range(100)
                  if min(metric_rows(f"campaign|{n}", [(day, None)], columns, Attribution(), today=settled)[0].values()) > 100)

    def on(age: int, attribution: Attribution = Attribution()) -> dict:
        return metric_rows(entity, [(day, None)], columns, attribution, today=day + dt.timedelta(days=age))[0]

    for column, settles_at in (("IMPRESSION_1", 2), ("TOTAL_VIEW_CHECKOUT", 3), ("TOTAL_CLICK_CHECKOUT", 32), ("TOTAL_CONVERSIONS", 32)):
        values = [on(age)[column] for age in range(45)]
        assert values == sorted(values) and values[settles_at - 1] < values[settles_at], column  # grows until then
        assert len(set(values[settles_at:])) == 1, column  # then never changes
    # Credited to the day of the conversion: only the reporting delay.
    at_conversion = Attribution(conversion_report_time="TIME_OF_CONVERSION")
    assert len({tuple(on(age, at_conversion).values()) for age in range(2, 45)}) == 1
    assert on(10) == on(10)  # a pure function of entity, day and today
