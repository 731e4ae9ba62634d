"""Custom components for what the CDK's declarative components cannot express.

Loaded as `source_declarative_manifest.components` by every runner (packaged connector, manifest
runner, Connector Builder), so this module imports nothing from the `source_pinterest` package.
"""

import io
import ipaddress
import itertools
import json
import logging
import re
import tempfile
import threading
import time
from dataclasses import InitVar, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Iterable, Iterator, Mapping, MutableMapping, Optional
from urllib.parse import parse_qs, urlparse, urlsplit

import ijson
import orjson
import requests
import urllib3
from ijson.common import ObjectBuilder

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator, DeclarativeSingleUseRefreshTokenOauth2Authenticator
from airbyte_cdk.sources.declarative.decoders.decoder import Decoder
from airbyte_cdk.sources.declarative.decoders.json_decoder import JsonDecoder
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.http_requester import HttpRequester
from airbyte_cdk.sources.declarative.requesters.request_options.interpolated_request_options_provider import (
    InterpolatedRequestOptionsProvider,
)
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.declarative.transformations.config_transformations.config_transformation import ConfigTransformation
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.requesters.error_handlers.default_error_handler import SUCCESS_RESOLUTION, DefaultErrorHandler
from airbyte_cdk.sources.declarative.requesters.error_handlers.backoff_strategies.wait_time_from_header_backoff_strategy import (
    WaitTimeFromHeaderBackoffStrategy,
)
from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorResolution, ResponseAction
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import PaginationStrategy
from airbyte_cdk.sources.declarative.validators.validation_strategy import ValidationStrategy
from airbyte_cdk.sources.message import MessageRepository, NoopMessageRepository
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

LOGGER = logging.getLogger("airbyte")


class OAuthWithDirectConfigLookups(DeclarativeSingleUseRefreshTokenOauth2Authenticator):
    """The CDK's OAuthAuthenticator with a refresh_token_updater (Pinterest rotates the refresh token
    at each refresh), built from `oauth` (the same without the updater) and `token_paths`, looking its
    config paths up directly. The CDK's dpath.get walks the whole config, which in manifest-only
    deployments holds the manifest: 0.15 s a lookup, 4 per authenticator built (110 a source), 2 a call."""

    # A custom component is not told whether it runs in the Connector Builder, which reads the rotated
    # token from the source's messages; the packaged connector, never there, turns this off (run.py).
    emits_config_to_message_repository: ClassVar[bool] = True
    # The CDK passes a custom component the manifest fields its type hints name.
    config: Mapping[str, Any]
    oauth: DeclarativeOauth2Authenticator
    token_paths: Mapping[str, list[str]]

    def __init__(self, config: Mapping[str, Any], oauth: DeclarativeOauth2Authenticator, token_paths: Mapping[str, list[str]]) -> None:
        super().__init__(
            config,
            oauth.get_token_refresh_endpoint(),
            client_id=oauth.get_client_id(),
            client_secret=oauth.get_client_secret(),
            refresh_request_body=oauth.get_refresh_request_body(),
            refresh_request_headers=oauth.get_refresh_request_headers(),
            access_token_config_path=token_paths["access_token"],
            refresh_token_config_path=token_paths["refresh_token"],
            token_expiry_date_config_path=token_paths["token_expiry_date"],
            refresh_token_error_status_codes=tuple(oauth.refresh_token_error_status_codes),
            message_repository=oauth.message_repository,
            # Elsewhere than in the Builder, a read then prints the updated config twice (same content).
            emit_control_message_to_message_repository=self.emits_config_to_message_repository,
        )

    def _wrap_refresh_token_exception(self, exception: requests.exceptions.RequestException, response_content: Any = None) -> bool:
        """Any answer of the token endpoint with a refresh_token_error_status_codes status (400, 401) means
        re-authenticate, whatever its body: Pinterest answers a used or revoked refresh token with its own
        `{"code": 283, ...}`, not OAuth's `"error": "invalid_grant"` that the CDK looks for."""
        return exception.response is not None and exception.response.status_code in self._refresh_token_error_status_codes

    def _get_config_value_by_path(self, config_path: str | list[str], default: Optional[str] = None) -> Any:
        value: Any = self._connector_config
        for key in [config_path] if isinstance(config_path, str) else config_path:
            if not isinstance(value, Mapping) or key not in value:
                return default if default is not None else ""
            value = value[key]
        return value


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
    """Rejects a `start_date` that is no calendar date (2024-02-30), or after today (UTC): Pinterest
    has no data there and every window would be empty."""

    def validate(self, value: Any) -> None:
        if not value:
            return
        try:
            start = date.fromisoformat(value)
        except ValueError as error:
            raise AirbyteTracedException(
                message=f"Invalid 'start_date' {value}: it is not a date of the calendar. Use YYYY-MM-DD, e.g. 2024-01-31, or leave it empty.",
                internal_message=str(error),
                failure_type=FailureType.config_error,
            ) from None
        if start > datetime.now(timezone.utc).date():
            raise AirbyteTracedException(
                message=f"Invalid 'start_date' {value}: it is in the future. Use a past date (YYYY-MM-DD) or leave it empty.",
                failure_type=FailureType.config_error,
            )


