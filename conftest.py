"""Shared by every test folder: per-test HTTP cache, the manifest resolved once, instant CDK backoff,
fast report polling, and the gate of the tests that need Pinterest's OpenAPI description."""

import os
import time
import types

import backoff._sync
import pytest

from airbyte_cdk.sources.declarative.async_job.job_orchestrator import AsyncJobOrchestrator
from airbyte_cdk.sources.streams.http import rate_limiting

from schema_generator.cli import SPEC_ENV_VAR, default_spec_path
from unit_tests.support import ResolvedManifestOnce

OPENAPI_MISSING = (
    f"Pinterest's OpenAPI description is not at {default_spec_path()} "
    f"(set ${SPEC_ENV_VAR}, or put the shared folder beside the repository)"
)


def openapi_available() -> bool:
    return default_spec_path().is_file()


def under_ci() -> bool:
    return os.environ.get("CI") == "true"


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_openapi") and not openapi_available():
        if under_ci():
            pytest.fail(f"{OPENAPI_MISSING}: required under CI=true", pytrace=False)
        pytest.skip(f"{OPENAPI_MISSING}: skipped")


def pytest_terminal_summary(terminalreporter):
    if not openapi_available():
        verdict = "failed (CI=true)" if under_ci() else "skipped"
        terminalreporter.write_line(f"{OPENAPI_MISSING}: the tests marked needs_openapi were {verdict}.", yellow=True)


@pytest.fixture(autouse=True)
def fresh_http_cache(tmp_path, monkeypatch):
    """The CDK caches parent streams' pages for the life of the process (in memory unless
    REQUEST_CACHE_PATH is set when the source is built): give each test its own cache, so one test's
    mocked pages are never served to another."""
    monkeypatch.setenv("REQUEST_CACHE_PATH", str(tmp_path))


@pytest.fixture(autouse=True, scope="session")
def manifest_resolved_once():
    with pytest.MonkeyPatch.context() as monkeypatch:
        ResolvedManifestOnce().install(monkeypatch)
        yield


class _InstantSleep(types.SimpleNamespace):
    """Stands in for the `time` module of the CDK's retry code: records each wait instead of sleeping."""

    def __init__(self, waits: list[float]):
        super().__init__(time=time.time, monotonic=time.monotonic, perf_counter=time.perf_counter)
        self.sleep = waits.append


@pytest.fixture(autouse=True)
def backoff_waits(request, monkeypatch) -> list[float]:
    """The seconds the CDK's retries would have waited, without waiting them: tests that count retries
    need not sleep through the backoff. A test marked real_backoff waits for real."""
    waits: list[float] = []
    if not request.node.get_closest_marker("real_backoff"):
        clock = _InstantSleep(waits)
        monkeypatch.setattr(backoff._sync, "time", clock)
        monkeypatch.setattr(rate_limiting, "time", clock)
    return waits


@pytest.fixture
def fast_polling(monkeypatch):
    """Poll report jobs every 50 ms instead of the CDK's 5 s."""
    monkeypatch.setattr(AsyncJobOrchestrator, "_WAIT_TIME_BETWEEN_STATUS_UPDATE_IN_SECONDS", 0.05)
