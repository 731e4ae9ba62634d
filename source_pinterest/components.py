"""Custom components for what the CDK's declarative components cannot express.

Loaded as `source_declarative_manifest.components` by every runner (packaged connector, manifest
runner, Connector Builder), so this module imports nothing from the `source_pinterest` package.
"""

from dataclasses import InitVar, dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping, MutableMapping
from urllib.parse import parse_qs, urlparse

import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.validators.validation_strategy import ValidationStrategy
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