@dataclass
class PinterestApiBaseUrl(ValidationStrategy):
    """Rejects an `api_base_url` that is neither Pinterest's API (https) nor a loopback address (an
    emulator): the app's client secret and the refresh token are sent to `{api_base_url}/oauth/token`."""

    pinterest_hosts: tuple[str, ...] = ("api.pinterest.com", "api-sandbox.pinterest.com")

    def validate(self, value: Any) -> None:
        url = urlsplit(str(value))
        if (url.scheme == "https" and url.hostname in self.pinterest_hosts) or (url.scheme in ("http", "https") and _is_loopback(url.hostname)):
            return
        raise AirbyteTracedException(
            message=(
                f"Invalid 'api_base_url' {value}: the connector sends your Pinterest credentials only to "
                f"{' or '.join('https://' + host for host in self.pinterest_hosts)}, or to a loopback address "
                "(e.g. http://127.0.0.1:8765/v5). Use https://api.pinterest.com/v5 or leave it empty."
            ),
            failure_type=FailureType.config_error,
        )


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@dataclass
class ConcurrencyCapNotice(ValidationStrategy):
    """Accepts any `num_threads` the published connector did (up to 40) and says, in a WARN, when
    more than `maximum` (the manifest's max_concurrency, which caps it) was asked for."""

    maximum: int

    def validate(self, value: Any) -> None:
        if value and int(value) > int(self.maximum):
            LOGGER.warning(f"num_threads is {value}: {self.maximum} requests run at once, as many as Pinterest's rate limits can use.")


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
class ForgetGlobalCursor(StateMigration):
    """Drops the global cursor of a per-partition state, so that an ad account synced for the first
    time is read from the start date: the CDK would start it from the other accounts' latest cursor."""

    config: Mapping[str, Any] = field(default_factory=dict)

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return "states" in stream_state and "state" in stream_state and not stream_state.get("use_global_cursor")

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        return {name: value for name, value in stream_state.items() if name != "state"}


@dataclass
class CutOffBodiesFetchedAgain(DefaultErrorHandler):
    """A DefaultErrorHandler that lets a 2xx answer with a whole JSON body through before its filters
    (a filter decodes a body whole, and an analytics page is up to 250 MB), and has one whose body is
    cut off fetched again, soon, at most `max_cut_off_fetches` times in all."""

    max_cut_off_fetches: int = 5

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        # The CDK's HTTP client asks the handler's strategies for the wait, in order.
        self.backoff_strategies = [_CutOffBodyWait(self.max_cut_off_fetches), *(self.backoff_strategies or [])]

    def interpret_response(self, response_or_exception: Optional[requests.Response | Exception]) -> ErrorResolution:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.ok:
            if _has_whole_body(response_or_exception):
                return SUCCESS_RESOLUTION
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=f"Pinterest's answer to {response_or_exception.request.url} was cut off (its body is not whole JSON).",
            )
        return super().interpret_response(response_or_exception)


@dataclass
class StreamedJsonDecoder(JsonDecoder):
    """A JsonDecoder whose responses are streamed: CutOffBodiesFetchedAgain spools a 2xx body to a
    file, and the analytics extractors read it in chunks, so a page of up to 250 ids x 90 days of wide
    rows is never in memory whole."""

    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__init__(parameters)

    def is_stream_response(self) -> bool:
        return True


@dataclass
class _CutOffBodyWait(BackoffStrategy):
    """1, 2, 4, 8 s before a cut-off answer is fetched again; no answer for other responses."""

    max_fetches: int

    def backoff_time(self, response_or_exception: Any, attempt_count: int) -> Optional[float]:
        if not (isinstance(response_or_exception, requests.Response) and response_or_exception.ok):
            return None
        url = response_or_exception.request.url
        if attempt_count >= self.max_fetches:
            raise AirbyteTracedException(
                message=f"Pinterest's answer to {urlsplit(url).path} was cut off {attempt_count} times in a row. What was read so far is saved: run the sync again.",
                internal_message=f"{url}: {attempt_count} answers whose bodies are not whole JSON",
                failure_type=FailureType.transient_error,
            )
        wait = float(min(2 ** (attempt_count - 1), 8))
        # The CDK logs any wait it is given as a rate limit: this line says what it is.
        LOGGER.warning(f"Pinterest's answer to {url} was cut off (its body is not whole JSON): fetching it again in {wait:g} s (fetch {attempt_count + 1} of at most {self.max_fetches}).")
        return wait


