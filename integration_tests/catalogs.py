"""Writes `configured_catalog.json` (every discovered stream) and `abnormal_state.json` (every
incremental stream with its cursor in 2100) from what the connector discovers, so neither is
hand-kept: `python -m integration_tests.catalogs` rewrites them, `--check` exits 1 when stale."""

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from airbyte_cdk.models import AirbyteStream, SyncMode

from source_pinterest.run import SourcePinterest

HERE = Path(__file__).parent
SAMPLE_CONFIG = HERE / "sample_config.json"
CONFIGURED_CATALOG = HERE / "configured_catalog.json"
ABNORMAL_STATE = HERE / "abnormal_state.json"

# A cursor value after every record, in each cursor's own format.
FUTURE_CURSOR_VALUES = {
    "updated_time": "4102444800",  # epoch seconds
    "created_at": "2100-01-01T00:00:00",
    "DATE": "2100-01-01",
    "date": "2100-01-01",
}


def discover() -> list[AirbyteStream]:
    config = json.loads(SAMPLE_CONFIG.read_text())
    source = SourcePinterest(config=config)
    return list(source.discover(logging.getLogger("airbyte"), config).streams)


def configured_catalog(streams: list[AirbyteStream]) -> dict[str, Any]:
    configured = []
    for stream in streams:
        incremental = SyncMode.incremental in stream.supported_sync_modes
        configured.append(
            {
                "stream": {
                    "name": stream.name,
                    "json_schema": {},  # the tests take each stream's schema from discover
                    "supported_sync_modes": [mode.value for mode in stream.supported_sync_modes],
                    **({"source_defined_cursor": True, "default_cursor_field": stream.default_cursor_field} if incremental else {}),
                    "source_defined_primary_key": stream.source_defined_primary_key,
                },
                "sync_mode": "incremental" if incremental else "full_refresh",
                **({"cursor_field": stream.default_cursor_field} if incremental else {}),
                "destination_sync_mode": "append_dedup" if stream.source_defined_primary_key else "append",
                **({"primary_key": stream.source_defined_primary_key} if stream.source_defined_primary_key else {}),
            }
        )
    return {"streams": configured}


def abnormal_state(streams: list[AirbyteStream]) -> list[dict[str, Any]]:
    """One STREAM state per incremental stream: a bare cursor, which partitioned streams take as
    the state of every partition."""
    states = []
    for stream in streams:
        if SyncMode.incremental not in stream.supported_sync_modes:
            continue
        (cursor_field,) = stream.default_cursor_field
        if cursor_field not in FUTURE_CURSOR_VALUES:
            raise SystemExit(f"No future value for cursor '{cursor_field}' of stream '{stream.name}': add one to FUTURE_CURSOR_VALUES.")
        stream_state = {cursor_field: FUTURE_CURSOR_VALUES[cursor_field]}
        states.append({"type": "STREAM", "stream": {"stream_descriptor": {"name": stream.name}, "stream_state": stream_state}})
    return states


def render(document: Any) -> str:
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed file differs from what discover gives")
    args = parser.parse_args(argv)
    streams = discover()
    wanted = {CONFIGURED_CATALOG: render(configured_catalog(streams)), ABNORMAL_STATE: render(abnormal_state(streams))}
    stale = [path.name for path, text in wanted.items() if not path.exists() or path.read_text() != text]
    if args.check:
        if stale:
            print(f"Stale: {', '.join(stale)}. Run `python -m integration_tests.catalogs`.", file=sys.stderr)
            return 1
        return 0
    for path, text in wanted.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
