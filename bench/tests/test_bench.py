"""Smoke runs of the benchmark on the tiny profile (figures are printed, never asserted) and its record comparison."""

import io
import json

import pytest

from bench.__main__ import compared_fields, main
from bench.compare import compare
from bench.run import published_unavailable
from bench.slim import slim

SMOKE_STREAMS = ["ad_accounts", "campaigns", "keywords", "boards", "board_pins", "ad_account_analytics"]


def _arguments(tmp_path, *extra):
    return ["--profile", "tiny", "--latency-ms", "0", "--output-dir", str(tmp_path / "runs"),
            "--markdown", str(tmp_path / "benchmarks.md"), "--streams", *SMOKE_STREAMS, *extra]


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_our_connector_alone_is_measured_and_reported(tmp_path, capsys):
    result = main(_arguments(tmp_path, "--skip-published"))

    run = result.runs["ours"]
    assert list(result.runs) == ["ours"] and result.published_skipped == "--skip-published"
    assert run.exit_code == 0 and not run.errors
    assert {"ad_accounts", "campaigns", "boards"} <= set(run.records)
    assert run.stats["by_category"]["ads_read"] > 0 and run.peak_rss_mb > 0 and run.cpu_seconds > 0
    for route in ("GET /ad_accounts/{ad_account_id}/campaigns", "GET /boards", "GET /boards/{board_id}/pins"):
        assert run.stats["by_route"][route] == result.minimum[route]
    document = (tmp_path / "benchmarks.md").read_text()
    assert "| API calls, total |" in document and "Published connector not run: --skip-published" in document
    assert (tmp_path / "benchmarks.png").read_bytes().startswith(b"\x89PNG")
    assert "| records per second |" in capsys.readouterr().out


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
@pytest.mark.skipif(published_unavailable() is not None, reason=f"published connector: {published_unavailable()}")
def test_both_connectors_run_against_the_emulator_and_are_compared(tmp_path):
    result = main(_arguments(tmp_path))

    assert set(result.runs) == {"ours", "published"}
    for run in result.runs.values():
        assert run.exit_code == 0 and run.records.get("boards") == 3  # the redirect reached the emulator
    assert result.comparison["boards"].same
    assert set(result.comparison) == set(result.streams)


def _write(path, records):
    path.write_text("\n".join(json.dumps({"type": "RECORD", "record": {"stream": stream, "data": data}})
                              for stream, data in records) + "\n")


def test_comparison_counts_missing_extra_and_differing_records_on_fields_both_emit(tmp_path):
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "published.jsonl"
    _write(ours, [("s", {"id": "1", "v": 1.0, "only_ours": "x"}), ("s", {"id": "2", "v": 2}),
                  ("s", {"id": "4", "v": 4}), ("t", {"id": 7, "v": 7})])
    _write(theirs, [("s", {"id": 1, "v": 1, "only_theirs": "y"}), ("s", {"id": "2", "v": 3}),
                    ("s", {"id": "3", "v": 3}), ("t", {"id": 7, "v": 7})])

    result = compare(ours, theirs, {"s": [["id"]], "t": [["id"]]})

    assert result["s"].summary() == "differs: 1 missing, 1 extra, 1 value diffs"
    assert any("v: ours=2 published=3" in line for line in result["s"].examples)
    assert result["t"].summary() == "same"


def test_saved_records_keep_only_the_key_and_the_fields_both_schemas_declare():
    def stream(properties, key):
        return {"json_schema": {"properties": dict.fromkeys(properties, {})}, "source_defined_primary_key": key}

    catalogs = {"ours": {"r": stream(["ID", "DATE", "A", "B"], [["ID"], ["DATE"]]), "any": stream([], [["id"]])},
                "published": {"r": stream(["ID", "DATE", "B", "C"], None), "any": stream(["id", "x"], [["id"]])}}
    assert compared_fields(catalogs, ["r", "any"]) == {"r": ["B", "DATE", "ID"]}  # no schema: all fields kept
    assert compared_fields({"ours": catalogs["ours"]}, ["r"]) == {"r": ["DATE", "ID"]}

    lines = [b'{"type":"LOG","log":{"message":"RECORD"}}\n',
             b'{"type":"RECORD","record":{"stream":"r","data":{"ID":"1","A":2,"B":3},"emitted_at":1}}\n',
             b'{"type":"RECORD","record":{"stream":"other","data":{"A":2}}}\n']
    out = io.BytesIO()
    slim(lines, {"r": {"ID", "B"}}, out)
    assert out.getvalue().splitlines(keepends=True) == [
        lines[0], b'{"type":"RECORD","record":{"stream":"r","data":{"ID":"1","B":3},"emitted_at":1}}\n', lines[2]]
