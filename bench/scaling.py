"""``python -m bench.scaling``: how our connector's cost grows with the dataset, one emulator profile after
another: calls (measured and the API's minimum), wall time, CPU seconds, peak RSS, records, records per
CPU second, and a chart of calls against entities x 90-day windows with peak RSS beside it."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.report import _table
from bench.run import ANALYTICS_DAYS_BACK, COMPARED_STREAMS, WORK_DIR, Run, discover, ours, read
from pinterest_emulator import Emulator, EmulatorOptions
from pinterest_emulator.minimum_calls import flat, minimum_calls


@dataclass
class Step:
    profile: str
    entities: int  # campaigns, ad groups and ads
    windows: int  # 90-day analytics windows
    minimum: int  # calls the API allows at least, on the routes with a formula that the streams read
    measured_on_minimum_routes: int
    run: Run

    @property
    def entity_windows(self) -> int:
        return self.entities * self.windows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--profiles", nargs="+", default=["tiny", "small", "medium", "standard"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="emulated latency of every API call")
    parser.add_argument("--streams", nargs="*", default=list(COMPARED_STREAMS))
    parser.add_argument("--markdown", type=Path, help="write the table here (with a chart beside it)")
    parser.add_argument("--output-dir", type=Path, default=WORK_DIR / "scaling")
    return parser.parse_args(argv)


def measure(profile: str, args: argparse.Namespace) -> Step:
    with Emulator(profile=profile, seed=args.seed, port=0, options=EmulatorOptions()) as emulator:
        credentials = {"auth_method": "oauth2.0", **emulator.credentials}
        today = emulator.today()
        start = today - dt.timedelta(days=ANALYTICS_DAYS_BACK)
        side = ours(emulator.base_url, start.isoformat())
        catalog = discover(side, credentials)
        emulator.configure(latency_ms=args.latency_ms)
        run = read(side, credentials, [catalog[name] for name in args.streams if name in catalog], emulator,
                   args.output_dir / f"{profile}.jsonl", kept_fields={name: [] for name in args.streams})  # counted, not kept
        minimum = minimum_calls(emulator.dataset, start, today)
        dataset = emulator.dataset
    entities = sum(len(flat(getattr(dataset, kind))) for kind in ("campaigns", "ad_groups", "ads"))
    called = [route for route in minimum if run.stats["by_route"].get(route)]  # the routes of the streams read
    return Step(profile, entities, math.ceil(((today - start).days + 1) / 90), sum(minimum[route] for route in called),
                sum(run.stats["by_route"][route] for route in called), run)


def text(steps: list[Step], latency_ms: float) -> str:
    rows = [[step.profile, f"{step.entities:,}", step.windows, f"{step.run.stats['total']:,}",
             f"{step.measured_on_minimum_routes:,} / {step.minimum:,}", f"{step.run.wall_seconds:.1f}",
             f"{step.run.cpu_seconds:.1f}", f"{step.run.peak_rss_mb:.0f}", f"{step.run.total_records:,}",
             f"{step.run.total_records / step.run.cpu_seconds:,.0f}" if step.run.cpu_seconds else "–",
             step.run.exit_code] for step in steps]
    header = ["profile", "campaigns + ad groups + ads", "90-day windows", "calls",
              "calls on routes with a formula / their minimum", f"wall s at {latency_ms:g} ms", "CPU s",
              "peak RSS MB", "records", "records per CPU s", "exit"]
    return _table(header, rows)


def chart(steps: list[Step], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    x = [step.entity_windows for step in steps]
    figure, (calls, memory) = pyplot.subplots(1, 2, figsize=(9, 3.6))
    calls.plot(x, [step.run.stats["total"] for step in steps], "o-", label="calls, measured")
    calls.plot(x, [step.minimum for step in steps], "s--", label="minimum (routes with a formula)")
    memory.plot(x, [step.run.peak_rss_mb for step in steps], "o-", color="#c94f4f")
    for axis, title in ((calls, "API calls"), (memory, "peak RSS (MB)")):
        axis.set_xscale("log")
        axis.set_xlabel("entities x 90-day windows", fontsize=8)
        axis.set_title(title, fontsize=9)
        axis.tick_params(labelsize=8)
        for step, value in zip(steps, axis.lines[0].get_ydata()):
            axis.annotate(step.profile, (step.entity_windows, value), fontsize=7, textcoords="offset points", xytext=(4, 4))
    calls.set_yscale("log")
    memory.set_ylim(bottom=0)
    calls.legend(fontsize=7)
    figure.suptitle("source-pinterest: cost against dataset size", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> list[Step]:
    args = parse_args(argv)
    steps = []
    for profile in args.profiles:
        steps.append(measure(profile, args))
        print(f"{profile}: {steps[-1].run.stats['total']} calls, {steps[-1].run.wall_seconds:.1f} s", flush=True)
    table = text(steps, args.latency_ms)
    print(table)
    if args.markdown:
        picture = args.markdown.with_suffix(".png")
        chart(steps, picture)
        command = "python -m bench.scaling " + shlex.join(argv if argv is not None else sys.argv[1:])
        args.markdown.write_text("\n".join([
            "# How our connector's cost grows",
            "",
            f"Produced by `{command}` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC: our connector alone, "
            f"one emulator profile after another, {len(args.streams)} streams (full refresh, analytics over the last "
            f"{ANALYTICS_DAYS_BACK + 1} days). CPU and peak RSS from `wait4` of the connector process, in its own small launcher (`bench/rusage.py`).",
            "",
            f"![calls and memory against dataset size]({picture.name})",
            "",
            table,
            "",
        ]))
    return steps


if __name__ == "__main__":
    main()
