"""Did both connectors emit the same records? Primary-key sets, then the values of the fields both emit."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import messages

EXAMPLES = 3  # differing records described per stream


@dataclass
class StreamComparison:
    missing: int = 0  # keys the published connector emitted and we did not
    extra: int = 0  # keys we emitted and it did not
    value_diffs: int = 0  # same key, different values in a field both emit
    duplicates: dict[str, int] = field(default_factory=dict)  # connector -> repeated keys
    examples: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.missing or self.extra or self.value_diffs)

    def summary(self) -> str:
        if self.same:
            return "same"
        return f"differs: {self.missing} missing, {self.extra} extra, {self.value_diffs} value diffs"


def _normal(value):
    """1 and 1.0 are the same number; ids may come as strings or numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _key(record: dict, primary_key: list[list[str]]) -> tuple:
    return tuple(_normal(record.get(path[0])) for path in primary_key)


def _fields(path: Path, streams: set[str]) -> dict[str, set[str]]:
    emitted: dict[str, set[str]] = defaultdict(set)
    for message in messages(path):
        if message["type"] == "RECORD" and message["record"]["stream"] in streams:
            emitted[message["record"]["stream"]].update(message["record"]["data"])
    return emitted


def _index(path: Path, primary_keys: dict[str, list[list[str]]], common: dict[str, list[str]]):
    """stream -> {key: hash of the common fields' values}, plus repeated keys per stream."""
    index: dict[str, dict[tuple, int]] = defaultdict(dict)
    repeated: dict[str, int] = defaultdict(int)
    for message in messages(path):
        if message["type"] != "RECORD" or message["record"]["stream"] not in primary_keys:
            continue
        stream, data = message["record"]["stream"], message["record"]["data"]
        key = _key(data, primary_keys[stream])
        if key in index[stream]:
            repeated[stream] += 1
        index[stream][key] = hash(json.dumps([_normal(data.get(name)) for name in common[stream]], default=str))
    return index, repeated


def _describe(ours: Path, published: Path, stream: str, keys: list[tuple], primary_key, common: list[str]) -> list[str]:
    """Which common fields differ for a few differing keys (re-reads both outputs; only for those keys)."""
    found: dict[str, dict[tuple, dict]] = {"ours": {}, "published": {}}
    for side, path in (("ours", ours), ("published", published)):
        for message in messages(path):
            if message["type"] == "RECORD" and message["record"]["stream"] == stream:
                key = _key(message["record"]["data"], primary_key)
                if key in keys:
                    found[side][key] = message["record"]["data"]
    lines = []
    for key in keys:
        a, b = found["ours"].get(key, {}), found["published"].get(key, {})
        fields = [name for name in common if _normal(a.get(name)) != _normal(b.get(name))]
        shown = ", ".join(f"{name}: ours={a.get(name)!r} published={b.get(name)!r}" for name in fields[:3])
        lines.append(f"{key}: {len(fields)} fields differ ({shown})")
    return lines


def compare(ours: Path, published: Path, primary_keys: dict[str, list[list[str]]]) -> dict[str, StreamComparison]:
    """Per stream of `primary_keys`: keys missing from ours, extra in ours, and value differences."""
    streams = set(primary_keys)
    ours_fields, published_fields = _fields(ours, streams), _fields(published, streams)
    common = {stream: sorted(ours_fields[stream] & published_fields[stream]) for stream in streams}
    ours_index, ours_repeated = _index(ours, primary_keys, common)
    published_index, published_repeated = _index(published, primary_keys, common)
    result = {}
    for stream in sorted(streams):
        mine, theirs = ours_index.get(stream, {}), published_index.get(stream, {})
        comparison = StreamComparison(
            missing=len(theirs.keys() - mine.keys()), extra=len(mine.keys() - theirs.keys()),
            duplicates={"ours": ours_repeated[stream], "published": published_repeated[stream]})
        differing = [key for key in mine.keys() & theirs.keys() if mine[key] != theirs[key]]
        comparison.value_diffs = len(differing)
        for label, keys in (("missing", theirs.keys() - mine.keys()), ("extra", mine.keys() - theirs.keys())):
            if keys:
                comparison.examples.append(f"{label}, e.g. {sorted(keys, key=str)[:EXAMPLES]}")
        if differing:
            comparison.examples += _describe(ours, published, stream, sorted(differing, key=str)[:EXAMPLES],
                                            primary_keys[stream], common[stream])
        result[stream] = comparison
    return result