_FULLY_PARSED_BYTES = 8 << 20
_WHOLE_ENDINGS = {b"[": (b"}]", b"[]"), b"{": (b"]}", b"}}", b"{}")}


def _body_is_whole(content: bytes | bytearray) -> bool:
    """Whether a JSON body is whole: an object parsed, up to 8 MB; an array (an analytics page, parsed
    row by row next), or a bigger object (a report), whether it ends as a document of its kind ends
    (rows are flat, so `}]` / `]}` close only the document; anything the check lets through still fails
    loudly in the row parsers)."""
    if len(content) <= _FULLY_PARSED_BYTES and not content[:64].lstrip().startswith(b"["):
        try:
            orjson.loads(content)
        except orjson.JSONDecodeError:
            return False
        return True
    return _ends_whole(content[:64].lstrip()[:1], bytes(content[-64:]))


def _ends_whole(first: bytes, tail: bytes) -> bool:
    ending = re.sub(rb"\s+", b"", tail)[-2:]
    return ending in _WHOLE_ENDINGS.get(first, ())


@dataclass
class JsonArrayItemsExtractor(RecordExtractor):
    """The rows of a JSON array of flat objects (an analytics page), read in chunks and each parsed on
    its own (with StreamedJsonDecoder, the page is never in memory whole)."""

    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        yield from _array_objects(_BodyChunks(response))


_BLANKS = re.compile(rb"[ \t\r\n]*")
_ARRAY_SHAPE = "a JSON array of objects"


def _array_objects(stream: Any) -> Iterator[Any]:
    """The objects of a JSON array read from `stream`, one orjson parse each (three times ijson's speed)."""
    buffer, position = bytearray(), 0

    def read_more() -> bool:
        chunk = stream.read(_READ_BYTES)
        buffer.extend(chunk)
        return bool(chunk)

    def next_byte() -> bytes:
        """The next non-blank byte (b"" at the end of the body); `position` moves to it, and what is
        before it is dropped once it reaches a chunk's size."""
        nonlocal position
        if position >= _READ_BYTES:
            del buffer[:position]
            position = 0
        while True:
            position = _BLANKS.match(buffer, position).end()
            if position < len(buffer):
                return bytes(buffer[position : position + 1])
            if not read_more():
                return b""

    if next_byte() != b"[":
        raise _not_json_of_the_shape(_ARRAY_SHAPE, buffer, position)
    position += 1
    if next_byte() == b"]":
        position += 1
    else:
        while True:
            if next_byte() != b"{":
                raise _not_json_of_the_shape(_ARRAY_SHAPE, buffer, position)
            search_from = position
            while (parsed := _value_closed_by(b"}", buffer, position, search_from)) is None:
                search_from = len(buffer)  # every `}` before it was tried
                if not read_more():
                    raise _not_json_of_the_shape(_ARRAY_SHAPE, buffer, position)
            item, position = parsed
            yield item
            separator = next_byte()
            position += 1
            if separator == b"]":
                break
            if separator != b",":
                raise _not_json_of_the_shape(_ARRAY_SHAPE, buffer, position - 1)
    if next_byte() != b"":
        raise _not_json_of_the_shape(_ARRAY_SHAPE, buffer, position)


def _value_closed_by(closer: bytes, text: bytes | bytearray, start: int, search_from: int) -> tuple[Any, int] | None:
    """The JSON value at `start` (an array or object) and the offset after it, or None when `text` has
    no end for it yet. It ends at the first `closer` up to which the text parses: flat rows have no
    other `]` or `}` but in strings, so that is nearly always the first one."""
    end = search_from
    while end := text.find(closer, end) + 1:
        try:
            return orjson.loads(text[start:end]), end
        except orjson.JSONDecodeError:
            pass
    return None


def _not_json_of_the_shape(shape: str, text: bytes | bytearray, position: int) -> ValueError:
    return ValueError(f"The response is cut short or is not {shape}, at {bytes(text[position : position + 80])!r}")


# Analytics id columns the targeting endpoints answer as integers.
_TARGETING_ID_COLUMNS = frozenset({"AD_ACCOUNT_ID", "CAMPAIGN_ID", "AD_GROUP_ID", "AD_ID"})


def _number_as_string(value: Any) -> Any:
    """Targeting values are strings or, for locations and audiences, integers: always strings."""
    return str(value) if isinstance(value, (int, float)) else value


