"""The manifest and components.py as the CDK's Connector Builder handler and its manifest runner
(source-declarative-manifest) load them, run as subprocesses against the emulator in a Python where
`source_pinterest` cannot be imported: the schemas are inline in the manifest and the components come
from components.py's text (injected as source_declarative_manifest.components, unsafe code enabled),
so nothing of the installed package can be used."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pinterest_emulator import Emulator

PACKAGE = Path(__file__).parent.parent / "source_pinterest"
MANIFEST_PATH = PACKAGE / "manifest.yaml"
COMPONENTS_PATH = PACKAGE / "components.py"
MANIFEST = yaml.safe_load(MANIFEST_PATH.read_text())
STREAM_NAMES = {stream["$parameters"]["name"] for stream in MANIFEST["definitions"]["streams"].values()}
UNSAFE = {**os.environ, "AIRBYTE_ENABLE_UNSAFE_CODE": "true"}

# This venv has our package installed (editable): the CDK's entry points run after making it
# unimportable, so any import of it (directly or through a class_name) fails the run.
WITHOUT_OUR_PACKAGE = "import sys; sys.modules['source_pinterest'] = None; "
BUILDER = [sys.executable, "-c", WITHOUT_OUR_PACKAGE + "import runpy; runpy.run_module('airbyte_cdk.connector_builder.main', run_name='__main__')"]
MANIFEST_RUNNER = [sys.executable, "-c", WITHOUT_OUR_PACKAGE + "from airbyte_cdk.cli.source_declarative_manifest import run; run()"]


@pytest.fixture(scope="module")
def emulator():
    with Emulator(profile="tiny", seed=1, port=0) as emu:
        yield emu


def _config(emulator, **extra) -> dict:
    return {"credentials": {"auth_method": "oauth2.0", **emulator.credentials}, "api_base_url": emulator.base_url, **extra}


def _catalog(*names: str) -> dict:
    return {"streams": [
        {"stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
         "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
        for name in names
    ]}


def _messages(args: list[str], cwd: Path) -> list[dict]:
    result = subprocess.run(args, cwd=cwd, env=UNSAFE, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def builder_request(tmp_path: Path, config: dict, command: str, stream: str = "unused") -> dict:
    """One request as the Builder backend sends it: `read` with the command and manifest in the config."""
    components = COMPONENTS_PATH.read_text()
    request = {
        **config,
        "__command": command,
        "__injected_declarative_manifest": MANIFEST,
        "__injected_components_py": components,
        "__injected_components_py_checksums": {"md5": hashlib.md5(components.encode()).hexdigest()},
        "__test_read_config": {"max_records": 1000, "max_pages_per_slice": 5, "max_slices": 20},
    }
    (tmp_path / "config.json").write_text(json.dumps(request))
    (tmp_path / "catalog.json").write_text(json.dumps(_catalog(stream)))
    messages = _messages(BUILDER + ["read", "--config", "config.json", "--catalog", "catalog.json"], tmp_path)
    (answer,) = [message for message in messages if message["type"] in ("RECORD", "TRACE")]
    assert answer["type"] == "RECORD", answer
    return answer["record"]["data"]


def test_the_runners_python_cannot_import_our_package(tmp_path):
    hidden = subprocess.run([sys.executable, "-c", WITHOUT_OUR_PACKAGE + "import source_pinterest"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert hidden.returncode != 0 and "ModuleNotFoundError: import of source_pinterest halted" in hidden.stderr, hidden.stderr
    # The same Python without that line imports it: the line is what keeps the package out.
    subprocess.run([sys.executable, "-c", "import source_pinterest"], cwd=tmp_path, check=True)


def test_builder_resolves_the_manifest(tmp_path, emulator):
    resolved = builder_request(tmp_path, _config(emulator), "resolve_manifest")["manifest"]
    assert {stream["name"] for stream in resolved["streams"]} == STREAM_NAMES
    assert "$ref" not in json.dumps(resolved["streams"])


@pytest.mark.long  # the Builder's older CLI; make test reads through its manifest server (test_manifest_server.py)
def test_builder_test_read_of_keywords_batches_ad_groups_per_account(tmp_path, emulator):
    result = builder_request(tmp_path, _config(emulator), "test_read", "keywords")
    assert not [log for log in result["logs"] if log["level"] == "ERROR"], result["logs"]
    pages = [page for stream_slice in result["slices"] for page in stream_slice["pages"]]
    first_url, *batch_urls = [page["request"]["url"] for page in pages]
    assert "ad_group_ids" not in first_url and all("ad_group_ids=" in url for url in batch_urls)  # account level, then batches
    records = [record for page in pages for record in page["records"]]
    expected = [keyword["id"] for keywords in emulator.dataset.keywords.values() for keyword in keywords if keyword["parent_type"] != "campaign"]
    assert sorted(record["id"] for record in records) == sorted(expected)
    assert result["inferred_schema"]["properties"]


@pytest.mark.long  # the Builder's older CLI; make test reads through its manifest server (test_manifest_server.py)
def test_builder_test_read_of_ad_accounts_applies_account_ids(tmp_path, emulator):
    wanted = emulator.dataset.ad_accounts[0]["id"]
    result = builder_request(tmp_path, _config(emulator, account_ids=[wanted]), "test_read", "ad_accounts")
    records = [record for stream_slice in result["slices"] for page in stream_slice["pages"] for record in page["records"]]
    assert [record["id"] for record in records] == [wanted]


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_manifest_runner_with_only_the_two_files_checks_discovers_and_reads(tmp_path, emulator):
    """As a connector exported from the Builder runs: copies of the two files, from an empty directory."""
    files, inputs, cwd = tmp_path / "connector", tmp_path / "inputs", tmp_path / "cwd"
    for folder in (files, inputs, cwd):
        folder.mkdir()
    paths = ["--manifest-path", str(shutil.copy(MANIFEST_PATH, files)), "--components-path", str(shutil.copy(COMPONENTS_PATH, files))]
    (inputs / "config.json").write_text(json.dumps(_config(emulator)))
    config = ["--config", str(inputs / "config.json")]

    (status,) = [m["connectionStatus"] for m in _messages(MANIFEST_RUNNER + ["check"] + config + paths, cwd) if m["type"] == "CONNECTION_STATUS"]
    assert status["status"] == "SUCCEEDED", status

    (catalog,) = [m["catalog"] for m in _messages(MANIFEST_RUNNER + ["discover"] + config + paths, cwd) if m["type"] == "CATALOG"]
    assert {stream["name"] for stream in catalog["streams"]} == STREAM_NAMES

    (inputs / "catalog.json").write_text(json.dumps(_catalog("ad_accounts", "keywords")))
    read = MANIFEST_RUNNER + ["read"] + config + ["--catalog", str(inputs / "catalog.json")] + paths
    records = [m["record"] for m in _messages(read, cwd) if m["type"] == "RECORD"]
    counts = {name: sum(1 for record in records if record["stream"] == name) for name in ("ad_accounts", "keywords")}
    assert counts == {
        "ad_accounts": len(emulator.dataset.ad_accounts),
        "keywords": sum(keyword["parent_type"] != "campaign" for keywords in emulator.dataset.keywords.values() for keyword in keywords),
    }
