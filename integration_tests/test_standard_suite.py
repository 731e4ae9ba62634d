"""Airbyte's standard connector tests (airbyte_cdk.test.standard_tests), driven by
acceptance-test-config.yml, against the emulator, on the manifest as the platform and the Connector
Builder run it (injected manifest and components.py); the packaged source's own command is tested
by test_packaged_install.py and the console-script tests. Plus what the standard tests leave out: two
full refreshes agree, an incremental read from the future state of abnormal_state.json emits
nothing, and the committed catalog and state are current. Reads of every stream are `long`."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from boltons.typeutils import classproperty

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, SyncMode
from airbyte_cdk.test import standard_tests
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.test.models import ConnectorTestScenario
from airbyte_cdk.test.standard_tests.docker_base import DockerConnectorTestSuite
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests  # noqa: F401  (parametrizes `scenario`)

from integration_tests import catalogs
from pinterest_emulator import Emulator
from source_pinterest.run import SourcePinterest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "source_pinterest"
GENERATED = ROOT / "integration_tests" / "generated"
CONFIG = GENERATED / "config.json"
INVALID_CONFIG = GENERATED / "invalid_config.json"


@pytest.fixture(scope="module", autouse=True)
def emulator():
    """The emulator the configs of acceptance-test-config.yml point at, written before any test reads them."""
    with Emulator(profile="tiny", seed=1, port=0) as emu:
        config = json.loads(catalogs.SAMPLE_CONFIG.read_text())
        config["api_base_url"] = emu.base_url
        # Two days: one request per analytics and report window, and few records, because the
        # suite validates every record against its schema (its slowest part).
        config["start_date"] = (datetime.now(timezone.utc).date() - timedelta(days=1)).isoformat()
        invalid = {**config, "credentials": {**config["credentials"], "refresh_token": "revoked-refresh-token"}}
        GENERATED.mkdir(exist_ok=True)
        CONFIG.write_text(json.dumps(config, indent=2))
        INVALID_CONFIG.write_text(json.dumps(invalid, indent=2))
        yield emu


@pytest.fixture(autouse=True)
def unsafe_code_only_for_this_test(monkeypatch):
    """DeclarativeSourceTestSuite sets AIRBYTE_ENABLE_UNSAFE_CODE for components.py; undo it after each test."""
    monkeypatch.delenv("AIRBYTE_ENABLE_UNSAFE_CODE", raising=False)


NO_DOCKER = (
    "No Docker daemon here: the Dockerfile is linted with hadolint (unit_tests/test_platform_files.py) "
    "and the image's command runs from a clean install (integration_tests/test_packaged_install.py)."
)


@pytest.mark.skip(reason=NO_DOCKER)
def _image_test(self) -> None:
    """Stands in for each Docker image test of the standard suite."""


WithoutImageTests = type(
    "WithoutImageTests",
    (),
    {name: _image_test for name in dir(DockerConnectorTestSuite) if name.startswith("test_docker_image")},
)


# Report jobs are polled every 50 ms instead of 5 s: every read here syncs all 12 report streams.
pytestmark = pytest.mark.usefixtures("fast_polling")

class TestManifestStandards(WithoutImageTests, standard_tests.DeclarativeSourceTestSuite):
    """The connector root is the repository (metadata.yaml); the manifest lives in the package."""

    @classproperty
    def manifest_yaml_path(cls) -> Path:
        return PACKAGE / "manifest.yaml"

    @classproperty
    def components_py_path(cls) -> Path:
        return PACKAGE / "components.py"


    @pytest.mark.long
    def test_basic_read(self, scenario: ConnectorTestScenario) -> None:
        """Reads every stream and validates each record against its schema."""
        super().test_basic_read(scenario)


def _read(sync_mode: SyncMode, state_path: Path | None = None):
    config = json.loads(CONFIG.read_text())
    configured = ConfiguredAirbyteCatalogSerializer.load(json.loads(catalogs.CONFIGURED_CATALOG.read_text()))
    builder = CatalogBuilder()
    for configured_stream in configured.streams:
        supported = configured_stream.stream.supported_sync_modes
        builder.with_stream(configured_stream.stream.name, sync_mode if sync_mode in supported else SyncMode.full_refresh)
    catalog = builder.build()
    state = SourcePinterest.read_state(str(state_path)) if state_path else None
    output = read(SourcePinterest(catalog=catalog, config=config, state=state), config, catalog, state)
    assert not output.errors, [error.trace.error.message for error in output.errors]
    return output


def _records_by_stream(output) -> dict[str, list[str]]:
    records: dict[str, list[str]] = {}
    for message in output.records:
        records.setdefault(message.record.stream, []).append(json.dumps(message.record.data, sort_keys=True))
    return {stream: sorted(rows) for stream, rows in records.items()}


@pytest.mark.long
def test_two_full_refresh_reads_agree():
    first, second = _read(SyncMode.full_refresh), _read(SyncMode.full_refresh)
    first_records = _records_by_stream(first)
    assert first_records  # the emulator has data for the read to return
    assert first_records == _records_by_stream(second)


def test_incremental_read_from_future_state_emits_nothing_and_keeps_the_state():
    future_states = json.loads(catalogs.ABNORMAL_STATE.read_text())
    future = {state["stream"]["stream_descriptor"]["name"]: state["stream"]["stream_state"] for state in future_states}
    output = _read(SyncMode.incremental, catalogs.ABNORMAL_STATE)

    records = _records_by_stream(output)
    assert not set(records) & set(future), {stream: len(rows) for stream, rows in records.items() if stream in future}
    assert records  # full-refresh streams still read, so the read did run
    final_states = {}
    for message in output.state_messages:
        final_states[message.state.stream.stream_descriptor.name] = message.state.stream.stream_state.__dict__
    for stream, cursor in future.items():
        ((field, value),) = cursor.items()
        state = final_states[stream]
        kept = state.get(field) or state.get("state", {}).get(field)
        assert kept == value, f"{stream}: state {state} moved from the future cursor {cursor}"


def test_configured_catalog_and_abnormal_state_list_every_discovered_stream():
    assert catalogs.main(["--check"]) == 0, "Run `python -m integration_tests.catalogs` to regenerate them."


def test_sample_config_has_the_emulators_default_credentials(emulator):
    sample = json.loads(catalogs.SAMPLE_CONFIG.read_text())
    assert {key: sample["credentials"][key] for key in emulator.credentials} == Emulator(profile="tiny").credentials
