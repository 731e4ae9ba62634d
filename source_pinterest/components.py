"""Custom components for what the CDK's declarative components cannot express.

Loaded as `source_declarative_manifest.components` by every runner (packaged connector, manifest
runner, Connector Builder), so this module imports nothing from the `source_pinterest` package.
"""

import re
from dataclasses import InitVar, dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping, MutableMapping
from urllib.parse import parse_qs, urlparse

import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import PaginationStrategy
from airbyte_cdk.sources.declarative.stream_slicers.declarative_partition_generator import StreamSlicerPartitionGenerator
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.declarative.validators.validation_strategy import ValidationStrategy
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException


@dataclass
class ConfiguredAdAccountsExtractor(RecordExtractor):
    """Yields the listed ad accounts that `account_ids` names (all when empty) and fails, naming
    them, when the listing ends without some configured id: the user cannot access that account."""

    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]
    _seen: set[str] = field(default_factory=set, init=False)

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        wanted = set(self.config.get("account_ids") or [])
        if "bookmark" not in parse_qs(urlparse(response.request.url).query):
            self._seen = set()  # first page of a new listing
        body = response.json()
        for account in body.get("items", []):
            if not wanted or account.get("id") in wanted:
                self._seen.add(account.get("id"))
                yield account
        missing = wanted - self._seen
        if not body.get("bookmark") and missing:
            raise AirbyteTracedException(
                message=(
                    f"Ad account(s) {', '.join(sorted(missing))} from 'account_ids' are not accessible "
                    "to the authorised Pinterest user. Remove them from the configuration or ask the "
                    "account owner for Business Access."
                ),
                failure_type=FailureType.config_error,
            )


@dataclass
class StartDateNotInFuture(ValidationStrategy):
    """Rejects a `start_date` after today (UTC): Pinterest has no data there and every window would be empty."""

    def validate(self, value: Any) -> None:
        if value and date.fromisoformat(value) > datetime.now(timezone.utc).date():
            raise AirbyteTracedException(
                message=f"Invalid 'start_date' {value}: it is in the future. Use a past date (YYYY-MM-DD) or leave it empty.",
                failure_type=FailureType.config_error,
            )


