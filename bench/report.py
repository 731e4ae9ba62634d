"""The benchmark's table (Markdown, also printed), its targets and its bar chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bench.compare import StreamComparison
from bench.run import Run

SIDES = ("ours", "published")


@dataclass
class Result:
    command: str
    profile: str
    seed: int
    latency_ms: float
    start_date: dt.date
    end_date: dt.date
    streams: list[str]
    runs: dict[str, Run]
    comparison: dict[str, StreamComparison] | None
    minimum: dict[str, int]
    published_skipped: str | None


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def targets(result: Result) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for the five targets; met is None when there is nothing to compare."""
    if "published" not in result.runs:
        return []
    mine, theirs = result.runs["ours"], result.runs["published"]

    def category(run: Run) -> int:
        return run.stats["by_category"].get("ads_analytics", 0)

    def cpu_per_record(run: Run) -> float | None:
        return _ratio(run.cpu_seconds, run.total_records)

    checks = []
    for label, value, goal, at_most in (
        ("ads_analytics calls ≤ 1/20 of published", _ratio(category(mine), category(theirs)), 1 / 20, True),
        ("total calls ≤ 1/10 of published", _ratio(mine.stats["total"], theirs.stats["total"]), 1 / 10, True),
        (f"wall time at {result.latency_ms:g} ms ≥ 8x faster", _ratio(theirs.wall_seconds, mine.wall_seconds), 8, False),
        ("peak RSS ≤ 1/3 of published", _ratio(mine.peak_rss_mb, theirs.peak_rss_mb), 1 / 3, True),
        ("CPU seconds per record ≤ 1/3 of published", _ratio(cpu_per_record(mine) or 0, cpu_per_record(theirs) or 0), 1 / 3, True),
    ):
        if value is None:
            checks.append((label, "n/a (published made none)", None))
        else:
            checks.append((label, f"{value:.3f}" if at_most else f"{value:.1f}x",
                           value <= goal if at_most else value >= goal))
    return checks


def _mark(met: bool | None) -> str:
    return {True: "✅ pass", False: "❌ fail", None: "–"}[met]


def text(result: Result) -> str:
    sides = [side for side in SIDES if side in result.runs]
    runs = [result.runs[side] for side in sides]
    categories = sorted({name for run in runs for name in run.stats["by_category"]})
    rows = [
        ["API calls, total", *(run.stats["total"] for run in runs)],
        *[[f"API calls, {name}", *(run.stats["by_category"].get(name, 0) for run in runs)] for name in categories],
        ["HTTP 4xx answers", *(sum(n for status, n in run.stats["by_status"].items() if str(status).startswith("4"))
                               for run in runs)],
        [f"wall time at {result.latency_ms:g} ms/call (s)", *(f"{run.wall_seconds:.1f}" for run in runs)],
        ["CPU time (s)", *(f"{run.cpu_seconds:.1f}" for run in runs)],
        ["emulator time producing answers (s, summed over calls)", *(f"{run.serving_seconds:.1f}" for run in runs)],
        ["peak RSS (MB)", *(f"{run.peak_rss_mb:.0f}" for run in runs)],
        ["records", *(run.total_records for run in runs)],
        ["records per second", *(f"{run.total_records / run.wall_seconds:.0f}" for run in runs)],
        ["CPU ms per record", *(f"{1000 * run.cpu_seconds / run.total_records:.3f}" if run.total_records else "–" for run in runs)],
        ["exit code", *(run.exit_code for run in runs)],
        ["error traces", *(len(run.errors) for run in runs)],
    ]
    parts = [
        f"Profile `{result.profile}` (seed {result.seed}), {result.latency_ms:g} ms emulated latency per call, "
        f"analytics {result.start_date} .. {result.end_date}, {len(result.streams)} streams: "
        + ", ".join(result.streams),
        "",
        _table(["metric", *sides], rows),
    ]
    if result.published_skipped:
        parts += ["", f"Published connector not run: {result.published_skipped}"]
    checks = targets(result)
    if checks:
        parts += ["", "Targets (ratios in this run):", "",
                  _table(["target", "measured", "result"], [[label, value, _mark(met)] for label, value, met in checks])]
    parts += ["", "Records per stream:", "", _streams_table(result, sides)]
    examples = [f"- {stream}: {line}" for stream, comparison in (result.comparison or {}).items()
                for line in comparison.examples]
    if examples:
        parts += ["", "Differences, first examples:", "", *examples]
    parts += ["", "Calls per route (our minimum: ceil(items/250) per parent; analytics ceil(ids/250) x ceil(days/90) "
                  "per account; – where no formula):", "", _routes_table(result, sides)]
    for run in runs:
        if run.errors:
            parts += ["", f"Error traces of {run.connector}:", "", *[f"- {' '.join(error.split())[:300]}" for error in run.errors]]
    return "\n".join(parts)


