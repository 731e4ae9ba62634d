"""Run one connector as a subprocess against the emulator and measure it: calls, wall and CPU time, peak RSS, records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parent.parent
WORK_DIR = REPO / ".bench"
PUBLISHED_PACKAGE = "airbyte-source-pinterest==2.1.12"
PUBLISHED_VENV = WORK_DIR / "published-venv"
REDIRECT_DIR = Path(__file__).resolve().parent / "redirect"  # holds the published side's sitecustomize.py
SLIM = Path(__file__).resolve().parent / "slim.py"
RUSAGE = Path(__file__).resolve().parent / "rusage.py"
ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED"]
ANALYTICS_DAYS_BACK = 89  # the published connector's default start: the API's 90 days including today
# Every stream both connectors have, targeting reports left out (minutes each on the published side):
# the streams of docs/benchmarks.md and of the scaling table.
COMPARED_STREAMS = (
    "ad_account_analytics", "ad_accounts", "ad_analytics", "ad_group_analytics", "ad_group_report", "ad_groups", "ads",
    "advertiser_report", "audiences", "board_pins", "board_section_pins", "board_sections", "boards", "campaign_analytics",
    "campaign_analytics_report", "campaigns", "catalogs", "catalogs_feeds", "catalogs_product_groups", "conversion_tags",
    "customer_lists", "keyword_report", "keywords", "pin_promotion_report", "product_group_report", "product_item_report",
    "user_account_analytics",
)


@dataclass
class Connector:
    """How to start one side: its console script and the config it understands."""

    name: str
    executable: Path
    config: dict
    env: dict = field(default_factory=dict)

    def command(self, *args: str) -> list[str]:
        return [str(self.executable), *args]


@dataclass
class Run:
    """What one `read` cost and produced."""

    connector: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    exit_code: int
    stats: dict  # the emulator's counters for this run
    serving_seconds: float  # the emulator's own time producing answers (summed over calls, emulated latency excluded)
    records: dict[str, int]  # per stream
    errors: list[str]  # distinct error trace messages
    output: Path  # the connector's stdout (Airbyte messages)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def ours(base_url: str, start_date: str, executable: Path | None = None) -> Connector:
    config = {"credentials": None, "api_base_url": base_url, "start_date": start_date, "status": ALL_STATUSES}
    return Connector("ours", executable or REPO / ".venv" / "bin" / "source-pinterest", config)


def published(base_url: str, start_date: str, venv_dir: Path = PUBLISHED_VENV) -> Connector:
    """Airbyte's connector, unmodified; sitecustomize.py on its PYTHONPATH sends its calls to the emulator."""
    env = {"PYTHONPATH": str(REDIRECT_DIR), "BENCH_EMULATOR_BASE_URL": base_url}
    config = {"credentials": None, "start_date": start_date, "status": ALL_STATUSES}
    return Connector("published", venv_dir / "bin" / "source-pinterest", config, env)


def published_unavailable(venv_dir: Path = PUBLISHED_VENV) -> str | None:
    """Why the published connector cannot run, or None when its venv is ready."""
    if not (venv_dir / "bin" / "source-pinterest").exists():
        return f"{venv_dir} has no source-pinterest; create it with `python -m bench --install-published`"
    return None


def install_published(venv_dir: Path = PUBLISHED_VENV) -> None:
    """Its own venv: it pins its own airbyte-cdk, which must not meet ours."""
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    subprocess.run([str(venv_dir / "bin" / "pip"), "install", "-q", PUBLISHED_PACKAGE], check=True)


def messages(path: Path):
    """Airbyte messages of a connector's stdout (other lines, e.g. stray prints, are skipped)."""
    with path.open("rb") as lines:
        for line in lines:
            if line.startswith(b"{"):
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue


def _environment(connector: Connector, scratch: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the CDK keeps its HTTP cache here; a fresh one per run so no side reuses another's responses
    env.update(connector.env, REQUEST_CACHE_PATH=str(scratch / "cache"))
    return env


def discover(connector: Connector, credentials: dict) -> dict[str, dict]:
    """Stream name -> AirbyteStream as the connector discovers it."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{connector.name}-") as scratch:
        config = Path(scratch) / "config.json"
        config.write_text(json.dumps({**connector.config, "credentials": credentials}))
        result = subprocess.run(connector.command("discover", "--config", str(config)), capture_output=True,
                                text=True, env=_environment(connector, Path(scratch)), cwd=scratch)
    for line in result.stdout.splitlines():
        if line.startswith("{") and '"CATALOG"' in line:
            return {stream["name"]: stream for stream in json.loads(line)["catalog"]["streams"]}
    raise RuntimeError(f"{connector.name} discover failed (exit {result.returncode}): {result.stderr[-2000:]}")


def read(connector: Connector, credentials: dict, streams: list[dict], emulator, output: Path,
         kept_fields: dict[str, list[str]] | None = None, sync_mode: str = "full_refresh", state: list | None = None,
         config: dict | None = None) -> Run:
    """One read of `streams` (full refresh unless `sync_mode` is "incremental", then from `state`) with the
    emulator's counters reset first; `config` adds to the connector's. With `kept_fields` (stream -> fields),
    `output` keeps only those fields of each record (bench/slim.py, its own process)."""
    destination_sync_mode = "append" if sync_mode == "incremental" else "overwrite"
    catalog = {"streams": [{"stream": stream, "sync_mode": sync_mode, "destination_sync_mode": destination_sync_mode}
                           for stream in streams]}
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"bench-{connector.name}-") as scratch:
        config_path, catalog_path = Path(scratch) / "config.json", Path(scratch) / "catalog.json"
        config_path.write_text(json.dumps({**connector.config, **(config or {}), "credentials": credentials}))
        catalog_path.write_text(json.dumps(catalog))
        state_path = Path(scratch) / "state.json"
        state_path.write_text(json.dumps(state or []))
        fields_path = Path(scratch) / "kept_fields.json"
        fields_path.write_text(json.dumps(kept_fields or {}))
        emulator.reset_stats()
        with output.open("wb") as stdout, (output.with_suffix(".stderr")).open("w") as stderr:
            slim = subprocess.Popen([sys.executable, str(SLIM), str(fields_path)], stdin=subprocess.PIPE, stdout=stdout)
            started = time.monotonic()
            usage_path = Path(scratch) / "usage.json"
            process = subprocess.Popen(
                [sys.executable, str(RUSAGE), str(usage_path),
                 *connector.command("read", "--config", str(config_path), "--catalog", str(catalog_path), "--state", str(state_path))],
                stdout=slim.stdin, stderr=stderr, env=_environment(connector, Path(scratch)), cwd=scratch)
            slim.stdin.close()  # the connector holds the pipe now; slim ends when the connector does
            process.wait()
            wall = time.monotonic() - started
            usage = json.loads(usage_path.read_text())
            slim.wait()
        stats = emulator.stats()
        latency = emulator.options.latency_ms / 1000
        serving = sum(max(0.0, entry.duration_ms / 1000 - latency) for entry in emulator.request_log)
    records: dict[str, int] = {}
    errors: list[str] = []
    for message in messages(output):
        if message["type"] == "RECORD":
            records[message["record"]["stream"]] = records.get(message["record"]["stream"], 0) + 1
        elif message["type"] == "TRACE" and message["trace"]["type"] == "ERROR":
            text = message["trace"]["error"].get("message", "")
            if text not in errors:
                errors.append(text)
    return Run(connector.name, wall, usage["cpu_seconds"], usage["peak_rss_mb"],
               process.returncode, stats, serving, records, errors, output)

