"""Copies a connector's Airbyte messages from stdin to stdout, each record cut down to the fields the
comparison uses: full-width report rows (about 22 KB each) would otherwise fill the disk on `standard`.

Usage: python bench/slim.py FIELDS_JSON, where FIELDS_JSON maps stream -> field names kept (a stream not
in it keeps every field).
"""

from __future__ import annotations

import sys

import orjson


def slim(lines, kept: dict[str, set[str]], out) -> None:
    for line in lines:
        if b'"RECORD"' in line[:24]:
            message = orjson.loads(line)
            record = message["record"]
            fields = kept.get(record["stream"])
            if fields is not None:
                record["data"] = {name: value for name, value in record["data"].items() if name in fields}
                line = orjson.dumps(message) + b"\n"
        out.write(line)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as fields:
        kept = {stream: set(names) for stream, names in orjson.loads(fields.read()).items()}
    slim(sys.stdin.buffer, kept, sys.stdout.buffer)