@dataclass
class TargetingRowsExtractor(RecordExtractor):
    """Targeting analytics items `{targeting_type, targeting_value, metrics}` as flat rows with string
    ids and TARGETING_VALUE. Built here: AddFields/DpathFlattenFields/RemoveFields walk every field of
    every row (~0.6 ms a row), and these streams reach millions of rows."""

    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for item in ijson.items(_BodyChunks(response), "data.item", use_float=True):
            row = item["metrics"]
            for column in _TARGETING_ID_COLUMNS & row.keys():
                row[column] = str(row[column])
            row["TARGETING_TYPE"] = item["targeting_type"]
            row["TARGETING_VALUE"] = _number_as_string(item["targeting_value"])
            yield row


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
    entity whose parent_slice holds the account) become one partition per account, at its earliest cursor,
    repeated for each value of the `partition_values` fields (e.g. the targeting-type groups of a report);
    one without this stream's cursor field is dropped, so its account is read from the start date."""

    cursor_field: str
    datetime_format: str
    parameters: InitVar[Mapping[str, Any]]
    partition_field: str | None = None
    with_parent_slice: bool = True  # whether this stream's partitions carry an (empty) parent_slice
    partition_values: Mapping[str, list] = field(default_factory=dict)

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
            if cursor is None:  # not this stream's cursor (a published TOTAL report's DATE): read from the start date
                continue
            if account not in earliest or _parse_moment(cursor) < _parse_moment(earliest[account]):
                earliest[account] = cursor
        extra_partitions = [dict(zip(self.partition_values, values)) for values in itertools.product(*self.partition_values.values())]
        migrated = [{"partition": {self.partition_field: account, **({"parent_slice": {}} if self.with_parent_slice else {}), **extra},
                     "cursor": {self.cursor_field: cursor}} for account, cursor in earliest.items() for extra in extra_partitions]
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


def _log_to_the_sources_repository(requester: HttpRequester, donor: Any) -> None:
    """The CDK gives a custom requester no message repository, so its pages would be missing from
    a Connector Builder test read: take the source's from a component the CDK built for it."""
    repository = getattr(donor, "message_repository", None) or getattr(donor, "_message_repository", None)
    if isinstance(requester.message_repository, NoopMessageRepository) and isinstance(repository, MessageRepository):
        requester.message_repository = repository


@dataclass
class _RequesterWithParameters(HttpRequester):
    """An HttpRequester built as a CustomRequester: the CDK hands it the manifest's `request_parameters`
    as a field (not as a request options provider) and no message repository."""

    request_parameters: Optional[Mapping[str, Any]] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if self.request_parameters is not None:
            self.request_options_provider = InterpolatedRequestOptionsProvider(
                config=self.config, request_parameters=self.request_parameters, parameters=parameters
            )
        _log_to_the_sources_repository(self, self.authenticator)
        super().__post_init__(parameters)


@dataclass
class OneCallPerCachedPage(_RequesterWithParameters):
    """An HttpRequester whose sends of one page go one at a time, so that a stream reading a parent
    page another stream is fetching gets it from the cache instead of calling the API again. Only
    a body that parses is cached: a cut-off page is fetched again when retried."""

    _page_locks: ClassVar[dict[str, threading.Lock]] = {}
    _page_locks_guard: ClassVar[threading.Lock] = threading.Lock()

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.use_cache = True  # the CDK hands a custom requester its retriever's use_cache (None), not the manifest's
        super().__post_init__(parameters)
        self._http_client._session.settings.filter_fn = lambda response: response.ok and _body_is_whole(response.content)

    def send_request(self, stream_state: Any = None, stream_slice: Any = None, next_page_token: Any = None, **kwargs: Any) -> Optional[requests.Response]:
        page = self.get_url(stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token)
        params = {**self.get_request_params(stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token),
                  **(kwargs.get("request_params") or {})}
        key = f"{page}?{sorted((str(name), str(value)) for name, value in params.items())}"
        with self._page_locks_guard:
            lock = self._page_locks.setdefault(key, threading.Lock())
        with lock:
            return super().send_request(stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token, **kwargs)


_PYTHON_TYPES = {"string": {str}, "integer": {int}, "number": {int, float}, "boolean": {bool}, "object": {dict}, "array": {list}, "null": {type(None)}}


