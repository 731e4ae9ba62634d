"""The Connector Builder's backend, the CDK's manifest server (airbyte_cdk.manifest_server), serving
on 127.0.0.1 from this process and sent what the Builder sends: the manifest, and the text of
components.py as custom components code (in the config for the endpoints without that field). While
it serves, `source_pinterest` cannot be imported and each request starts with no components module
registered, so only the two files' contents can make it work. Against the emulator (tiny profile;
small where a test needs a listing of several pages)."""

import hashlib
import socket
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest
import requests
import uvicorn
import yaml

from airbyte_cdk.manifest_server.app import app
from airbyte_cdk.sources.declarative.parsers.custom_code_compiler import (
    COMPONENTS_MODULE_NAME,
    ENV_VAR_ALLOW_CUSTOM_CODE,
    INJECTED_COMPONENTS_PY,
    INJECTED_COMPONENTS_PY_CHECKSUMS,
    SDM_COMPONENTS_MODULE_NAME,
)

from pinterest_emulator import Emulator

PACKAGE = Path(__file__).parent.parent / "source_pinterest"
MANIFEST = yaml.safe_load((PACKAGE / "manifest.yaml").read_text())
COMPONENTS = (PACKAGE / "components.py").read_text()
STREAM_NAMES = [stream["$parameters"]["name"] for stream in MANIFEST["definitions"]["streams"].values()]
CUSTOM_REPORT = {"name": "weekly_targeting", "level": "AD_GROUP_TARGETING", "granularity": "WEEK",
                 "columns": ["SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH", "AD_GROUP_NAME"]}
CUSTOM_STREAM = "custom_weekly_targeting"
# The manifest server's default page and slice limits (fewer slices read only the oldest report
# windows, empty for the ad-level reports of the emulator's accounts); a record_limit of 1 would stop
# every stream's read if the CDK applied it.
LIMITS = {"record_limit": 1, "page_limit": 5, "slice_limit": 5}
# A test read costs ~10 s (per request the CDK resolves and validates this manifest, then builds all its
# streams twice), the targeting ones minutes: `make test` reads a stream of each kind, `make test-all` all.
QUICK_STREAMS = {"boards", "campaign_analytics", "advertiser_report"}  # the others (a custom report too): make test-all


def _is_ours(module_name: str) -> bool:
    return module_name.split(".")[0] == "source_pinterest" or module_name in (COMPONENTS_MODULE_NAME, SDM_COMPONENTS_MODULE_NAME)


@pytest.fixture(scope="module")
def only_the_two_files() -> Iterator[None]:
    """Our package unimportable (None in sys.modules) and no components module registered, for the
    module; the modules other test files use are put back afterwards."""
    saved = {name: module for name, module in sys.modules.items() if _is_ours(name)}
    for name in saved:
        del sys.modules[name]
    sys.modules["source_pinterest"] = None
    yield
    for name in [name for name in sys.modules if _is_ours(name)]:
        del sys.modules[name]
    sys.modules.update(saved)


@pytest.fixture(autouse=True)
def no_components_registered(only_the_two_files) -> None:
    """The server keeps the components module a request registered: remove it, so that each test's
    requests use only the code they carry."""
    for name in (COMPONENTS_MODULE_NAME, SDM_COMPONENTS_MODULE_NAME):
        sys.modules.pop(name, None)


