"""Report configuration: custom_reports validated at check, one custom_<name> stream per entry, and
every custom report a config of Airbyte's published connector (2.x) can hold, with the same meaning."""

import json
import logging

import pytest

from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from source_pinterest.components import CustomReportColumnsForLevel, CustomReportStreamNames
from source_pinterest.run import SourcePinterest
from unit_tests.support import BASE_URL, connection_status, make_config, mock_oauth, run_command
from unit_tests.test_reports import GENERATED

CUSTOM = {"name": "spend", "level": "CAMPAIGN_TARGETING", "granularity": "WEEK", "columns": ["SPEND_IN_DOLLAR", "CAMPAIGN_NAME"]}


def discovered(config: dict) -> dict:
    return {stream.name: stream.as_airbyte_stream() for stream in SourcePinterest(config=config).streams(config)}


@pytest.mark.parametrize(
    "override, field, bad_value",
    [
        ({"columns": ["SPEND_IN_DOLLAR", "NOT_A_COLUMN"]}, "custom_reports.0.columns", "NOT_A_COLUMN is not a Pinterest report column"),
        ({"level": "PRODUCT_ITEM", "columns": ["PIN_PROMOTION_NAME"]}, "custom_reports.0.columns", "none of PIN_PROMOTION_NAME is reported at level PRODUCT_ITEM"),
        ({"level": "CAMPAIGNS"}, "custom_reports.0.level", "CAMPAIGNS"),
        ({"granularity": "YEAR"}, "custom_reports.0.granularity", "YEAR"),
    ],
)
def test_check_names_the_invalid_custom_report_field(tmp_path, override, field, bad_value):
    config = make_config(custom_reports=[{**CUSTOM, **override}])
    status = connection_status(run_command(tmp_path, "check", config))
    assert status["status"] == "FAILED"
    assert f"Invalid configuration field '{field}'" in status["message"]
    assert bad_value in status["message"]


def test_each_custom_report_is_a_stream_keyed_by_its_level():
    streams = discovered(make_config(custom_reports=[CUSTOM, {"name": "items", "level": "PRODUCT_ITEM", "columns": ["SPEND_IN_DOLLAR"]}]))
    assert streams["custom_spend"].source_defined_primary_key == [["CAMPAIGN_ID"], ["DATE"], ["TARGETING_TYPE"], ["TARGETING_VALUE"]]
    assert streams["custom_items"].source_defined_primary_key == [["PRODUCT_ITEM_ID"], ["DATE"]]
    assert "SPEND_IN_DOLLAR" in streams["custom_spend"].json_schema["properties"]
    assert streams["custom_spend"].default_cursor_field == ["DATE"]


def test_spec_custom_reports_default_to_the_api_attribution():
    item = SourcePinterest().spec(None).connectionSpecification["properties"]["custom_reports"]["items"]["properties"]
    assert (item["click_window_days"]["default"], item["engagement_window_days"]["default"], item["view_window_days"]["default"]) == (30, 30, 1)
    assert item["level"]["enum"][0] == "ADVERTISER" and item["granularity"]["default"] == "DAY"


# Stream names the published connector 2.1.12 gave these report names (its `discover`, run against the emulator).
PUBLISHED_STREAM_NAMES = {
    "My Report": "custom__my _report",
    "already_ok": "custom_already_ok",
    "CamelCase-Name.v2": "custom__camel_case-_name.v2",
    "ABC Def9 x_Y": "custom__a_b_c _def9 x__y",
    "Ünïcode": "custom_ünïcode",
}


def test_custom_report_streams_are_named_as_the_published_connector_named_them():
    reports = [{"name": name, "level": "ADVERTISER", "granularity": "DAY", "columns": []} for name in PUBLISHED_STREAM_NAMES]
    assert set(PUBLISHED_STREAM_NAMES.values()) <= set(discovered(make_config(custom_reports=reports)))


def test_two_reports_that_would_share_a_stream_name_fail_check_naming_both(tmp_path):
    reports = [{"name": "My_report", "level": "ADVERTISER", "columns": []}, {"name": "_my_report", "level": "CAMPAIGN", "columns": []}]
    status = connection_status(run_command(tmp_path, "check", make_config(custom_reports=reports)))
    assert status["status"] == "FAILED"
    assert "'custom_reports.1.name'" in status["message"] and "custom__my_report" in status["message"] and "custom_reports.0" in status["message"]