def _streams_table(result: Result, sides: list[str]) -> str:
    rows = []
    for stream in result.streams:
        counts = [result.runs[side].records.get(stream, 0) for side in sides]
        if result.comparison is None:
            verdict = "not compared"
        elif stream in result.comparison:
            verdict = result.comparison[stream].summary()
        else:
            verdict = "no primary key on either side"
        rows.append([stream, *counts, verdict])
    return _table(["stream", *(f"{side} records" for side in sides), "same records?"], rows)


def _routes_table(result: Result, sides: list[str]) -> str:
    routes = sorted({route for side in sides for route in result.runs[side].stats["by_route"]})
    rows = [[f"`{route}`", *(result.runs[side].stats["by_route"].get(route, 0) for side in sides),
             result.minimum.get(route, "–")] for route in routes]
    return _table(["route", *sides, "minimum"], rows)


def chart(result: Result, path: Path) -> None:
    """Grouped bars, one panel per measure: calls, ads_analytics calls, wall time, peak RSS."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sides = [side for side in SIDES if side in result.runs]
    measures = {
        "API calls": [result.runs[side].stats["total"] for side in sides],
        "ads_analytics calls": [result.runs[side].stats["by_category"].get("ads_analytics", 0) for side in sides],
        f"wall time (s) at {result.latency_ms:g} ms": [result.runs[side].wall_seconds for side in sides],
        "peak RSS (MB)": [result.runs[side].peak_rss_mb for side in sides],
    }
    figure, axes = pyplot.subplots(1, len(measures), figsize=(3.2 * len(measures), 3.4))
    for axis, (title, values) in zip(axes, measures.items()):
        bars = axis.bar(sides, values, color=["#2a7ab0", "#c94f4f"][:len(sides)])
        axis.bar_label(bars, labels=[f"{value:,.0f}" for value in values], fontsize=8)
        axis.set_title(title, fontsize=9)
        axis.tick_params(labelsize=8)
        axis.margins(y=0.15)
    figure.suptitle(f"source-pinterest: ours vs published, profile {result.profile}", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def write_markdown(result: Result, path: Path) -> None:
    picture = path.with_suffix(".png")
    chart(result, picture)
    path.write_text("\n".join([
        "# Benchmark: this connector vs Airbyte's published source-pinterest",
        "",
        "Both connectors run as subprocesses (`source-pinterest read --config --catalog`, full refresh) one after",
        "the other against the same in-process emulator, on the streams both discover. The published connector",
        "(`airbyte-source-pinterest` from PyPI, its own venv) runs unmodified; a `sitecustomize.py` on its",
        "PYTHONPATH (`bench/redirect/`) rewrites its `https://api.pinterest.com/v5` URLs to the emulator.",
        "Calls come from the emulator's counters (reset between runs); CPU time and peak RSS from `wait4` of",
        "each connector process, in its own small launcher (`bench/rusage.py`). Records are compared by primary",
        "key, then on the fields both emit.",
        "",
        f"Produced by `{result.command}` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        f"![calls, wall time and memory of both connectors]({picture.name})",
        "",
        text(result),
        "",
    ]))
