"""Records that do not match their schema are emitted unchanged, with one WARN per stream and field;
a record without its cursor field never moves the state."""

import json

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker

from source_pinterest.components import SchemaMismatchWarning
from unit_tests.support import final_state, list_request, make_config, mock_oauth, page, read_streams

SCHEMA = {"properties": {"id": {"type": "string"}, "spend": {"type": ["null", "number"]}, "count": {"type": "integer"},
                         "flag": {"type": "boolean"}, "tags": {"type": ["null", "array"]}, "free": {}}}


def warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]


def test_a_value_of_an_undeclared_type_is_kept_and_named_once_per_field(caplog):
    check = SchemaMismatchWarning(parameters={"name": "campaign_analytics"})
    records = [{"id": "1", "spend": "n/a", "count": True, "flag": False, "tags": None, "free": {"x": 1}, "extra": "e"},
               {"id": "2", "spend": "n/b", "count": 2.5, "flag": 1}]
    for record in records:
        before = json.dumps(record)
        check.transform(record, SCHEMA)
        assert json.dumps(record) == before
    assert warnings(caplog) == [
        "Stream campaign_analytics: field 'spend' is \"n/a\" (str) in a record, where its schema declares ['null', 'number']. "
        "Records are emitted unchanged; other mismatches of this field are not logged.",
        "Stream campaign_analytics: field 'count' is true (bool) in a record, where its schema declares integer. "
        "Records are emitted unchanged; other mismatches of this field are not logged.",
        "Stream campaign_analytics: field 'flag' is 1 (int) in a record, where its schema declares boolean. "
        "Records are emitted unchanged; other mismatches of this field are not logged.",
    ]


def test_matching_records_raise_no_warning(caplog):
    check = SchemaMismatchWarning(parameters={"name": "s"})
    check.transform({"id": "1", "spend": 1, "count": 3, "flag": True, "tags": ["a"], "free": None}, SCHEMA)
    check.transform({"id": "1", "spend": None, "count": 0}, SCHEMA)
    assert warnings(caplog) == []


def test_campaigns_without_or_with_a_bad_updated_time_are_emitted_and_never_move_the_state():
    campaigns = [
        {"id": "c1", "ad_account_id": "1", "updated_time": 1700000000},
        {"id": "c2", "ad_account_id": "1"},
        {"id": "c3", "ad_account_id": "1", "updated_time": "n/a", "daily_spend_cap": "n/a"},
        {"id": "c4", "ad_account_id": "1", "daily_spend_cap": "unknown"},
    ]
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        http_mocker.get(list_request("ad_accounts/1/campaigns", entity_statuses=["ACTIVE", "PAUSED", "ARCHIVED"]), page(campaigns))
        output = read_streams(make_config(), "campaigns", sync_mode=SyncMode.incremental)
    assert [record.record.data for record in output.records] == campaigns and not output.errors
    state = final_state(output)[0].stream.stream_state.__dict__
    assert [entry["cursor"] for entry in state["states"]] == [{"updated_time": "1700000000"}]
    logged = [message.log.message for message in output.logs if message.log.level.value == "WARN"]
    mismatches = [message for message in logged if message.startswith("Stream campaigns: field")]
    assert [message.split("'")[1] for message in mismatches] == ["updated_time", "daily_spend_cap"]
    assert any("Could not find cursor field `updated_time` in record for stream campaigns" in message for message in logged)


def test_after_the_first_records_one_in_twenty_is_checked(caplog):
    check = SchemaMismatchWarning(parameters={"name": "s"}, fully_checked=2, check_every=20)
    for index in range(45):
        check.transform({"id": "1", "count": f"bad {index}"} if index in (5, 19, 40) else {"id": "1"}, SCHEMA)
    assert [message.split(" is ")[1].split(" (")[0] for message in warnings(caplog)] == ['"bad 40"']  # 5 and 19 were not checked