@dataclass
class SchemaMismatchWarning(TypeTransformer):
    """Emits records unchanged and logs a WARN, once per stream and field, naming a top-level value whose
    type the stream's schema does not declare (e.g. a metric answered as "n/a"). Every record of the first
    `fully_checked` is checked, then one in `check_every` (a check costs ~30 us for a 600-column row)."""

    parameters: InitVar[Mapping[str, Any]]
    fully_checked: int = 1000
    check_every: int = 20

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__init__(TransformConfig.NoTransform)
        self._stream = parameters.get("name", "?")
        self._warned: set[str] = set()
        self._declared: dict[int, tuple[Mapping[str, Any], dict[str, frozenset[type]]]] = {}
        self._seen = itertools.count()

    def transform(self, record: dict[str, Any], schema: Mapping[str, Any]) -> None:
        seen = next(self._seen)
        if seen >= self.fully_checked and seen % self.check_every:
            return
        types = self._types_of(schema)
        # exact types (JSON decoders make no subclasses; a bool is no integer): ~8 us for 190 fields
        for name in [name for name, value in record.items() if (allowed := types.get(name)) is not None and type(value) not in allowed]:
            if name not in self._warned:
                self._warned.add(name)
                LOGGER.warning(
                    f"Stream {self._stream}: field '{name}' is {json.dumps(record[name])[:100]} ({type(record[name]).__name__}) in a record, "
                    f"where its schema declares {schema['properties'][name]['type']}. Records are emitted unchanged; other mismatches of this field are not logged."
                )

    def _types_of(self, schema: Mapping[str, Any]) -> dict[str, frozenset[type]]:
        """Python types per top-level property whose JSON types are all known, computed once per schema
        (held to keep its id)."""
        known = self._declared.get(id(schema))
        if known is None:
            types = {}
            for name, declaration in (schema.get("properties") or {}).items():
                declared = declaration.get("type") if isinstance(declaration, Mapping) else None
                kinds = [declared] if isinstance(declared, str) else list(declared or [])
                if kinds and all(kind in _PYTHON_TYPES for kind in kinds):
                    types[name] = frozenset(python for kind in kinds for python in _PYTHON_TYPES[kind])
            known = self._declared[id(schema)] = (schema, types)
        return known[1]


@dataclass
class KeywordsOfEachAdGroupWithoutBeta(_RequesterWithParameters):
    """Asks for the keywords of a batch of ad groups with `ad_group_ids`, a BETA filter "not available to
    all users"; once Pinterest refuses it (any error that is not transient), reads each ad group of a
    batch with `ad_group_id`, following its pages, and answers the batch with all their keywords."""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._beta_refused, self._refusal_lock = threading.Event(), threading.Lock()

    def send_request(self, stream_state: Any = None, stream_slice: Any = None, next_page_token: Any = None, **kwargs: Any) -> Optional[requests.Response]:
        batch = list((stream_slice or {}).get("ad_group_ids") or [])
        if batch and next_page_token is None and not self._beta_refused.is_set():
            try:
                return super().send_request(stream_state=stream_state, stream_slice=stream_slice, **kwargs)
            except AirbyteTracedException as refused:
                if refused.failure_type == FailureType.transient_error:
                    raise
                with self._refusal_lock:
                    first_refusal = not self._beta_refused.is_set()
                    self._beta_refused.set()
                if first_refusal:
                    LOGGER.warning(
                        f"Pinterest refused the ad_group_ids filter of {urlsplit(self.get_url(stream_slice=stream_slice)).path} ({refused.message}): "
                        "it is in BETA and not available to every app. Keywords are read one ad group at a time from now on: "
                        "a call per ad group instead of one per 250."
                    )
        if batch and next_page_token is None:
            return self._each_ad_group(stream_state, stream_slice, batch, kwargs)
        return super().send_request(stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token, **kwargs)

    def _each_ad_group(self, stream_state: Any, stream_slice: StreamSlice, batch: list[str], kwargs: dict[str, Any]) -> requests.Response:
        items, response = [], None
        for ad_group_id in batch:
            one = StreamSlice(partition={**stream_slice.partition, "ad_group_ids": [], "ad_group_id": ad_group_id}, cursor_slice=stream_slice.cursor_slice)
            params = {name: value for name, value in (kwargs.get("request_params") or {}).items() if name != "bookmark"}
            while True:
                response = super().send_request(stream_state=stream_state, stream_slice=one, **{**kwargs, "request_params": params})
                body = response.json() if response is not None else {}
                items += body.get("items") or []
                if not body.get("bookmark"):
                    break
                params["bookmark"] = body["bookmark"]
        answer = requests.Response()
        answer.status_code, answer.request, answer._content = 200, response.request if response is not None else None, orjson.dumps({"items": items, "bookmark": None})
        answer.headers["Content-Type"] = "application/json"
        return answer


@dataclass
class ProgressLog(RecordTransformation):
    """Counts the records of its stream and logs the count at INFO at most once every
    `interval_seconds`: a long sync shows progress without flooding the log."""

    parameters: InitVar[Mapping[str, Any]]
    interval_seconds: float = 60.0

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream = parameters.get("name", "?")
        self._count = itertools.count(1)
        self._logged_at: float | None = None  # the first record starts the clock

    def transform(self, record: dict[str, Any], config: Any = None, stream_state: Any = None, stream_slice: Any = None) -> None:
        count, now = next(self._count), time.monotonic()
        if self._logged_at is None:
            self._logged_at = now
        elif now - self._logged_at >= self.interval_seconds:
            self._logged_at = now
            LOGGER.info(f"Stream {self._stream}: {count} records read so far")


