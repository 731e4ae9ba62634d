"""``python -m bench.profile``: where our connector's CPU goes. Samples the connector process with py-spy
(every thread, 100 times a second) during a full read against the emulator, and sums the samples by what
the innermost recognised frame is doing: HTTP, JSON parsing, record selection, transformations, schema
check, state, message serialisation and output, waiting. The emulator runs in this process, unsampled."""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.report import _table
from bench.run import ANALYTICS_DAYS_BACK, COMPARED_STREAMS, REPO, _environment, discover, ours
from pinterest_emulator import Emulator, EmulatorOptions

# (cost, owner, frame markers): the first cost whose marker is in a frame, from the innermost frame out.
CATEGORIES = (
    ("waiting (idle threads)", "CDK / Python", ("Condition.wait", "Event.wait", "Queue.get", "sleep (")),
    ("JSON parsing of answers", "ours", ("_value_closed_by", "_array_objects", "_rows_by_entity", "_keyed_rows", "ijson", "_body_is_whole")),
    ("schema check", "ours", ("SchemaMismatchWarning",)),
    ("answers spooled to a temporary file and checked", "ours", ("_has_whole_body",)),
    ("message serialisation and output", "CDK", ("airbyte_message_to_string", "serpyco", "PrintBuffer", "_emit_queued")),
    ("state and cursors", "CDK", ("cursor", "state_converter", "_strptime", "datetime_parser", "StateManager")),
    ("transformations", "ours + CDK", ("transformations", "ProgressLog", "AddFields")),
    ("record selection", "CDK", ("record_selector", "RecordSelector", "record_filter", "extractor")),
    ("HTTP (requests, sockets, gzip)", "requests / Python", ("requests/", "urllib3", "socket.py", "ssl.py", "http/client", "zlib", "gzip")),
    ("start-up (imports, streams built from the manifest)", "CDK", ("<module>", "_find_and_load", "model_to_component_factory",
                                                                    "manifest_component_transformer", "manifest_reference_resolver", "yaml/")),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--profile", default="medium", help="emulator dataset profile")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--streams", nargs="*", default=list(COMPARED_STREAMS))
    parser.add_argument("--samples", type=Path, default=REPO / ".bench" / "profile.txt", help="py-spy's raw output")
    return parser.parse_args(argv)


def category(stack: list[str]) -> tuple[str, str]:
    for frame in reversed(stack):
        for name, owner, markers in CATEGORIES:
            if any(marker in frame for marker in markers):
                return name, owner
    return "other", "–"


def summarise(samples_path: Path, records: int) -> tuple[str, dict[str, int]]:
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for line in samples_path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        counts[category(stack.split(";"))] += int(count)
    busy = sum(count for (name, _), count in counts.items() if not name.startswith("waiting"))
    rows = [[name, owner, count, f"{100 * count / busy:.1f}%" if not name.startswith("waiting") else "–",
             f"{1e6 * count / 100 / records:.1f}" if records and not name.startswith("waiting") else "–"]
            for (name, owner), count in counts.most_common()]
    table = _table(["cost", "whose", "samples (1/100 s)", "share of busy samples", "µs per record"], rows)
    return table, {name: count for (name, _), count in counts.items()}


def main(argv: list[str] | None = None) -> str:
    args = parse_args(argv)
    spy = shutil.which("py-spy") or str(REPO / ".venv" / "bin" / "py-spy")
    args.samples = args.samples.resolve()  # py-spy runs in a scratch directory
    args.samples.parent.mkdir(parents=True, exist_ok=True)
    with Emulator(profile=args.profile, seed=args.seed, port=0, options=EmulatorOptions()) as emulator, \
            tempfile.TemporaryDirectory(prefix="bench-profile-") as scratch:
        credentials = {"auth_method": "oauth2.0", **emulator.credentials}
        side = ours(emulator.base_url, (emulator.today() - dt.timedelta(days=ANALYTICS_DAYS_BACK)).isoformat())
        catalog = discover(side, credentials)
        config, configured = Path(scratch) / "config.json", Path(scratch) / "catalog.json"
        config.write_text(json.dumps({**side.config, "credentials": credentials}))
        configured.write_text(json.dumps({"streams": [{"stream": catalog[name], "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
                                                      for name in args.streams if name in catalog]}))
        command = [spy, "record", "--nonblocking", "--rate", "100", "--format", "raw", "--output", str(args.samples), "--",
                   *side.command("read", "--config", str(config), "--catalog", str(configured))]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=scratch,
                                   env=_environment(side, Path(scratch)))
        records = sum(1 for line in process.stdout if line.startswith(b'{"type":"RECORD"'))
        process.wait()
    table, _ = summarise(args.samples, records)
    text = f"Profile `{args.profile}`, {len(args.streams)} streams, {records:,} records, py-spy at 100 samples a second:\n\n{table}"
    print(text)
    return text


if __name__ == "__main__":
    main()
