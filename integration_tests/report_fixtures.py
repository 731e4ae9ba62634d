"""Helpers of the report tests: an emulator frozen to today, fast job polling, the report request
bodies the emulator received, and the rows `expected_report_rows` gives for them."""

from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.declarative.async_job.job_orchestrator import AsyncJobOrchestrator
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read

from pinterest_emulator import Emulator, EmulatorOptions, reports
from source_pinterest.components import report_id_column
from source_pinterest.run import SourcePinterest

# The emulator's date: the connector's report windows end on the real UTC date.
TODAY = datetime.now(timezone.utc).date()


@pytest.fixture
def fast_polling(monkeypatch):
    """Poll report jobs every 50 ms instead of the CDK's 5 s."""
    monkeypatch.setattr(AsyncJobOrchestrator, "_WAIT_TIME_BETWEEN_STATUS_UPDATE_IN_SECONDS", 0.05)


@pytest.fixture
def report_bodies(monkeypatch) -> list[dict]:
    """Every report request body the emulator validated, in order."""
    bodies: list[dict] = []
    validate = reports.normalised_body

    def recording(body: Any) -> dict:
        result = validate(body)
        bodies.append(result)
        return result

    monkeypatch.setattr(reports, "normalised_body", recording)
    return bodies


@pytest.fixture
def emulator(fast_polling) -> Iterator[Emulator]:
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(today=TODAY.isoformat())) as emu:
        yield emu


def report_config(emu: Emulator, days: int = 1, **overrides: Any) -> dict:
    return {
        "credentials": {"auth_method": "oauth2.0", **emu.credentials},
        "api_base_url": emu.base_url,
        "start_date": (TODAY - timedelta(days=days)).isoformat(),
        **overrides,
    }


def read_reports(config: dict, *streams: str, state: list | None = None, expect_failure: bool = False) -> EntrypointOutput:
    builder = CatalogBuilder()
    for stream in streams:
        builder.with_stream(stream, SyncMode.incremental)
    catalog = builder.build()
    return read(SourcePinterest(catalog=catalog, config=config, state=state), config, catalog, state, expecting_exception=expect_failure)


def expected_rows(emu: Emulator, bodies: list[dict]) -> list[dict]:
    """The rows of the reports of these bodies, for every ad account, flattened as the connector emits
    them (each distinct body once: a recreated job asks for the same report)."""
    distinct = {repr(sorted(body.items())): body for body in bodies}.values()
    rows = []
    for body in distinct:
        for account in emu.dataset.ad_accounts:
            report = reports.expected_report_rows(emu.dataset, account["id"], body, today=TODAY)
            rows += [{report_id_column(body["level"]): key, **_string_targeting(row)} for key, group in report.items() for row in group]
    return rows


def _string_targeting(row: dict) -> dict:
    """The connector emits TARGETING_VALUE as a string; the API answers some values as integers."""
    return {**row, "TARGETING_VALUE": str(row["TARGETING_VALUE"])} if "TARGETING_VALUE" in row else row


def records_of(output: EntrypointOutput, stream: str) -> list[dict]:
    return [message.record.data for message in output.records if message.record.stream == stream]


def canonical(rows: list[dict]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


def route_count(emu: Emulator, route_key: str) -> int:
    return emu.stats()["by_route"].get(route_key, 0)


CREATE = "POST /ad_accounts/{ad_account_id}/reports"
POLL = "GET /ad_accounts/{ad_account_id}/reports"
DOWNLOAD = "GET /_downloads/{name}"
