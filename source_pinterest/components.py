"""Custom components for what the CDK's declarative components cannot express.

Loaded as `source_declarative_manifest.components` by every runner (packaged connector, manifest
runner, Connector Builder), so this module imports nothing from the `source_pinterest` package.
"""

import json
import time
from dataclasses import InitVar, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, MutableMapping
from urllib.parse import parse_qs, urlparse, urlsplit

import requests

from airbyte_cdk.models import AirbyteMessage, FailureType
from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.partition_routers.grouping_partition_router import GroupingPartitionRouter
from airbyte_cdk.sources.declarative.requesters.error_handlers.backoff_strategies.wait_time_from_header_backoff_strategy import (
    WaitTimeFromHeaderBackoffStrategy,
)
from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.declarative.stream_slicers.declarative_partition_generator import StreamSlicerPartitionGenerator
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.declarative.validators.validation_strategy import ValidationStrategy
from airbyte_cdk.sources.types import Record, StreamSlice
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
class AdGroupBatchesPerAccount(GroupingPartitionRouter):
    """Slices `{ad_account_id, ad_group_ids}` of up to `group_size` ad groups of one ad account
    (Pinterest needs every id of a batch to belong to the account in the path), each account's
    batches preceded by one without ids, which asks for the account-level keywords."""

    def stream_slices(self) -> Iterable[StreamSlice]:
        account, batch = None, []
        for partition in self.underlying_partition_router.stream_slices():
            ad_account_id = partition.partition["parent_slice"]["ad_account_id"]
            if batch and (ad_account_id != account or len(batch) == self.group_size):
                yield self._batch(account, batch)
                batch = []
            if ad_account_id != account:
                account = ad_account_id
                yield self._batch(account, [])
            batch.append(partition.partition["ad_group_id"])
        if batch:
            yield self._batch(account, batch)
        self._state = self.underlying_partition_router.get_stream_state()

    @staticmethod
    def _batch(ad_account_id: str, ad_group_ids: list[str]) -> StreamSlice:
        return StreamSlice(partition={"ad_account_id": ad_account_id, "ad_group_ids": ad_group_ids}, cursor_slice={})


@dataclass
class RateLimitResetWait(WaitTimeFromHeaderBackoffStrategy):
    """Waits the seconds of X-RateLimit-Reset; a longer wait than allowed (a used-up daily quota)
    stops the stream with a transient error that says when the quota resets."""

    def backoff_time(self, response_or_exception: Any, attempt_count: int) -> float | None:
        try:
            return super().backoff_time(response_or_exception, attempt_count)
        except AirbyteTracedException:
            wait = float(response_or_exception.headers[self.header.eval(config=self.config)])
            resets_at = datetime.now(timezone.utc) + timedelta(seconds=wait)
            endpoint = urlsplit(response_or_exception.request.url).path
            raise AirbyteTracedException(
                message=(
                    f"Pinterest's rate limit for {endpoint} is used up until {resets_at:%Y-%m-%d %H:%M:%S} UTC "
                    f"({wait:.0f} s), longer than max_rate_limit_wait_seconds. What was read so far is saved: "
                    "run the sync again after that time and it resumes."
                ),
                failure_type=FailureType.transient_error,
            )