def test_a_total_report_is_keyed_and_advanced_by_the_range_it_totals():
    total = {"name": "My Totals", "level": "CAMPAIGN_TARGETING", "granularity": "TOTAL", "columns": ["SPEND_IN_DOLLAR"]}
    stream = discovered(make_config(custom_reports=[total]))["custom__my _totals"]
    assert stream.source_defined_primary_key == [["CAMPAIGN_ID"], ["START_DATE"], ["END_DATE"], ["TARGETING_TYPE"], ["TARGETING_VALUE"]]
    assert stream.default_cursor_field == ["END_DATE"]
    assert {"START_DATE", "END_DATE"} <= set(stream.json_schema["properties"])


def test_published_style_custom_reports_pass_check(tmp_path, caplog):
    """Each entry as the published connector's form saves it: TOTAL, a name with capitals and spaces,
    no columns, and a PRODUCT_ITEM report naming columns of other levels."""
    reports = [
        {"name": "My Report", "level": "ADVERTISER", "granularity": "TOTAL", "columns": ["SPEND_IN_DOLLAR"], "click_window_days": 30,
         "engagement_window_days": 30, "view_window_days": 30, "conversion_report_time": "TIME_OF_AD_ACTION", "attribution_types": ["INDIVIDUAL", "HOUSEHOLD"]},
        {"name": "Everything", "level": "CAMPAIGN", "granularity": "DAY", "columns": []},
        {"name": "items", "level": "PRODUCT_ITEM", "granularity": "WEEK", "columns": ["AD_ID", "PIN_PROMOTION_ID", "SPEND_IN_DOLLAR"]},
    ]
    with caplog.at_level(logging.WARNING, logger="airbyte"), HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(HttpRequest(f"{BASE_URL}/user_account"), HttpResponse(json.dumps({"username": "u"}), 200))
        messages = run_command(tmp_path, "check", make_config(status=None, num_threads=40, custom_reports=reports))
    assert connection_status(messages)["status"] == "SUCCEEDED", connection_status(messages)
    assert any("AD_ID, PIN_PROMOTION_ID are not reported at level PRODUCT_ITEM" in r.getMessage() for r in caplog.records)


def fitted(*reports: dict) -> list[dict]:
    config = {"custom_reports": list(reports)}
    CustomReportColumnsForLevel(parameters={"columns": GENERATED["report_columns"], "product_item_columns": GENERATED["product_item_report_columns"]}).transform(config)
    return config["custom_reports"]


def test_no_columns_means_every_column_of_the_level():
    campaign, items = fitted({"name": "a", "level": "CAMPAIGN", "columns": []}, {"name": "b", "level": "PRODUCT_ITEM"})
    assert campaign["columns"] == GENERATED["report_columns"]
    assert items["columns"] == GENERATED["product_item_report_columns"]


def test_columns_of_other_levels_are_left_out_with_a_warning_naming_them(caplog):
    asked = {"name": "items", "level": "PRODUCT_ITEM", "columns": ["AD_ID", "SPEND_IN_DOLLAR", "PIN_PROMOTION_ID"]}
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        (items,) = fitted(asked)
    assert items["columns"] == ["SPEND_IN_DOLLAR"]
    assert asked["columns"] == ["AD_ID", "SPEND_IN_DOLLAR", "PIN_PROMOTION_ID"]  # the caller's config is left as it was
    (warning,) = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert "AD_ID, PIN_PROMOTION_ID are not reported at level PRODUCT_ITEM" in warning and "custom_reports.0" in warning


@pytest.mark.parametrize("columns", [["NOT_A_COLUMN"], ["AD_ID"], ["SPEND_IN_DOLLAR"]])
def test_columns_that_cannot_be_fitted_are_left_for_the_validation_to_name(columns):
    (report,) = fitted({"name": "items", "level": "PRODUCT_ITEM", "columns": columns})
    assert report["columns"] == columns


def test_stream_names_are_added_without_touching_the_callers_config():
    reports = [{"name": "My Report"}, {"name": "ok"}]
    config = {"custom_reports": reports}
    CustomReportStreamNames().transform(config)
    assert [report["stream_name"] for report in config["custom_reports"]] == ["custom__my _report", "custom_ok"]
    assert reports == [{"name": "My Report"}, {"name": "ok"}]
