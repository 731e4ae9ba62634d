"""``python -m bench.lookback_cost``: what re-reading the attribution window costs an incremental sync. On one
emulator profile: a first incremental sync of the analytics and report streams from yesterday, then, from
its state, the next sync twice: with the old 3-day lookback, and with the default one (Pinterest's 30-day
attribution windows plus the 3-day reporting delay: 33 days). Prints calls, rows emitted and wall time."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from bench.published_states import last_states
from bench.report import _table
from bench.run import ANALYTICS_DAYS_BACK, COMPARED_STREAMS, WORK_DIR, Run, discover, ours, read
from pinterest_emulator import Emulator, EmulatorOptions

INCREMENTAL_STREAMS = tuple(name for name in COMPARED_STREAMS if name.endswith(("_analytics", "_report")))
LOOKBACKS = {"3 days (`lookback_window_days: 3`, the former default)": {"lookback_window_days": 3},
             "33 days (the default: attribution windows + reporting delay)": {}}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.lookback_cost", description=__doc__)
    parser.add_argument("--profile", default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=50.0, help="emulated latency of every API call")
    parser.add_argument("--markdown", type=Path, help="append the table to this file")
    parser.add_argument("--output-dir", type=Path, default=WORK_DIR / "lookback")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> tuple[Run, dict[str, Run]]:
    with Emulator(profile=args.profile, seed=args.seed, port=0, options=EmulatorOptions()) as emulator:
        credentials = {"auth_method": "oauth2.0", **emulator.credentials}
        side = ours(emulator.base_url, (emulator.today() - dt.timedelta(days=1)).isoformat())
        catalog = discover(side, credentials)
        streams = [catalog[name] for name in INCREMENTAL_STREAMS if name in catalog]
        counted_only = {name: [] for name in INCREMENTAL_STREAMS}  # saved records keep no field: they are counted
        emulator.configure(latency_ms=args.latency_ms)
        first = read(side, credentials, streams, emulator, args.output_dir / "first.jsonl", kept_fields=counted_only, sync_mode="incremental")
        if first.exit_code or first.errors:
            raise RuntimeError(f"the first sync failed: {first.errors}")
        state = list(last_states(first.output).values())
        # A start date far back, as a synced connection has: the lookback never reaches before it.
        far_back = {"start_date": (emulator.today() - dt.timedelta(days=ANALYTICS_DAYS_BACK)).isoformat()}
        nexts = {name: read(side, credentials, streams, emulator, args.output_dir / f"next-{index}.jsonl", kept_fields=counted_only,
                            sync_mode="incremental", state=state, config={**far_back, **config})
                 for index, (name, config) in enumerate(LOOKBACKS.items())}
    return first, nexts


REPORT_POLLS = "GET /ad_accounts/{ad_account_id}/reports"


def table(first: Run, nexts: dict[str, Run]) -> str:
    def row(name: str, run: Run) -> list:
        return [name, run.stats["total"], run.stats["by_route"].get(REPORT_POLLS, 0), f"{run.total_records:,}", f"{run.wall_seconds:.1f}"]

    rows = [row("first sync (from yesterday)", first), *(row(f"next sync, lookback {name}", run) for name, run in nexts.items())]
    return _table(["sync", "calls", "of which report polls", "rows emitted", "wall s"], rows)


def main(argv: list[str] | None = None) -> str:
    args = parse_args(argv)
    first, nexts = measure(args)
    for run in nexts.values():
        if run.exit_code or run.errors:
            raise RuntimeError(f"a next sync failed: {run.errors}")
    text = (f"Profile `{args.profile}`, {len(INCREMENTAL_STREAMS)} incremental analytics and report streams, "
            f"{args.latency_ms:g} ms per call, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
            f"(`python -m bench.lookback_cost {shlex.join(sys.argv[1:] if argv is None else argv)}`):\n\n{table(first, nexts)}\n")
    if args.markdown:
        with args.markdown.open("a") as markdown:
            markdown.write("\n" + text)
    return text


if __name__ == "__main__":
    print(main())
