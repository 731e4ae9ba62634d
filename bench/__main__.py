"""``python -m bench``: both connectors, one after the other, on the same emulator profile and per-call latency.

Prints one table (calls per rate-limit category, wall and CPU time, peak RSS, records per second, same records
per stream, targets) and optionally writes it to a Markdown file with a bar chart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from bench import report
from bench.compare import compare
from pinterest_emulator.minimum_calls import minimum_calls
from bench.run import (
    ANALYTICS_DAYS_BACK, COMPARED_STREAMS, PUBLISHED_VENV, WORK_DIR, discover, install_published, ours, published, published_unavailable, read,
)
from pinterest_emulator import Emulator, EmulatorOptions


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="standard", help="emulator dataset profile")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=50.0, help="emulated latency of every API call")
    parser.add_argument("--streams", nargs="*", default=list(COMPARED_STREAMS),
                        help="these of the streams both connectors have (default: all but the targeting reports)")
    parser.add_argument("--ours", type=Path, help="our source-pinterest script (default: .venv/bin/source-pinterest)")
    parser.add_argument("--published-venv", type=Path, default=PUBLISHED_VENV)
    parser.add_argument("--install-published", action="store_true", help="create the published venv if missing")
    parser.add_argument("--skip-published", action="store_true", help="measure our connector only")
    parser.add_argument("--markdown", type=Path, help="also write the results here (with a chart beside it)")
    parser.add_argument("--output-dir", type=Path, default=WORK_DIR / "runs", help="connectors' stdout")
    return parser.parse_args(argv)


def compared_fields(catalogs: dict[str, dict[str, dict]], names: list[str]) -> dict[str, list[str]]:
    """Per stream, the fields a record keeps in the saved output: the primary key and the fields every side's
    schema declares (all fields when a schema declares none). Alone, ours keeps only the key."""
    kept = {}
    for name in names:
        streams = [catalog[name] for catalog in catalogs.values()]
        key = {path[0] for stream in streams for path in stream.get("source_defined_primary_key") or []}
        declared = [set(stream["json_schema"].get("properties") or ()) for stream in streams]
        if len(streams) == 1:
            kept[name] = sorted(key)
        elif all(declared):
            kept[name] = sorted(key | set.intersection(*declared))
    return kept


def main(argv: list[str] | None = None) -> report.Result:
    args = parse_args(argv)
    if args.install_published and not args.skip_published and published_unavailable(args.published_venv):
        install_published(args.published_venv)
    skipped = "--skip-published" if args.skip_published else published_unavailable(args.published_venv)
    with Emulator(profile=args.profile, seed=args.seed, port=0, options=EmulatorOptions()) as emulator:
        credentials = {"auth_method": "oauth2.0", **emulator.credentials}
        today = emulator.today()
        start = today - dt.timedelta(days=ANALYTICS_DAYS_BACK)
        sides = [ours(emulator.base_url, start.isoformat(), args.ours)]
        if not skipped:
            sides.append(published(emulator.base_url, start.isoformat(), args.published_venv))
        catalogs = {side.name: discover(side, credentials) for side in sides}
        names = sorted(set.intersection(*(set(catalog) for catalog in catalogs.values())))
        if args.streams:
            names = [name for name in names if name in args.streams]
        kept = compared_fields(catalogs, names)
        emulator.configure(latency_ms=args.latency_ms)
        runs = {side.name: read(side, credentials, [catalogs[side.name][name] for name in names], emulator,
                                args.output_dir / f"{side.name}.jsonl", kept) for side in sides}
        minimum = minimum_calls(emulator.dataset, start, today)
    comparison = None
    if "published" in runs:
        primary_keys = {name: catalogs["ours"][name].get("source_defined_primary_key")
                        or catalogs["published"][name].get("source_defined_primary_key") for name in names}
        comparison = compare(runs["ours"].output, runs["published"].output,
                             {name: key for name, key in primary_keys.items() if key})
    result = report.Result(
        command="python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:]),
        profile=args.profile, seed=args.seed, latency_ms=args.latency_ms, start_date=start, end_date=today,
        streams=names, runs=runs, comparison=comparison, minimum=minimum, published_skipped=skipped)
    print(report.text(result))
    if args.markdown:
        report.write_markdown(result, args.markdown)
    return result


if __name__ == "__main__":
    main()