# ---------------------------------------------------------------- async reports
@dataclass
class ReportRowsDecoder(Decoder):
    """Streams a JSON report `{"<entity id>": [row, ...], ...}` as flat rows carrying the entity id in
    the level's id column (`$parameters.level`). Targeting levels are parsed one row at a time (an entity
    has a row per targeting value and day); other levels one entity's rows at a time, at C speed.
    A numeric TARGETING_VALUE becomes a string, as in targeting analytics."""

    parameters: InitVar[Mapping[str, Any]]
    id_columns: Mapping[str, str]  # per level without _TARGETING (generated)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._id_column = self.id_columns[parameters["level"].removesuffix("_TARGETING")]
        self._rows = _keyed_rows if parameters["level"].endswith("_TARGETING") else _rows_by_entity

    def is_stream_response(self) -> bool:
        return True

    def decode(self, response: requests.Response) -> Iterator[MutableMapping[str, Any]]:
        for entity_id, row in self._rows(_BodyChunks(response)):
            if "TARGETING_VALUE" in row:
                row["TARGETING_VALUE"] = _number_as_string(row["TARGETING_VALUE"])
            row.setdefault(self._id_column, entity_id)  # in place: a copy of a 600-column row costs
            yield row


def _has_whole_body(response: requests.Response) -> bool:
    """Whether a response's JSON body is whole. A streamed body is first read into memory (up to 4 MB)
    or a temporary file, which then stands in for the connection as the response's body; False when
    the body is cut off or the connection is lost before its end."""
    if response._content_consumed:  # read already: not sent with stream=True, or in the Connector Builder
        return _body_is_whole(response.content)
    announced = int(response.headers.get("Content-Length") or 0) if "Content-Encoding" not in response.headers else 0
    spool = io.BytesIO() if 0 < announced <= _IN_MEMORY_BYTES else tempfile.TemporaryFile()  # no copy when rolling over
    first = b""
    try:
        # the connection's own reader: requests' iter_content would mark the body consumed
        for chunk in response.raw.stream(_READ_BYTES, decode_content=True):
            first = first or chunk[:64].lstrip()[:1]
            spool.write(chunk)
    except (urllib3.exceptions.HTTPError, OSError):
        spool.close()
        return False
    finally:
        response.raw.close()
    size = spool.tell()
    if size <= _FULLY_PARSED_BYTES:
        spool.seek(0)
        whole = _body_is_whole(spool.read())
    else:
        spool.seek(size - 64)
        whole = _ends_whole(first, spool.read())
    if not whole:
        spool.close()
        return False
    spool.seek(0)
    for decoded in ("Content-Encoding", "Content-Length"):
        response.headers.pop(decoded, None)
    response.raw = spool  # read by iter_content, already decoded
    return True


_IN_MEMORY_BYTES = 4 << 20


class _BodyChunks:
    """A response body as a file whose read() gives its next chunk, gzip decoded: streamed from the
    network, or from memory when a Connector Builder test read has logged the body already."""

    def __init__(self, response: requests.Response) -> None:
        self._chunks = response.iter_content(_READ_BYTES)

    def read(self, size: int = -1) -> bytes:
        return next(self._chunks, b"") if size else b""  # ijson reads 0 bytes to learn the type


# What may come before an entry's array (`{"<key>": [` first, `, "<key>": [` after) and what may follow the
# last one.
_FIRST_ENTRY, _NEXT_ENTRY = (re.compile(rb'\s*' + separator + rb'\s*("(?:[^"\\]|\\.)*")\s*:\s*\[') for separator in (rb"\{", rb","))
_EMPTY_DOCUMENT, _DOCUMENT_END = re.compile(rb"\s*\{\s*\}\s*"), re.compile(rb"\s*\}\s*")
_READ_BYTES = 1 << 20
_REPORT_SHAPE = "a JSON object of arrays"


def _rows_by_entity(stream: Any) -> Iterator[tuple[str, dict]]:
    """(key, row) for each row of a `{key: [row, ...]}` JSON document read from `stream`, one key's rows
    parsed at a time by orjson (twice ijson's speed)."""
    buffer, position, entry_start, document_end = bytearray(), 0, _FIRST_ENTRY, _EMPTY_DOCUMENT

    def read_more() -> bool:
        chunk = stream.read(_READ_BYTES)
        buffer.extend(chunk)
        return bool(chunk)

    while True:
        if position >= _READ_BYTES:
            del buffer[:position]
            position = 0
        entry = entry_start.match(buffer, position)
        if entry is None:
            if read_more():
                continue
            if document_end.fullmatch(buffer, position):
                return
            raise _not_json_of_the_shape(_REPORT_SHAPE, buffer, position)
        search_from = entry.end()
        while (parsed := _value_closed_by(b"]", buffer, entry.end() - 1, search_from)) is None:
            search_from = len(buffer)  # every `]` before it was tried
            if not read_more():
                raise _not_json_of_the_shape(_REPORT_SHAPE, buffer, position)
        rows, end = parsed
        position, entry_start, document_end = end, _NEXT_ENTRY, _DOCUMENT_END
        key = orjson.loads(entry[1])
        for row in rows:
            yield key, row


