"""The small components behind the analytics streams: id batches, batch paging, retry waits, pin rows."""

import io
import json
from dataclasses import dataclass

import pytest
import requests

from airbyte_cdk.sources.types import StreamSlice

from source_pinterest import components
from source_pinterest.components import (
    IdBatchesPerAccount, JsonArrayItemsExtractor, KeyedDailyMetricsExtractor, NextIdBatch, TargetingRowsExtractor,
    _array_objects,
)


@dataclass
class ListedPartitions:
    """Stands for a SubstreamPartitionRouter: yields the given partitions."""

    partitions: list

    def stream_slices(self):
        for partition in self.partitions:
            yield StreamSlice(partition=partition, cursor_slice={})

    def get_stream_state(self):
        return None


def campaigns(account: str, ids: list[str]) -> list[dict]:
    return [{"campaign_id": i, "parent_slice": {"ad_account_id": account, "parent_slice": {}}} for i in ids]


def router(partitions: list, **options) -> IdBatchesPerAccount:
    return IdBatchesPerAccount(
        underlying_partition_router=ListedPartitions(partitions), group_size=2, id_field="campaign_id",
        ids_field="campaign_ids", config={}, parameters={}, **options,
    )


def test_batches_never_mix_accounts_and_keep_at_most_group_size_ids():
    slices = list(router(campaigns("A", ["1", "2", "3"]) + campaigns("B", ["4"])).stream_slices())
    assert [dict(s.partition) for s in slices] == [
        {"ad_account_id": "A", "campaign_ids": ["1", "2"]},
        {"ad_account_id": "A", "campaign_ids": ["3"]},
        {"ad_account_id": "B", "campaign_ids": ["4"]},
    ]


def test_account_level_batch_precedes_each_accounts_batches_for_keywords():
    slices = list(router(campaigns("A", ["1"]) + campaigns("B", ["2", "3", "4"]), account_level_batch=True).stream_slices())
    assert [s.partition["campaign_ids"] for s in slices] == [[], ["1"], [], ["2", "3"], ["4"]]


def test_one_slice_per_account_carries_its_deduplicated_batches_and_no_empty_batch():
    partitions = campaigns("A", ["1", "2", "1", "3"]) + campaigns("B", ["4"])
    slices = list(router(partitions, one_slice_per_account=True).stream_slices())
    assert [(dict(s.partition), s.extra_fields) for s in slices] == [
        ({"ad_account_id": "A"}, {"campaign_ids": [["1", "2"], ["3"]]}),
        ({"ad_account_id": "B"}, {"campaign_ids": [["4"]]}),
    ]


def test_ids_without_an_ad_account_form_one_partition_and_grandchildren_find_their_account():
    pins = [{"pin_id": p, "parent_slice": {}} for p in ["p1", "p2", "p3"]]
    assert list(router(pins, one_slice_per_account=True).stream_slices()) == []  # no campaign ids: no slice
    pin_router = IdBatchesPerAccount(
        underlying_partition_router=ListedPartitions(pins), group_size=2, id_field="pin_id", ids_field="pin_ids",
        config={}, parameters={}, one_slice_per_account=True,
    )
    [only] = list(pin_router.stream_slices())
    assert dict(only.partition) == {} and only.extra_fields == {"pin_ids": [["p1", "p2"], ["p3"]]}
    product_groups = [{"product_group_id": "g1", "parent_slice": {"ad_group_id": "9", "parent_slice": {"ad_account_id": "A", "parent_slice": {}}}}]
    grandchildren = IdBatchesPerAccount(
        underlying_partition_router=ListedPartitions(product_groups), group_size=250, id_field="product_group_id",
        ids_field="product_group_ids", config={}, parameters={}, one_slice_per_account=True,
    )
    assert [dict(s.partition) for s in grandchildren.stream_slices()] == [{"ad_account_id": "A"}]


def test_next_id_batch_asks_for_each_batch_once_then_stops():
    strategy = NextIdBatch(ids_field="ad_ids", config={}, parameters={})
    three = StreamSlice(partition={"ad_account_id": "A"}, cursor_slice={}, extra_fields={"ad_ids": [["1"], ["2"], ["3"]]})
    one = StreamSlice(partition={"ad_account_id": "A"}, cursor_slice={}, extra_fields={"ad_ids": [["1"]]})
    assert strategy.initial_token is None
    assert strategy.next_page_token(None, 0, None, None, stream_slice=three) == 1
    assert strategy.next_page_token(None, 0, None, 1, stream_slice=three) == 2
    assert strategy.next_page_token(None, 0, None, 2, stream_slice=three) is None
    assert strategy.next_page_token(None, 0, None, None, stream_slice=one) is None


