"""The reporting column names Pinterest accepts, read from Pinterest's OpenAPI description.

The lists (175 synchronous and 613 async report columns) are not copied into this project: they
are read at run time from the file named by ``PINTEREST_OPENAPI`` (default
``../shared/pinterest-api/openapi.json`` beside the repository, as the schema generator finds it). Without that file any upper-case column name is
accepted, so the emulator still works but cannot catch misspelt columns.
"""

from __future__ import annotations

import functools
import json
import re

from schema_generator.cli import default_spec_path

_COLUMN_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def openapi_path() -> str:
    return str(default_spec_path())


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError:
        return None


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        target: dict = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _enum_values(spec: dict, node: dict) -> frozenset[str]:
    """Every enum value reachable from ``node`` (through $ref and allOf)."""
    node = _resolve(spec, node)
    values = set(node.get("enum", ()))
    for key in ("allOf", "anyOf", "oneOf"):
        for child in node.get(key, ()):
            values |= _enum_values(spec, child)
    if "items" in node:
        values |= _enum_values(spec, node["items"])
    return frozenset(values)


@functools.lru_cache(maxsize=4)
def _sync_columns(path: str) -> frozenset[str] | None:
    spec = _load(path)
    if spec is None:
        return None
    operation = spec["paths"]["/ad_accounts/{ad_account_id}/campaigns/analytics"]["get"]
    for parameter in operation["parameters"]:
        parameter = _resolve(spec, parameter)
        if parameter["name"] == "columns":
            return _enum_values(spec, parameter["schema"])
    return None


@functools.lru_cache(maxsize=4)
def _report_columns(path: str) -> frozenset[str] | None:
    spec = _load(path)
    if spec is None:
        return None
    body = _resolve(spec, spec["components"]["schemas"]["AdsAnalyticsCreateAsyncRequest"])
    for part in body["allOf"]:
        columns = _resolve(spec, part).get("properties", {}).get("columns")
        if columns:
            return _enum_values(spec, columns)
    return None


def unknown_columns(columns: list[str], *, report: bool) -> list[str]:
    """The columns Pinterest would refuse (synchronous analytics, or async reports)."""
    known = _report_columns(openapi_path()) if report else _sync_columns(openapi_path())
    if known is None:
        return [column for column in columns if not _COLUMN_NAME.match(column)]
    return [column for column in columns if column not in known]