def _keyed_rows(stream: Any) -> Iterator[tuple[str, dict]]:
    """(key, row) for each row object of a `{key: [row, ...]}` JSON document, parsed incrementally."""
    key, builder, depth = None, None, 0
    for _, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            builder.event(event, value)
        if event in ("start_map", "start_array"):
            if builder is None and event == "start_map" and depth == 2:
                builder = ObjectBuilder()
                builder.event(event, value)
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if builder is not None and depth == 2:
                yield key, builder.value
                builder = None
        elif event == "map_key" and depth == 1:
            key = value


@dataclass
class ReportStatusExtractor(RecordExtractor):
    """The polled `report_status`, or TIMED_OUT once a job has been IN_PROGRESS for more than
    `timeout_seconds` since its first poll (the CDK's own job timeout counts whole minutes). A poll
    answered with an error (let through by the polling error handler: the CDK's job loop repeats a
    raising poll at once, forever) is IN_PROGRESS on a server error, else FAILED (created again)."""

    config: Mapping[str, Any]
    parameters: InitVar[Mapping[str, Any]]
    timeout_seconds: str | int = 3600

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._timeout = InterpolatedString.create(str(self.timeout_seconds), parameters=parameters)
        self._first_in_progress: dict[str, float] = {}

    def extract_records(self, response: requests.Response) -> Iterable[str]:
        token = parse_qs(urlparse(response.request.url).query).get("token", [""])[0]
        if response.ok:
            status = response.json().get("report_status")
        elif response.status_code >= 500:
            LOGGER.warning(f"Polling Pinterest report {token} answered HTTP {response.status_code}: it is polled again.")
            status = "IN_PROGRESS"
        else:
            LOGGER.warning(f"Polling Pinterest report {token} answered HTTP {response.status_code}: it is requested again.")
            yield "FAILED"
            return
        if status == "IN_PROGRESS":
            first = self._first_in_progress.setdefault(token, time.monotonic())
            timeout = float(self._timeout.eval(self.config))
            if time.monotonic() - first > timeout:
                LOGGER.warning(f"Pinterest report {token} is still IN_PROGRESS after {timeout:g} s: it is requested again.")
                status = "TIMED_OUT"
        elif status != "FINISHED":
            LOGGER.warning(f"Pinterest report {token} ended with status {status}: it is requested again.")
        yield status


@dataclass
class ReportDownloadRequester(HttpRequester):
    """Downloads a finished report from its link into memory (up to 4 MB) or a temporary file,
    so that a body cut off, or a connection lost midway, is downloaded again (at most `max_downloads`
    times) before any row is read; when the link has expired (the storage host answers 403) it polls
    the job for a fresh link, at most `max_fresh_links` times."""

    fresh_link_requester: Optional[HttpRequester] = None
    max_fresh_links: int = 3
    max_downloads: int = 5

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        _log_to_the_sources_repository(self, self.fresh_link_requester)
        super().__post_init__(parameters)

    def send_request(self, stream_state: Any = None, stream_slice: Any = None, **kwargs: Any) -> Optional[requests.Response]:
        fresh_links, downloads = 0, 0
        while True:
            response = super().send_request(stream_state=stream_state, stream_slice=stream_slice, **kwargs)
            if response is not None and response.status_code == 403:
                response.close()
                fresh_links += 1
                if fresh_links >= self.max_fresh_links:
                    raise AirbyteTracedException(
                        message=f"The download link of a Pinterest report expired {fresh_links} times before the download started. Run the sync again.",
                        failure_type=FailureType.transient_error,
                    )
                LOGGER.warning("The download link of a Pinterest report has expired: asking for a fresh one.")
                stream_slice = self._with_fresh_link(stream_slice)
                continue
            if response is None or not response.ok:
                return response
            downloads += 1
            if _has_whole_body(response):
                return response
            if downloads >= self.max_downloads:
                raise AirbyteTracedException(
                    message=f"A Pinterest report was cut off in each of {downloads} downloads. What was read so far is saved: run the sync again.",
                    failure_type=FailureType.transient_error,
                )
            LOGGER.warning(f"A Pinterest report download was cut off: downloading it again (download {downloads + 1} of at most {self.max_downloads}).")
            time.sleep(min(2 ** (downloads - 1), 8))

    def _with_fresh_link(self, stream_slice: StreamSlice) -> StreamSlice:
        assert self.fresh_link_requester is not None
        polled = self.fresh_link_requester.send_request(stream_slice=stream_slice)
        body = polled.json() if polled is not None else {}
        if body.get("report_status") != "FINISHED" or not body.get("url"):
            raise AirbyteTracedException(
                message=f"A Pinterest report became {body.get('report_status')} before it was downloaded. Run the sync again.",
                failure_type=FailureType.transient_error,
            )
        extra_fields = {**stream_slice.extra_fields, "download_target": body["url"]}
        return StreamSlice(partition=stream_slice.partition, cursor_slice=stream_slice.cursor_slice, extra_fields=extra_fields)