def response(body, status: int = 400) -> requests.Response:
    """An answer still on its connection (as with stream=True): the extractors read it in chunks."""
    answer = requests.Response()
    answer.status_code = status
    answer.raw = io.BytesIO(json.dumps(body).encode())
    return answer


def test_pin_rows_carry_their_pin_id():
    body = {
        "11": {"all": {"daily_metrics": [{"date": "2026-01-01", "data_status": "READY", "metrics": {"SAVE": 1}}], "summary_metrics": {}}},
        "22": {"all": {"daily_metrics": [{"date": "2026-01-01", "data_status": "PROCESSING", "metrics": {}}]}},
    }
    rows = list(KeyedDailyMetricsExtractor(config={}, parameters={}).extract_records(response(body, 200)))
    assert rows == [
        {"pin_id": "11", "date": "2026-01-01", "data_status": "READY", "metrics": {"SAVE": 1}},
        {"pin_id": "22", "date": "2026-01-01", "data_status": "PROCESSING", "metrics": {}},
    ]


def test_targeting_items_become_flat_rows_with_string_ids_and_targeting_values():
    body = {"data": [
        {"targeting_type": "LOCATION", "targeting_value": 500, "metrics": {"AD_GROUP_ID": 2680059000007, "DATE": "2026-01-01", "CTR": 0.5}},
        {"targeting_type": "GENDER", "targeting_value": "female", "metrics": {"AD_GROUP_ID": 2680059000007, "DATE": "2026-01-01", "SPEND_IN_DOLLAR": 1.25}},
    ]}
    rows = list(TargetingRowsExtractor(config={}, parameters={}).extract_records(response(body, 200)))
    assert rows == [
        {"AD_GROUP_ID": "2680059000007", "DATE": "2026-01-01", "CTR": 0.5, "TARGETING_TYPE": "LOCATION", "TARGETING_VALUE": "500"},
        {"AD_GROUP_ID": "2680059000007", "DATE": "2026-01-01", "SPEND_IN_DOLLAR": 1.25, "TARGETING_TYPE": "GENDER", "TARGETING_VALUE": "female"},
    ]


AWKWARD_ROWS = [
    {"AD_ID": "1", "DATE": "2026-01-01", "NAME": "a}, {\"b\": 1} \\", "NESTED": {"x": {"y": [1, {}]}}},
    {"AD_ID": "2", "DATE": "2026-01-01", "CTR": 1.5e-3, "SPEND_IN_MICRO_DOLLAR": 12},
    {},
]


@pytest.mark.parametrize("indent", [None, 2])
def test_analytics_rows_end_where_the_json_says_not_at_a_brace_inside_a_string_or_a_nested_object(indent):
    content = json.dumps(AWKWARD_ROWS, indent=indent).encode()
    assert list(_array_objects(io.BytesIO(content))) == AWKWARD_ROWS
    assert list(JsonArrayItemsExtractor(config={}, parameters={}).extract_records(response(AWKWARD_ROWS, 200))) == AWKWARD_ROWS


class Trickle(io.BytesIO):
    """A body that arrives a few bytes at a time, whatever size is asked for."""

    def read(self, size: int = -1) -> bytes:
        return super().read(3)


def test_rows_split_across_chunks_parse_whole_and_read_bytes_are_dropped(monkeypatch):
    monkeypatch.setattr(components, "_READ_BYTES", 16)  # drops what is read every 16 bytes
    rows = AWKWARD_ROWS * 20
    assert list(_array_objects(Trickle(json.dumps(rows, indent=1).encode()))) == rows


@pytest.mark.parametrize("content", [b"[]", b" [ ]\n"])
def test_an_empty_analytics_page_has_no_rows(content):
    assert list(_array_objects(io.BytesIO(content))) == []


@pytest.mark.parametrize(
    "content",
    [b"", b'{"items": []}', b'[{"AD_ID": "1"}', b'[{"AD_ID": "1"}, ', b'[{"AD_ID": "1"} {"AD_ID": "2"}]', b"[1, 2]", b'[{"AD_ID": "1"}] x'],
)
def test_a_page_that_is_not_a_whole_array_of_objects_fails_instead_of_yielding_part_of_it(content):
    with pytest.raises(ValueError, match="not a JSON array of objects"):
        list(_array_objects(io.BytesIO(content)))
