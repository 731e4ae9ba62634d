"""Unit tests of the custom components in components.py."""

from dataclasses import dataclass

import pytest

from airbyte_cdk.sources.declarative.partition_routers.substream_partition_router import SubstreamPartitionRouter
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_pinterest.components import AdGroupBatchesPerAccount, CursorStateCheck
from source_pinterest.run import SourcePinterest
from unit_tests.conftest import make_config


@dataclass
class ListedAdGroups:
    """Stands in for the ad_groups parent router: one partition per (account, ad group)."""

    ad_groups: list[tuple[str, str]]

    def stream_slices(self):
        for account, group in self.ad_groups:
            yield StreamSlice(partition={"ad_group_id": group, "parent_slice": {"ad_account_id": account}}, cursor_slice={})

    def get_stream_state(self):
        return {}


def batches(ad_groups: list[tuple[str, str]], group_size: int) -> list[dict]:
    router = AdGroupBatchesPerAccount(group_size=group_size, underlying_partition_router=ListedAdGroups(ad_groups),
                                      config={})
    return [dict(s.partition) for s in router.stream_slices()]


def test_batches_never_mix_accounts_and_each_account_starts_with_an_id_less_slice():
    ad_groups = [("1", "a"), ("1", "b"), ("1", "c"), ("2", "d"), ("3", "e")]
    assert batches(ad_groups, group_size=2) == [
        {"ad_account_id": "1", "ad_group_ids": []},
        {"ad_account_id": "1", "ad_group_ids": ["a", "b"]},
        {"ad_account_id": "1", "ad_group_ids": ["c"]},
        {"ad_account_id": "2", "ad_group_ids": []},
        {"ad_account_id": "2", "ad_group_ids": ["d"]},
        {"ad_account_id": "3", "ad_group_ids": []},
        {"ad_account_id": "3", "ad_group_ids": ["e"]},
    ]


def test_no_ad_groups_no_slices():
    assert batches([], group_size=250) == []


def test_full_refresh_children_expose_their_parents_to_stream_groups():
    """Without components.py's patch the CDK reports no partition router for full-refresh streams."""
    streams = {stream.name: stream for stream in SourcePinterest(config=make_config()).streams(make_config())}
    router = streams["board_pins"].get_partition_router()
    assert isinstance(router, SubstreamPartitionRouter)
    assert [config.stream.name for config in router.parent_stream_configs] == ["boards"]


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