@dataclass
class CursorStateCheck(StateMigration):
    """Accepts a saved state per partition or with one cursor (as older connectors wrote it), with the
    cursor as epoch seconds or an ISO date/time, and rewrites it in this stream's format; any other
    state is a configuration error naming the stream, instead of a crash in the middle of the sync.
    With `partition_field`, partitions keyed `id` (Airbyte's published connector: the ad account, or an
    entity whose parent_slice holds the account) become one partition per account, at its earliest cursor."""

    cursor_field: str
    datetime_format: str
    parameters: InitVar[Mapping[str, Any]]
    partition_field: str | None = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream = parameters.get("name", "?")

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return bool(stream_state)

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        state = dict(stream_state)
        if isinstance(state.get("states"), list):
            state["states"] = self._per_account([self._partition(entry) for entry in state["states"]])
            if isinstance(state.get("state"), Mapping) and self.cursor_field in state["state"]:
                state["state"] = self._cursor(state["state"])
            return state
        if self.cursor_field in state:
            return self._cursor(state)
        raise self._invalid(f"it has neither 'states' nor '{self.cursor_field}'")

    def _partition(self, entry: Any) -> Mapping[str, Any]:
        if not (isinstance(entry, Mapping) and isinstance(entry.get("partition"), Mapping) and isinstance(entry.get("cursor"), Mapping)):
            raise self._invalid(f"a partition entry is not {{'partition': {{...}}, 'cursor': {{...}}}}: {json.dumps(entry)[:200]}")
        return {**entry, "cursor": self._cursor(entry["cursor"])}

    def _per_account(self, entries: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        if not self.partition_field:
            return entries
        ours, earliest = [], {}
        for entry in entries:
            partition = entry["partition"]
            if self.partition_field in partition or "id" not in partition:
                ours.append(entry)
                continue
            account = (partition.get("parent_slice") or {}).get("id") or partition["id"]
            cursor = entry["cursor"].get(self.cursor_field)
            if account not in earliest or (cursor is not None and _parse_moment(cursor) < _parse_moment(earliest[account])):
                earliest[account] = cursor
        migrated = [{"partition": {self.partition_field: account, "parent_slice": {}}, "cursor": {self.cursor_field: cursor}}
                    for account, cursor in earliest.items()]
        return ours + migrated

    def _cursor(self, cursor: Mapping[str, Any]) -> Mapping[str, Any]:
        if self.cursor_field not in cursor:
            return dict(cursor)
        value = cursor[self.cursor_field]
        try:
            moment = _parse_moment(value)
        except (TypeError, ValueError):
            raise self._invalid(f"'{self.cursor_field}' is {value!r}, not a date, date-time or epoch seconds") from None
        formatted = str(int(moment.timestamp())) if self.datetime_format == "%s" else moment.strftime(self.datetime_format)
        return {**cursor, self.cursor_field: formatted}

    def _invalid(self, reason: str) -> AirbyteTracedException:
        return AirbyteTracedException(
            message=f"The saved state of stream '{self._stream}' cannot be used: {reason}. Reset the stream to read it again from the start date.",
            failure_type=FailureType.config_error,
        )


def _parse_moment(value: Any) -> datetime:
    """A UTC datetime from epoch seconds (number or digits) or an ISO 8601 date or date-time."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        return datetime.fromtimestamp(float(value), timezone.utc)
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _partition_router_of_any_stream(stream: DefaultStream) -> PartitionRouter | None:
    """DefaultStream.get_partition_router, extended to full-refresh streams: the CDK 7 version only
    sees the parents of incremental streams, so `stream_groups` could not make a full-refresh
    child (board_pins, keywords, ...) wait for its parent and parents were read more than once."""
    router = _cdk_get_partition_router(stream)
    generator = stream._stream_partition_generator
    if router is None and isinstance(generator, StreamSlicerPartitionGenerator):
        slicer = generator._stream_slicer
        if isinstance(slicer, PartitionRouter):
            return slicer
    return router


# Wrap the CDK's own method even when the module is loaded twice (see progress logging below).
_cdk_get_partition_router = getattr(DefaultStream.get_partition_router, "cdk_method", DefaultStream.get_partition_router)
_partition_router_of_any_stream.cdk_method = _cdk_get_partition_router  # type: ignore[attr-defined]
DefaultStream.get_partition_router = _partition_router_of_any_stream  # type: ignore[method-assign]


# ---------------------------------------------------------------- progress logging
PROGRESS_INTERVAL_SECONDS = 60.0


def _on_record_logging_progress(self: ConcurrentReadProcessor, record: Record) -> Iterable[AirbyteMessage]:
    """ConcurrentReadProcessor.on_record, plus an INFO line with the stream's record count at most
    once every PROGRESS_INTERVAL_SECONDS per stream: long syncs show progress without flooding."""
    yield from _cdk_on_record(self, record)
    logged_at = self.__dict__.setdefault("_progress_logged_at", {})
    now = time.monotonic()
    last = logged_at.setdefault(record.stream_name, now)
    if now - last >= PROGRESS_INTERVAL_SECONDS:
        logged_at[record.stream_name] = now
        self._logger.info(f"Stream {record.stream_name}: {self._record_counter[record.stream_name]} records read so far")


# Runners can load this module twice (as `source_pinterest.components` and as injected code):
# always wrap the CDK's own method, so the line is logged once.
_cdk_on_record = getattr(ConcurrentReadProcessor.on_record, "cdk_on_record", ConcurrentReadProcessor.on_record)
_on_record_logging_progress.cdk_on_record = _cdk_on_record  # type: ignore[attr-defined]
ConcurrentReadProcessor.on_record = _on_record_logging_progress  # type: ignore[method-assign]
