"""Unit tests of the custom components in components.py."""

import pytest

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_pinterest.components import CursorStateCheck


def state_check(fmt: str = "%s") -> CursorStateCheck:
    return CursorStateCheck(cursor_field="updated_time", datetime_format=fmt, parameters={"name": "campaigns"})


@pytest.mark.parametrize("saved", [1700000000, "1700000000", "2023-11-14T22:13:20Z", "2023-11-14T22:13:20+00:00", "2023-11-14T23:13:20+01:00"])
def test_state_cursors_in_any_common_form_are_rewritten_in_the_streams_format(saved):
    per_partition = {"states": [{"partition": {"ad_account_id": "1"}, "cursor": {"updated_time": saved}}], "use_global_cursor": False}
    migrated = state_check().migrate(per_partition)
    assert migrated == {"states": [{"partition": {"ad_account_id": "1"}, "cursor": {"updated_time": "1700000000"}}], "use_global_cursor": False}
    assert state_check().migrate({"updated_time": saved}) == {"updated_time": "1700000000"}


def test_a_date_cursor_is_read_as_midnight_utc():
    assert state_check("%Y-%m-%dT%H:%M:%S").migrate({"updated_time": "2024-02-29"}) == {"updated_time": "2024-02-29T00:00:00"}


@pytest.mark.parametrize("saved, reason", [
    ({"states": [{"cursor": {"updated_time": 1}}]}, "partition entry"),
    ({"states": [{"partition": {}, "cursor": {"updated_time": "yesterday"}}]}, "'yesterday'"),
    ({"cursor": 5}, "neither 'states' nor 'updated_time'"),
    ({"updated_time": True}, "True"),
])
def test_malformed_state_is_a_config_error_naming_the_stream(saved, reason):
    with pytest.raises(AirbyteTracedException) as raised:
        state_check().migrate(saved)
    assert raised.value.failure_type == FailureType.config_error
    assert "'campaigns'" in raised.value.message and reason in raised.value.message


def test_empty_state_is_left_alone():
    assert not state_check().should_migrate({})


def test_published_connector_state_keyed_by_id_becomes_state_per_ad_account():
    check = CursorStateCheck(cursor_field="DATE", datetime_format="%Y-%m-%d", partition_field="ad_account_id", parameters={"name": "campaign_analytics"})
    published = {
        "use_global_cursor": False,
        "states": [
            {"partition": {"id": "c1", "parent_slice": {"id": "7", "parent_slice": {}}}, "cursor": {"DATE": "2026-11-20"}},
            {"partition": {"id": "c2", "parent_slice": {"id": "7", "parent_slice": {}}}, "cursor": {"DATE": "2026-11-10"}},
            {"partition": {"id": "8", "parent_slice": {}}, "cursor": {"DATE": "2026-11-25"}},
        ],
        "state": {"DATE": "2026-11-25"}, "lookback_window": 1, "parent_state": {},
    }
    migrated = check.migrate(published)
    assert migrated["states"] == [
        {"partition": {"ad_account_id": "7", "parent_slice": {}}, "cursor": {"DATE": "2026-11-10"}},
        {"partition": {"ad_account_id": "8", "parent_slice": {}}, "cursor": {"DATE": "2026-11-25"}},
    ]
    assert migrated["state"] == {"DATE": "2026-11-25"}


def test_a_published_account_cursor_is_repeated_for_each_value_of_the_other_partition_fields():
    check = CursorStateCheck(cursor_field="DATE", datetime_format="%Y-%m-%d", partition_field="ad_account_id", parameters={},
                             partition_values={"targeting_types": ["AGE_BUCKET,GENDER", "KEYWORD"]})
    published = {"states": [{"partition": {"id": "8", "parent_slice": {}}, "cursor": {"DATE": "2026-11-25"}}]}
    assert check.migrate(published)["states"] == [
        {"partition": {"ad_account_id": "8", "parent_slice": {}, "targeting_types": "AGE_BUCKET,GENDER"}, "cursor": {"DATE": "2026-11-25"}},
        {"partition": {"ad_account_id": "8", "parent_slice": {}, "targeting_types": "KEYWORD"}, "cursor": {"DATE": "2026-11-25"}},
    ]
