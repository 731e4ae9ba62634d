"""Response schemas of Pinterest's OpenAPI description, as JSON Schema for ``jsonschema``.

The description is read from ``PINTEREST_OPENAPI`` (default ``/work/shared/pinterest-api/openapi.json``);
tests using it skip when the file is absent. OpenAPI's ``nullable`` becomes ``anyOf [..., null]``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
import pytest

from pinterest_emulator.spec_columns import openapi_path, spec_available


def _with_nulls(node: Any) -> Any:
    if isinstance(node, list):
        return [_with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _with_nulls(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.lru_cache(maxsize=1)
def _spec() -> dict:
    with open(openapi_path(), encoding="utf-8") as handle:
        return _with_nulls(json.load(handle))


def assert_matches_response_schema(path: str, method: str, body: Any, status: str = "200") -> None:
    """Validate ``body`` against the spec's response schema of one operation."""
    if not spec_available():
        pytest.skip(f"Pinterest OpenAPI description not found at {openapi_path()} (set PINTEREST_OPENAPI)")
    spec = _spec()
    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    document = {**schema, "components": spec["components"]}
    jsonschema.validate(body, document, cls=jsonschema.Draft7Validator)