@dataclass
class CustomReportStreamNames(ConfigTransformation):
    """Gives each `custom_reports` entry the stream name Airbyte's published connector gave it: `custom_`
    plus the name with every A-Z turned into `_` and its lower case (`My Report` -> `custom__my _report`)."""

    def transform(self, config: MutableMapping[str, Any]) -> None:
        if _custom_reports(config):
            config["custom_reports"] = [
                {**report, "stream_name": "custom_" + re.sub("[A-Z]", r"_\g<0>", str(report.get("name") or "")).lower()}
                if isinstance(report, Mapping) else report
                for report in _custom_reports(config)
            ]


@dataclass
class CustomReportColumnsForLevel(ConfigTransformation):
    """Gives each `custom_reports` entry the columns Pinterest reports at its level: all of them for an
    empty list, and without the columns of other levels (a WARN names them). The lists come in
    `$parameters` (a CustomConfigTransformation takes no other fields)."""

    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.columns, self.product_item_columns = parameters["columns"], parameters["product_item_columns"]

    def transform(self, config: MutableMapping[str, Any]) -> None:
        if _custom_reports(config):
            config["custom_reports"] = [self._fitted(index, report) for index, report in enumerate(_custom_reports(config))]

    def _fitted(self, index: int, report: Any) -> Any:
        if not isinstance(report, Mapping) or not isinstance(report.get("level"), str):
            return report
        at_level = _columns_at_level(report["level"], self.columns, self.product_item_columns)
        if not report.get("columns"):
            return {**report, "columns": at_level}
        other_levels = [column for column in report["columns"] if column not in at_level and column in self.columns]
        kept = [column for column in report["columns"] if column not in other_levels]
        if not other_levels or not kept:  # nothing to leave out, or nothing left: CustomReportsValid says why
            return report
        LOGGER.warning(
            f"Custom report '{report.get('name')}' (custom_reports.{index}): {', '.join(other_levels)} "
            f"{'is' if len(other_levels) == 1 else 'are'} not reported at level {report['level']}, so the report is requested without them."
        )
        return {**report, "columns": kept}


def _custom_reports(config: Mapping[str, Any]) -> list[Any]:
    reports = config.get("custom_reports")
    return list(reports) if isinstance(reports, list) else []


def _columns_at_level(level: str, columns: list[str], product_item_columns: list[str]) -> list[str]:
    return list(product_item_columns if level.startswith("PRODUCT_ITEM") else columns)


@dataclass
class CustomReportsValid(ValidationStrategy):
    """Rejects a `custom_reports` entry that can never work: an unknown level, granularity or column,
    only columns of other levels, or a stream name another entry has; the message names the field."""

    levels: list[str]
    granularities: list[str]
    columns: list[str]
    product_item_columns: list[str]

    def validate(self, value: Any) -> None:
        stream_names: dict[str, int] = {}
        for index, report in enumerate(value or []):
            if not str(report.get("name") or "").strip():
                self._fail(index, "name", "it is empty; give the report a name (its stream is custom_<name>).")
            if report.get("stream_name") in stream_names:
                other = stream_names[report["stream_name"]]
                self._fail(index, "name", f"'{report['name']}' gives the stream name '{report['stream_name']}', as custom_reports.{other} does; rename one of them.")
            stream_names[report.get("stream_name")] = index
            level = report.get("level")
            if level not in self.levels:
                self._fail(index, "level", f"{level!r} is not a report level; use one of {', '.join(self.levels)}.")
            granularity = report.get("granularity") or "DAY"
            if granularity not in self.granularities:
                self._fail(index, "granularity", f"{granularity!r} is not a granularity; use one of {', '.join(self.granularities)}.")
            asked = report.get("columns") or []
            unknown = [column for column in asked if column not in self.columns]
            if unknown:
                self._fail(index, "columns", f"{', '.join(unknown)} {'is not a Pinterest report column' if len(unknown) == 1 else 'are not Pinterest report columns'}; remove {'it' if len(unknown) == 1 else 'them'}.")
            at_level = set(_columns_at_level(level, self.columns, self.product_item_columns))
            if asked and not at_level.intersection(asked):
                self._fail(index, "columns", f"none of {', '.join(asked)} is reported at level {level}; pick columns of that level, or none for all of them.")

    @staticmethod
    def _fail(index: int, name: str, reason: str) -> None:
        raise AirbyteTracedException(
            message=f"Invalid configuration field 'custom_reports.{index}.{name}': {reason}",
            failure_type=FailureType.config_error,
        )
