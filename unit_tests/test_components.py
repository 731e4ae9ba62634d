"""Unit tests of the custom components in components.py."""

from dataclasses import dataclass

from airbyte_cdk.sources.declarative.partition_routers.substream_partition_router import SubstreamPartitionRouter
from airbyte_cdk.sources.types import StreamSlice

from source_pinterest.components import AdGroupBatchesPerAccount
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
