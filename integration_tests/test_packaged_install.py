"""The command the Docker image runs (`source-pinterest`, Dockerfile ENTRYPOINT), from a wheel built
from the files the Dockerfile copies and installed into a new virtualenv, run outside the source
tree against the emulator.

Kept fast: the new venv takes the package's dependencies from the test's own environment (a .pth
line, which does not bring this checkout's editable install along) instead of installing ~100
packages from PyPI again, and the test checks that those dependencies satisfy the wheel's
requirements."""

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import ManifestReferenceResolver

from pinterest_emulator import Emulator

# A Docker-less image check: it builds a wheel (with build isolation, as the image does), so `make test-all`.
pytestmark = pytest.mark.long

ROOT = Path(__file__).parent.parent
PACKAGE_FILES = ["pyproject.toml", "README.md", "source_pinterest"]  # what the Dockerfile copies
DISTRIBUTION = "airbyte-source-pinterest-declarative"

REQUIREMENTS_MET = """
import importlib.metadata as md, sys
from packaging.requirements import Requirement
unmet = []
for line in md.requires(sys.argv[1]) or []:
    req = Requirement(line)
    if req.marker and not req.marker.evaluate({"extra": ""}):
        continue  # an extra's requirement
    try:
        installed = md.version(req.name)
    except md.PackageNotFoundError:
        installed = None
    if installed is None or not req.specifier.contains(installed, prereleases=True):
        unmet.append(f"{req} (installed: {installed})")
print("\\n".join(unmet))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `bin` directory of a new venv holding only the wheel of this package."""
    work = tmp_path_factory.mktemp("packaged")
    source = work / "source"
    source.mkdir()
    for name in PACKAGE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist"), str(source)], check=True)
    (wheel,) = (work / "dist").glob("*.whl")

    environment = work / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip()
    Path(site_packages, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)], check=True)
    return environment / "bin"


@pytest.fixture(scope="module")
def emulator():
    with Emulator(profile="tiny", seed=1, port=0) as emu:
        yield emu


def run(installed: Path, *args: str, cwd: Path) -> list[dict]:
    result = subprocess.run([str(installed / "source-pinterest"), *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_the_package_comes_from_the_wheel_and_its_requirements_are_met(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c", "import source_pinterest; print(source_pinterest.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert Path(where).is_relative_to(installed.parent)
    unmet = subprocess.run([str(installed / "python"), "-c", REQUIREMENTS_MET, DISTRIBUTION],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    assert unmet == ""


def test_spec_is_the_manifests(installed, tmp_path):
    (spec,) = [message["spec"] for message in run(installed, "spec", cwd=tmp_path) if message["type"] == "SPEC"]
    # the spec $refs generated enums (report levels): compare with the manifest as the CDK resolves it
    manifest = ManifestReferenceResolver().preprocess_manifest(yaml.safe_load((ROOT / "source_pinterest" / "manifest.yaml").read_text()))
    assert spec["connectionSpecification"] == manifest["spec"]["connection_specification"]
    assert spec["documentationUrl"] == manifest["spec"]["documentation_url"]


def test_check_discover_and_read_against_the_emulator(installed, tmp_path, emulator):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"credentials": {"auth_method": "oauth2.0", **emulator.credentials}, "api_base_url": emulator.base_url}))

    (status,) = [m["connectionStatus"] for m in run(installed, "check", "--config", str(config), cwd=tmp_path) if m["type"] == "CONNECTION_STATUS"]
    assert status["status"] == "SUCCEEDED", status

    (catalog,) = [m["catalog"] for m in run(installed, "discover", "--config", str(config), cwd=tmp_path) if m["type"] == "CATALOG"]
    manifest = yaml.safe_load((ROOT / "source_pinterest" / "manifest.yaml").read_text())
    assert {s["name"] for s in catalog["streams"]} == {s["$parameters"]["name"] for s in manifest["definitions"]["streams"].values()}
    assert all(stream["json_schema"].get("properties") for stream in catalog["streams"])  # schemas inline in the manifest

    configured = tmp_path / "catalog.json"
    configured.write_text(json.dumps({"streams": [
        {"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
        for stream in catalog["streams"] if stream["name"] in ("ad_accounts", "boards")
    ]}))
    records = [m["record"] for m in run(installed, "read", "--config", str(config), "--catalog", str(configured), cwd=tmp_path) if m["type"] == "RECORD"]
    ids = {name: sorted(r["data"]["id"] for r in records if r["stream"] == name) for name in ("ad_accounts", "boards")}
    assert ids == {
        "ad_accounts": sorted(account["id"] for account in emulator.dataset.ad_accounts),
        "boards": sorted(board["id"] for board in emulator.dataset.boards),
    }
