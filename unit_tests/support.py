"""Helpers shared by every test folder: configs, catalogs, mocked Pinterest answers, reads of the real
source (in-process or as the console script), and the emulator's configs and report expectations.
Fixtures live in the conftest.py files; test files import helpers from here, never from each other."""

import base64
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import yaml

from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder  # noqa: F401  (re-exported for tests)

from pinterest_emulator import reports
from source_pinterest.run import MANIFEST_PATH, PinterestEntrypoint, SourcePinterest, create_source

BASE_URL = "https://api.pinterest.com/v5"
CLIENT_ID = "client-id-1111"
CLIENT_SECRET = "client-secret-2222"
REFRESH_TOKEN = "refresh-token-3333"
ROTATED_REFRESH_TOKEN = "refresh-token-rotated-4444"
ACCESS_TOKEN = "access-token-5555"

MANIFEST = yaml.safe_load(MANIFEST_PATH.read_text())
GENERATED = MANIFEST["definitions"]["generated"]


def report_id_column(level: str) -> str:
    """The column a report of `level` keys its rows by (the manifest's generated table)."""
    return GENERATED["report_id_columns"][level.removesuffix("_TARGETING")]

# The emulator's date in end-to-end tests: the connector's windows end on the real UTC date.
TODAY = datetime.now(timezone.utc).date()


# ------------------------------------------------------------------ building the source
class ResolvedManifestOnce:
    """Resolves and validates the manifest once per test process and hands each SourcePinterest a
    copy: the CDK redoes that work (about 1.3 s) for every source it builds, and the result is the
    same for every test. The root conftest installs it on SourcePinterest for the session; the
    console-script tests and the standard suite's manifest class still take the CDK's whole path."""

    def __init__(self) -> None:
        self._raw: bytes | None = None
        self._resolved: bytes | None = None

    def install(self, monkeypatch) -> None:
        cache = self
        resolve, validate = SourcePinterest._pre_process_manifest, SourcePinterest._validate_source

        def pre_process(source, manifest: dict) -> dict:
            raw = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS)
            source._reused_manifest = raw == cache._raw
            if source._reused_manifest:
                return orjson.loads(cache._resolved)
            source._raw_manifest = raw
            return resolve(source, manifest)

        def validate_once(source) -> None:
            if getattr(source, "_reused_manifest", False):
                return
            validate(source)
            cache._raw, cache._resolved = source._raw_manifest, orjson.dumps(source._source_config)

        monkeypatch.setattr(SourcePinterest, "_pre_process_manifest", pre_process)
        monkeypatch.setattr(SourcePinterest, "_validate_source", validate_once)


# ------------------------------------------------------------------ configs, catalogs, reads
def make_config(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "credentials": {
            "auth_method": "oauth2.0",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        },
    }
    config.update(overrides)
    return config


def make_catalog(*names: str, sync_mode: SyncMode = SyncMode.full_refresh) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in names:
        builder.with_stream(name, sync_mode)
    return builder.build()


def read_streams(config: dict, *names: str, state: list | None = None, sync_mode=SyncMode.full_refresh, expect_failure=False) -> EntrypointOutput:
    catalog = make_catalog(*names, sync_mode=sync_mode)
    source = SourcePinterest(catalog=catalog, config=config, state=state)
    return read(source, config, catalog, state, expecting_exception=expect_failure)


def run_connector(tmp_path: Path, command: str, config: dict) -> list[dict]:
    """Run the installed console script the Docker image runs, and parse its protocol messages."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    script = Path(sys.executable).parent / "source-pinterest"
    result = subprocess.run([str(script), command, "--config", str(config_path)], capture_output=True, text=True, timeout=120)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def run_command(tmp_path: Path, command: str, config: dict) -> list[dict]:
    """What `run_connector` gives, with the console script's own entry point run in this process."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    args = [command, "--config", str(config_path)]
    entrypoint = PinterestEntrypoint(create_source(args))
    return [json.loads(message) for message in entrypoint.run(entrypoint.parse_args(args))]


def connection_status(messages: list[dict]) -> dict:
    return next(m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS")


# ------------------------------------------------------------------ mocked Pinterest answers
def token_request(refresh_token: str = REFRESH_TOKEN) -> HttpRequest:
    """The refresh Pinterest expects: client credentials in HTTP Basic only, form body."""
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    return HttpRequest(
        f"{BASE_URL}/oauth/token",
        headers={"Authorization": f"Basic {basic}"},
        body=f"grant_type=refresh_token&refresh_token={refresh_token}&continuous_refresh=true",
    )


def token_response(refresh_token: str = ROTATED_REFRESH_TOKEN) -> HttpResponse:
    return HttpResponse(
        json.dumps(
            {
                "access_token": ACCESS_TOKEN,
                "token_type": "bearer",
                "expires_in": 2592000,
                "scope": "ads:read boards:read pins:read user_accounts:read catalogs:read",
                "refresh_token": refresh_token,
                "refresh_token_expires_in": 5184000,
            }
        ),
        200,
    )


def mock_oauth(http_mocker: HttpMocker) -> None:
    http_mocker.post(token_request(), token_response())


def page(items: list[dict], bookmark: str | None = None) -> HttpResponse:
    return HttpResponse(json.dumps({"items": items, "bookmark": bookmark}), 200)


def list_request(path: str, bookmark: str | None = None, **params: str) -> HttpRequest:
    """A GET of a paged list at page_size 250, at the given bookmark."""
    query = {"page_size": "250", **params}
    if bookmark:
        query["bookmark"] = bookmark
    return HttpRequest(f"{BASE_URL}/{path}", query_params=query)


def emitted_configs(stdout: str) -> list[dict[str, Any]]:
    """Configs of the CONNECTOR_CONFIG control messages, which the CDK prints straight to stdout."""
    messages = [json.loads(line) for line in stdout.splitlines() if line.startswith('{"type":"CONTROL"')]
    return [m["control"]["connectorConfig"]["config"] for m in messages]


# ------------------------------------------------------------------ against the emulator
def emulator_config(emulator, **overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_method": "oauth2.0", **emulator.credentials},
        "api_base_url": emulator.base_url,
        "num_threads": 8,
    }
    config.update(overrides)
    return config


def records_by_stream(output: EntrypointOutput) -> dict[str, list[dict]]:
    by_stream: dict[str, list[dict]] = {}
    for message in output.records:
        by_stream.setdefault(message.record.stream, []).append(message.record.data)
    return by_stream


def final_state(output: EntrypointOutput) -> list:
    """The last state message of each stream, as the platform would pass to the next sync."""
    last = {message.state.stream.stream_descriptor.name: message.state for message in output.state_messages}
    return list(last.values())


def report_config(emu, days: int = 1, **overrides: Any) -> dict:
    return {
        "credentials": {"auth_method": "oauth2.0", **emu.credentials},
        "api_base_url": emu.base_url,
        "start_date": (TODAY - timedelta(days=days)).isoformat(),
        **overrides,
    }


def read_reports(config: dict, *streams: str, state: list | None = None, expect_failure: bool = False) -> EntrypointOutput:
    return read_streams(config, *streams, state=state, sync_mode=SyncMode.incremental, expect_failure=expect_failure)


def expected_rows(emu, bodies: list[dict]) -> list[dict]:
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


def route_count(emu, route_key: str) -> int:
    return emu.stats()["by_route"].get(route_key, 0)


CREATE = "POST /ad_accounts/{ad_account_id}/reports"
POLL = "GET /ad_accounts/{ad_account_id}/reports"
DOWNLOAD = "GET /_downloads/{name}"