@pytest.fixture(scope="module")
def server(only_the_two_files) -> Iterator[str]:
    """The manifest server's app under uvicorn, as `manifest-server start` runs it, on a free loopback
    port; custom code allowed and no JWT secret (so no auth), as the server's README says."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV_VAR_ALLOW_CUSTOM_CODE, "true")
        env.delenv("AB_JWT_SIGNATURE_SECRET", raising=False)
        listener = socket.create_server(("127.0.0.1", 0))  # listening already: requests wait for uvicorn's start
        uvicorn_server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        uvicorn_server.should_exit = True
        thread.join()
        listener.close()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(profile="tiny", seed=1, port=0) as emu:
        yield emu


@pytest.fixture(scope="module")
def read_stream(server, emulator):
    """The test_read of a stream with LIMITS. Those of QUICK_STREAMS, which several tests look at, are
    kept for the module (not the others: a targeting stream's read is hundreds of MB)."""
    kept: dict[str, dict] = {}

    def read(stream: str) -> dict:
        if stream in kept:
            return kept[stream]
        result = _test_read(server, emulator, stream, **LIMITS)
        if stream in QUICK_STREAMS:
            kept[stream] = result
        return result
    return read


def _config(emulator: Emulator) -> dict:
    return {"credentials": {"auth_method": "oauth2.0", **emulator.credentials}, "api_base_url": emulator.base_url,
            "custom_reports": [CUSTOM_REPORT]}


def _with_components(config: dict) -> dict:
    """check, discover and full_resolve have no custom_components_code field: the CDK takes the code
    from the config, with its checksum (test_read's handler puts its field there the same way)."""
    return {**config, INJECTED_COMPONENTS_PY: COMPONENTS,
            INJECTED_COMPONENTS_PY_CHECKSUMS: {"md5": hashlib.md5(COMPONENTS.encode()).hexdigest()}}


def _post(server: str, endpoint: str, **body) -> dict:
    response = requests.post(f"{server}/v1/manifest/{endpoint}", json={"manifest": MANIFEST, **body}, timeout=900)
    assert response.status_code == 200, response.text[:3000]
    return response.json()


def _test_read(server: str, emulator: Emulator, stream: str, **limits: int) -> dict:
    return _post(server, "test_read", config=_config(emulator), stream_name=stream, custom_components_code=COMPONENTS, **limits)


def _records(result: dict) -> list[dict]:
    return [record for stream_slice in result["slices"] for page in stream_slice["pages"] for record in page["records"]]


def _errors(result: dict) -> list[dict]:
    return [log for log in result["logs"] if log["level"] == "ERROR"]


def test_check_succeeds(server, emulator):
    assert _post(server, "check", config=_with_components(_config(emulator)))["success"] is True


def test_discover_lists_every_stream_and_the_custom_report(server, emulator):
    catalog = _post(server, "discover", config=_with_components(_config(emulator)))["catalog"]
    assert sorted(stream["name"] for stream in catalog["streams"]) == sorted(STREAM_NAMES + [CUSTOM_STREAM])


def test_full_resolve_generates_the_custom_report_stream(server, emulator):
    streams = _post(server, "full_resolve", config=_with_components(_config(emulator)))["manifest"]["streams"]
    assert sorted(stream["name"] for stream in streams if stream["dynamic_stream_name"] is None) == sorted(STREAM_NAMES)
    assert [(stream["name"], stream["dynamic_stream_name"]) for stream in streams if stream["dynamic_stream_name"]] == [
        (CUSTOM_STREAM, "custom_reports")
    ]


def test_resolve_without_the_code_names_the_missing_components_module(server):
    """What CDK 7.39.1 does, asserted so that a change shows: /resolve (ResolveRequest has no config and
    no code field) builds the source, whose spec validates the config with components of ours
    (StartDateNotInFuture, CustomReportsValid), and without the code that fails. The Builder's other
    endpoints carry the code (full_resolve, check, discover, test_read above)."""
    response = requests.post(f"{server}/v1/manifest/resolve", json={"manifest": MANIFEST}, timeout=900)
    assert response.status_code == 400
    assert "Could not load module `source_declarative_manifest.components`" in response.json()["detail"]


@pytest.mark.parametrize("stream", [
    name if name in QUICK_STREAMS else pytest.param(name, marks=pytest.mark.long) for name in STREAM_NAMES + [CUSTOM_STREAM]
])
def test_test_read_returns_records_without_errors_within_the_page_and_slice_limits(read_stream, fast_polling, stream):
    # fast_polling applies: the server runs in this process. The record limit is not asserted: the CDK
    # does not apply it (test_record_limit_is_not_applied_by_the_cdk).
    result = read_stream(stream)
    assert not _errors(result), _errors(result)
    assert _records(result)
    assert len(result["slices"]) <= LIMITS["slice_limit"]
    assert all(len(stream_slice["pages"]) <= LIMITS["page_limit"] for stream_slice in result["slices"])


def test_slice_limit_stops_the_slices(server, emulator):
    """user_account_top_pins has a slice per sort_by value."""
    assert len(MANIFEST["definitions"]["generated"]["top_pins_sort_by"]) > 2
    result = _test_read(server, emulator, "user_account_top_pins", record_limit=5000, page_limit=5, slice_limit=2)
    assert not _errors(result) and len(result["slices"]) == 2 and result["test_read_limit_reached"]


def test_page_limit_stops_the_pages_of_each_slice(server):
    """On the small profile each ad account has more ads than a page holds: with every slice read (fewer
    than slice_limit), the ads missing are those of the pages not fetched."""
    with Emulator(profile="small", seed=1, port=0) as emu:
        ads = sum(len(ads) for ads in emu.dataset.ads.values())
        result = _test_read(server, emu, "ads", record_limit=5000, page_limit=1, slice_limit=20)
    assert not _errors(result) and len(result["slices"]) < 20
    assert {len(stream_slice["pages"]) for stream_slice in result["slices"]} == {1}
    assert 0 < len(_records(result)) < ads


def test_record_limit_is_not_applied_by_the_cdk(read_stream, emulator):
    """What CDK 7.39.1 does, asserted so that a CDK that applies the limit fails this test (then assert
    the limit instead). The server passes record_limit to the source's TestLimits and to the
    TestReader, and neither stops at it: ModelToComponentFactory.create_default_stream builds each
    stream's DeclarativePartitionFactory without max_records_limit (the factory is never given
    limits.max_records), and get_message_groups takes `limit` but never compares the count with it.
    Only test_read_limit_reached does. A test read gets every record of its pages and slices."""
    result = read_stream("boards")
    assert result["test_read_limit_reached"]
    assert len(_records(result)) == len(emulator.dataset.boards) > LIMITS["record_limit"]


@pytest.mark.parametrize("stream", ["campaign_analytics", "boards", "advertiser_report"])
def test_test_read_shows_the_request_and_response_of_each_page(read_stream, fast_polling, stream):
    """The Builder shows them, and splits the records into pages and slices at their log messages.
    campaign_analytics: the CDK's HttpRequester; boards: a CustomRequester (OneCallPerCachedPage);
    advertiser_report: a custom download requester (ReportDownloadRequester)."""
    pages = [page for stream_slice in read_stream(stream)["slices"] for page in stream_slice["pages"]]
    assert pages and all(page["request"] and page["response"] for page in pages), [
        (len(page["records"]), page["request"]) for page in pages
    ]


def test_test_read_returns_the_config_with_the_rotated_refresh_token(read_stream, emulator):
    """The Builder saves it for its next request: Pinterest rotates the refresh token at each refresh."""
    updated = read_stream("boards")["latest_config_update"]
    assert updated and updated["credentials"]["refresh_token"] not in ("", emulator.credentials["refresh_token"])
