"""Response schemas of Pinterest's OpenAPI description, as JSON Schema for ``jsonschema``.

The description is found as the schema generator finds it (``PINTEREST_OPENAPI``, or the shared folder
beside the repository); tests using it are marked ``needs_openapi``. OpenAPI's ``nullable`` becomes ``anyOf [..., null]``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from pinterest_emulator.spec_columns import openapi_path


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
    spec = _spec()
    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    document = {**schema, "components": spec["components"]}
    jsonschema.validate(body, document, cls=jsonschema.Draft7Validator)