@dataclass
class IdBatchesPerAccount(PartitionRouter):
    """Groups the ids (`id_field`) of the underlying partitions into batches of up to `group_size`
    ids of one ad account (Pinterest needs every id of a call to belong to the account in the path).

    Default: one slice `{ad_account_id, <ids_field>: [...]}` per batch; `account_level_batch` adds an
    id-less slice per account first (keywords: account-level ones). With `one_slice_per_account`, one
    slice `{ad_account_id}` per account carries its batches in `extra_fields[<ids_field>]`, so that a
    cursor keeps its state per ad account (see `NextIdBatch`). Ids are deduplicated per account."""

    underlying_partition_router: PartitionRouter
    group_size: int
    id_field: str
    ids_field: str
    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]
    account_level_batch: bool = False
    one_slice_per_account: bool = False

    def stream_slices(self) -> Iterable[StreamSlice]:
        for ad_account_id, ids in self._ids_per_account():
            batches = [ids[i : i + self.group_size] for i in range(0, len(ids), self.group_size)]
            if self.one_slice_per_account:
                if batches:
                    partition = {"ad_account_id": ad_account_id} if ad_account_id is not None else {}
                    yield StreamSlice(partition=partition, cursor_slice={}, extra_fields={self.ids_field: batches})
                continue
            for batch in ([[]] if self.account_level_batch else []) + batches:
                yield StreamSlice(partition={"ad_account_id": ad_account_id, self.ids_field: batch}, cursor_slice={})

    def _ids_per_account(self) -> Iterable[tuple[str, list[str]]]:
        """(ad account id, its distinct ids), one account at a time, as the parents list them."""
        started, account, ids = False, None, {}
        for partition in self.underlying_partition_router.stream_slices():
            ad_account_id = _ad_account_of(partition.partition)
            if not started or ad_account_id != account:
                if started:
                    yield account, list(ids)
                started, account, ids = True, ad_account_id, {}
            if partition.partition.get(self.id_field) is not None:
                ids[str(partition.partition[self.id_field])] = None
        if started:
            yield account, list(ids)

    def get_request_params(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_headers(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_data(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_json(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_stream_state(self) -> Mapping[str, Any] | None:
        return self.underlying_partition_router.get_stream_state()


def _ad_account_of(partition: Mapping[str, Any] | None) -> str | None:
    """The `ad_account_id` of a partition or of its nearest parent slice; None for organic ids (pins)."""
    while partition and "ad_account_id" not in partition:
        partition = partition.get("parent_slice")
    return partition["ad_account_id"] if partition else None


@dataclass
class NextIdBatch(PaginationStrategy):
    """Pages through the id batches of an `IdBatchesPerAccount(one_slice_per_account)` slice: the
    page token is the index of the batch to ask for (none, i.e. 0, on the first request)."""

    ids_field: str
    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]

    @property
    def initial_token(self) -> Any:
        return None

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Any,
        last_page_token_value: Any = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any:
        following = (last_page_token_value or 0) + 1
        return following if stream_slice and following < len(stream_slice.extra_fields[self.ids_field]) else None

    def get_page_size(self) -> int | None:
        return None


@dataclass
class WaitTimeFromRetryAfterMessage(BackoffStrategy):
    """The wait that an analytics HTTP 400 asks for in its message, "Retry after N seconds"."""

    parameters: InitVar[Mapping[str, Any]]
    config: Mapping[str, Any] = field(default_factory=dict)

    def backoff_time(self, response_or_exception: Any, attempt_count: int) -> float | None:
        if not isinstance(response_or_exception, requests.Response):
            return None
        try:
            message = str(response_or_exception.json().get("message", ""))
        except (ValueError, AttributeError):
            return None
        found = re.search(r"Retry after (\d+) seconds", message)
        return float(found.group(1)) if found else None


@dataclass
class ForgetGlobalCursor(StateMigration):
    """Drops the global cursor of a per-partition state, so that an ad account synced for the first
    time is read from the start date: the CDK would start it from the other accounts' latest cursor."""

    config: Mapping[str, Any] = field(default_factory=dict)

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return "states" in stream_state and "state" in stream_state and not stream_state.get("use_global_cursor")

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        return {name: value for name, value in stream_state.items() if name != "state"}


@dataclass
class KeyedDailyMetricsExtractor(RecordExtractor):
    """Rows of GET /pins/analytics, `{<pin_id>: {"all": {"daily_metrics": [row, ...]}}}`, each
    with its pin id in `pin_id`."""

    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for pin_id, splits in response.json().items():
            for row in splits.get("all", {}).get("daily_metrics", []):
                yield {"pin_id": pin_id, **row}


def _partition_router_of_any_stream(stream: DefaultStream) -> PartitionRouter | None:
    """DefaultStream.get_partition_router, extended to full-refresh streams: the CDK 7 version only
    sees the parents of incremental streams, so `stream_groups` could not make a full-refresh
    child (board_pins, keywords, ...) wait for its parent and parents were read more than once."""
    router = _cdk_get_partition_router(stream)
    generator = stream._stream_partition_generator
    if router is None and isinstance(generator, StreamSlicerPartitionGenerator):
        slicer = generator._stream_slicer
        if isinstance(slicer, PartitionRouter):
            router = slicer
    # The CDK finds parents through its own routers only: show it the one our batches wrap.
    return router.underlying_partition_router if isinstance(router, IdBatchesPerAccount) else router


_cdk_get_partition_router = DefaultStream.get_partition_router
DefaultStream.get_partition_router = _partition_router_of_any_stream  # type: ignore[method-assign]
