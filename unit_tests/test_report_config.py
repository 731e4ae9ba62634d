"""Report configuration: custom_reports validated at check, one custom_<name> stream per entry."""

import pytest

from source_pinterest.run import SourcePinterest
from unit_tests.support import connection_status, make_config, run_command

CUSTOM = {"name": "spend", "level": "CAMPAIGN_TARGETING", "granularity": "WEEK", "columns": ["SPEND_IN_DOLLAR", "CAMPAIGN_NAME"]}


@pytest.mark.parametrize(
    "override, field, bad_value",
    [
        ({"columns": ["SPEND_IN_DOLLAR", "NOT_A_COLUMN"]}, "custom_reports.0.columns", "NOT_A_COLUMN"),
        ({"level": "PRODUCT_ITEM", "columns": ["PIN_PROMOTION_NAME"]}, "custom_reports.0.columns", "PIN_PROMOTION_NAME"),
        ({"level": "CAMPAIGNS"}, "custom_reports.0.level", "CAMPAIGNS"),
        ({"granularity": "TOTAL"}, "custom_reports.0.granularity", "TOTAL"),
    ],
)
def test_check_names_the_invalid_custom_report_field(tmp_path, override, field, bad_value):
    config = make_config(custom_reports=[{**CUSTOM, **override}])
    status = connection_status(run_command(tmp_path, "check", config))
    assert status["status"] == "FAILED"
    assert f"Invalid configuration field '{field}'" in status["message"]
    assert bad_value in status["message"]


def test_each_custom_report_is_a_stream_keyed_by_its_level():
    config = make_config(custom_reports=[CUSTOM, {"name": "items", "level": "PRODUCT_ITEM", "columns": ["SPEND_IN_DOLLAR"]}])
    streams = {stream.name: stream.as_airbyte_stream() for stream in SourcePinterest(config=config).streams(config)}
    assert streams["custom_spend"].source_defined_primary_key == [["CAMPAIGN_ID"], ["DATE"], ["TARGETING_TYPE"], ["TARGETING_VALUE"]]
    assert streams["custom_items"].source_defined_primary_key == [["PRODUCT_ITEM_ID"], ["DATE"]]
    assert "SPEND_IN_DOLLAR" in streams["custom_spend"].json_schema["properties"]
    assert streams["custom_spend"].default_cursor_field == ["DATE"]


def test_spec_custom_reports_default_to_the_api_attribution():
    item = SourcePinterest().spec(None).connectionSpecification["properties"]["custom_reports"]["items"]["properties"]
    assert (item["click_window_days"]["default"], item["engagement_window_days"]["default"], item["view_window_days"]["default"]) == (30, 30, 1)
    assert item["level"]["enum"][0] == "ADVERTISER" and "TOTAL" not in item["granularity"]["enum"]
