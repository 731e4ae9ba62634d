"""``python -m bench.published_states``: the STATE messages Airbyte's published connector writes for its report
streams, captured as test fixtures in unit_tests/published_states/.

Runs the published connector (a black box in its own venv, see bench/run.py) once, incrementally and from no
state, against the emulator (profile small, a fixed today) and keeps the last STATE message of each stream.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.run import PUBLISHED_PACKAGE, REPO, discover, messages, published, published_unavailable, read
from pinterest_emulator import Emulator, EmulatorOptions

TODAY = "2026-12-04"
START_DATE = "2026-11-01"
OUTPUT_DIR = REPO / "unit_tests" / "published_states"
COMMAND = ".venv/bin/python -m bench.published_states"
STREAMS = ["advertiser_report", "campaign_targeting_report"]
CUSTOM_REPORTS = {"My Totals": "TOTAL", "Daily Spend": "DAY"}  # name -> granularity


def custom_report(name: str, granularity: str) -> dict:
    """A custom report entry as the published connector's config takes it."""
    return {"name": name, "level": "ADVERTISER", "granularity": granularity,
            "columns": ["SPEND_IN_DOLLAR", "IMPRESSION_1"], "click_window_days": 30, "engagement_window_days": 30,
            "view_window_days": 30, "conversion_report_time": "TIME_OF_AD_ACTION",
            "attribution_types": ["INDIVIDUAL", "HOUSEHOLD"]}


def custom_stream_name(name: str) -> str:
    """The published connector's stream name of a custom report: "My Totals" -> "custom__my _totals"."""
    return "custom_" + "".join(f"_{char.lower()}" if "A" <= char <= "Z" else char for char in name)


def last_states(output: Path) -> dict[str, dict]:
    """Stream name -> the last STREAM STATE message (the whole AirbyteStateMessage) in a connector's output."""
    states = {}
    for message in messages(output):
        if message["type"] == "STATE" and message["state"].get("type") == "STREAM":
            states[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]
    return states


def fixture_path(stream: str) -> Path:
    return OUTPUT_DIR / f"{stream.replace(' ', '_')}.json"


def write_readme() -> None:
    (OUTPUT_DIR / "README.md").write_text(
        f"The last STATE message (AirbyteStateMessage) of each stream here, as Airbyte's published connector\n"
        f"({PUBLISHED_PACKAGE}, run unmodified as a black box) writes it after an incremental read from no state\n"
        f"against the emulator (profile small, today {TODAY}, start_date {START_DATE}; custom reports "
        f"{', '.join(CUSTOM_REPORTS)}).\n"
        f"File names are stream names with spaces replaced by `_`. Regenerate them with `{COMMAND}`;\n"
        f"`lookback_window` (seconds the stream's read took) can differ from one regeneration to the next.\n")


def capture() -> dict[str, dict]:
    """Read the streams once with the published connector; stream name -> its last state message."""
    with Emulator(profile="small", seed=1, port=0, options=EmulatorOptions(today=TODAY)) as emulator:
        credentials = {"auth_method": "oauth2.0", **emulator.credentials}
        connector = published(emulator.base_url, START_DATE)
        connector.config.update(status=None, custom_reports=[custom_report(name, granularity)
                                                             for name, granularity in CUSTOM_REPORTS.items()])
        catalog = discover(connector, credentials)
        names = STREAMS + [custom_stream_name(name) for name in CUSTOM_REPORTS]
        missing = [name for name in names if name not in catalog]
        if missing:
            raise RuntimeError(f"the published connector discovers no {missing}")
        with tempfile.TemporaryDirectory(prefix="published-states-") as scratch:
            run = read(connector, credentials, [catalog[name] for name in names], emulator,
                       Path(scratch) / "published.jsonl", sync_mode="incremental")
            states = last_states(run.output)
    print(f"read: exit {run.exit_code}, {run.wall_seconds:.1f} s, records {run.records}", file=sys.stderr)
    for error in run.errors:
        print(f"read error: {error[:300]}", file=sys.stderr)
    absent = [name for name in names if name not in states]
    if absent:
        raise RuntimeError(f"no STATE message for {absent}")
    return {name: states[name] for name in names}


def main() -> None:
    if reason := published_unavailable():
        sys.exit(reason)
    started = time.monotonic()
    states = capture()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    for stream, state in states.items():
        fixture_path(stream).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
        print(f"wrote {fixture_path(stream).relative_to(REPO)}", file=sys.stderr)
    write_readme()
    print(f"done in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
