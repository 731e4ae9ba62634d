"""Full sync of every stream of source-pinterest into DuckDB, through PyAirbyte.

    python -m demo                          # local emulator, profile "tiny", the last 7 days
    python -m demo --profile small --latency-ms 20
    python -m demo --config secrets/config.json   # real Pinterest credentials, no emulator

By default a local Pinterest API emulator (``pinterest_emulator``, in a subprocess) serves the data, so the
demo needs no account and no network. With ``--config`` it reads the real API with the given
connector config instead, and writes rotated OAuth tokens back into that file.
"""

from __future__ import annotations

import os

# PyAirbyte reads these when it is imported: never ask its connector registry (it is online) and
# never send its usage telemetry. Set before `import airbyte`, which happens inside main().
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO_ROOT / ".demo"
DB_PATH = DEMO_DIR / "pinterest.duckdb"

# PyAirbyte imports Google Cloud clients that warn about Python 3.11's end of life in 2027.
warnings.filterwarnings("ignore", category=FutureWarning, module=r"google\..*")

if str(REPO_ROOT) not in sys.path:  # `python demo/run_demo.py` puts demo/ first, not the root
    sys.path.insert(0, str(REPO_ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="tiny",
                        help="emulator data profile: tiny (default, about a minute), small (tens of minutes), ...")
    parser.add_argument("--seed", type=int, default=1, help="emulator data seed")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="emulated latency of every API call")
    parser.add_argument("--days", type=int, default=7,
                        help="emulator only: analytics and reports start this many days back (default 7)")
    parser.add_argument("--config", type=Path,
                        help="connector config JSON for the real API; skips the emulator")
    parser.add_argument("--db", type=Path, default=DB_PATH, help=f"DuckDB file (default {DB_PATH})")
    parser.add_argument("--streams", help="comma-separated subset to sync (default: every discovered stream)")
    return parser.parse_args(argv)


def connector_executable() -> Path:
    """The `source-pinterest` console script of the running interpreter's environment."""
    beside = Path(sys.executable).parent / "source-pinterest"
    if beside.exists():
        return beside
    found = shutil.which("source-pinterest")
    if found:
        return Path(found)
    sys.exit("source-pinterest is not installed: run `pip install -e \".[dev,demo]\"` (or `make demo`)")


@contextlib.contextmanager
def emulated_config(profile: str, seed: int, latency_ms: float, days: int) -> Iterator[tuple[Path, str]]:
    """Start the emulator in its own process (PyAirbyte's record writing would otherwise share this
    process's GIL with it) and write a connector config pointing at it; yields the config path and
    the emulator's root URL."""
    command = [sys.executable, "-m", "pinterest_emulator", "--port", "0", "--profile", profile,
               "--seed", str(seed), "--latency-ms", str(latency_ms)]
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True) as emulator:
        try:
            emulator.stdout.readline()  # "Pinterest API emulator (...) serving ..."
            started = json.loads(emulator.stdout.readline() or "null")
            if not started:
                sys.exit("the emulator did not start; run `python -m pinterest_emulator` to see why")
            config = {
                "credentials": {"auth_method": "oauth2.0", **started["credentials"]},
                "api_base_url": started["base_url"],
                "start_date": (datetime.now(timezone.utc).date() - timedelta(days=days)).isoformat(),
            }
            with tempfile.TemporaryDirectory(prefix="pinterest-demo-") as tmp:
                path = Path(tmp) / "config.json"
                path.write_text(json.dumps(config, indent=2))
                print(f"Emulator ({profile}, seed {seed}, latency {latency_ms:g} ms) at {started['base_url']}; start date {config['start_date']}")
                print(f"Connector config: {path}")
                yield path, started["root_url"]
        finally:
            emulator.terminate()


def emulator_stats(root_url: str) -> dict:
    with urllib.request.urlopen(f"{root_url}/_emulator/stats", timeout=30) as response:
        return json.load(response)


def sync(config_path: Path, db_path: Path, only: list[str] | None = None) -> list[tuple[str, int]]:
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    config = json.loads(config_path.read_text())

    def save_rotated_config(new_config: dict[str, Any]) -> None:
        # Pinterest rotates refresh tokens; the connector announces the new config in a CONTROL
        # message and PyAirbyte hands it here. Keep the file current so the next run still works.
        config_path.write_text(json.dumps(new_config, indent=2))

    # Why `local_executable`: it runs our packaged connector exactly as users do (the
    # `source-pinterest` entry point of this venv, with its config checks, its packaged schemas and
    # its custom components registered), it works offline (no registry lookup, no per-connector
    # venv that PyAirbyte would pip-install), and it needs no AIRBYTE_ENABLE_UNSAFE_CODE, which the
    # `source_manifest=` route requires to inject components.py.
    source = ab.get_source(
        "source-pinterest",
        local_executable=connector_executable(),
        config=config,
        config_change_callback=save_rotated_config,
    )
    source.check()
    streams = source.get_available_streams()  # discover: every stream the manifest declares
    print(f"Discovered {len(streams)} streams: {', '.join(streams)}")
    if only:
        unknown = sorted(set(only) - set(streams))
        if unknown:
            sys.exit(f"unknown streams: {', '.join(unknown)}")
        streams = [name for name in streams if name in only]
    source.select_streams(streams)

    db_path.parent.mkdir(parents=True, exist_ok=True)
    cache = DuckDBCache(db_path=db_path, cache_dir=db_path.parent / "cache")
    result = source.read(cache=cache, force_full_refresh=True, write_strategy="replace")

    counts = []
    for name in streams:
        try:
            counts.append((name, len(result[name])))
        except Exception:  # noqa: BLE001 - a stream that sent no record may have no table
            counts.append((name, 0))
    return counts


def print_table(counts: list[tuple[str, int]]) -> None:
    width = max([len("stream")] + [len(name) for name, _ in counts])
    print()
    print(f"{'stream':<{width}}  {'rows':>8}")
    print(f"{'-' * width}  {'-' * 8}")
    for name, rows in counts:
        print(f"{name:<{width}}  {rows:>8}")
    print(f"{'-' * width}  {'-' * 8}")
    print(f"{'total':<{width}}  {sum(rows for _, rows in counts):>8}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db_path = args.db.resolve()
    only = [name.strip() for name in args.streams.split(",") if name.strip()] if args.streams else None
    started = time.monotonic()
    try:
        if args.config:
            if not args.config.is_file():
                sys.exit(f"no such config file: {args.config}")
            counts = sync(args.config.resolve(), db_path, only)
        else:
            with emulated_config(args.profile, args.seed, args.latency_ms, args.days) as (config_path, root_url):
                counts = sync(config_path, db_path, only)
                requests = emulator_stats(root_url)
    except Exception as error:  # PyAirbyte's errors carry the connector's message and log file
        if type(error).__module__.split(".")[0] != "airbyte":
            raise
        print(f"\nThe sync failed: {error}", file=sys.stderr)
        return 1
    print_table(counts)
    if not args.config:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(requests["by_status"].items()))
        print(f"\nThe emulator answered {requests['total']} requests (by HTTP status: {statuses})")
    print(f"Synced in {time.monotonic() - started:.1f} s")
    print(f"DuckDB database: {db_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
