"""Turn OpenAPI 3 schemas into the JSON Schemas (draft-07) that Airbyte records are validated against.

Every property is nullable because the API omits or nulls fields freely. Only type, format,
items, properties, additionalProperties and a short description are kept: enums, patterns and
limits go so that new API values never fail a record, and OpenAPI-only keywords (nullable,
example, readOnly, writeOnly, discriminator, xml, x-*) mean nothing to JSON Schema.

Every property gets a type: a property whose spec schema declares nothing about its value
becomes a free-form JSON value (see free_form_schema).
"""

import re
from typing import Any, Iterable

Schema = dict[str, Any]

NULL = "null"
_TYPE_ORDER = ["null", "boolean", "integer", "number", "string", "array", "object"]
_MAX_DESCRIPTION = 200


def nullable(*types: str) -> Schema:
    return {"type": _sorted_types({NULL, *types})}


def free_form_schema() -> Schema:
    """A property the spec leaves untyped: no type, allOf/oneOf/anyOf, properties, items,
    additionalProperties or enum, itself or behind its $ref (AdGroupResponse.dca_assets has
    only a description; the clients generated from the spec type it as Any).

    Airbyte has no "any" type, and the JSON-schema-to-SQL mapping of the CDK and PyAirbyte
    (`_get_airbyte_type` in airbyte_cdk/sql/types.py and airbyte/types.py) needs exactly one
    non-null type: a property without one (or with several, like a list of every JSON type)
    prints "Could not determine airbyte type from JSON schema" and falls back to VARCHAR.
    "object" maps to a JSON column, which keeps the value as the API sent it; it is also what the
    description of dca_assets suggests (a set of creative assets: image, video, title, logo...).
    """
    return nullable("object")


def date_schema() -> Schema:
    return {"type": [NULL, "string"], "format": "date"}


def date_time_schema() -> Schema:
    return {"type": [NULL, "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"}


def _sorted_types(types: Iterable[str]) -> list[str]:
    return sorted(set(types), key=_TYPE_ORDER.index)


def short_description(text: str) -> str:
    """First sentence of a description, without HTML, capped in length."""
    plain = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    first_sentence = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
    if len(first_sentence) > _MAX_DESCRIPTION:
        first_sentence = first_sentence[: _MAX_DESCRIPTION - 3].rstrip() + "..."
    return first_sentence


class OpenApiSpec:
    def __init__(self, document: dict):
        self.document = document

    def resolve_ref(self, ref: str) -> Schema:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported, got {ref!r}")
        node: Any = self.document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def resolve(self, node: dict) -> dict:
        """Follow $ref chains (for parameters, responses, schemas)."""
        while "$ref" in node:
            node = self.resolve_ref(node["$ref"])
        return node

    def operation(self, path: str, method: str = "get") -> dict:
        return self.document["paths"][path][method]

    def parameter(self, path: str, name: str, method: str = "get") -> dict:
        for parameter in self.operation(path, method).get("parameters", []):
            parameter = self.resolve(parameter)
            if parameter["name"] == name:
                return parameter
        raise KeyError(f"{method.upper()} {path} has no parameter {name!r}")

    def response_schema(self, path: str, method: str = "get") -> Schema:
        response = self.resolve(self.operation(path, method)["responses"]["200"])
        return response["content"]["application/json"]["schema"]

    def request_body_schema(self, path: str, method: str = "post") -> Schema:
        body = self.resolve(self.operation(path, method)["requestBody"])
        return body["content"]["application/json"]["schema"]

    def enum_values(self, schema: Schema) -> list[str]:
        """Every enum value reachable through $ref, allOf, oneOf, anyOf, and array items."""
        return list(dict.fromkeys(self._enum_values(schema, set())))

    def _enum_values(self, schema: Schema, seen_refs: set[str]) -> Iterable[str]:
        if "$ref" in schema:
            if schema["$ref"] in seen_refs:
                return
            yield from self._enum_values(self.resolve_ref(schema["$ref"]), seen_refs | {schema["$ref"]})
            return
        yield from schema.get("enum", [])
        for keyword in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(keyword, []):
                yield from self._enum_values(part, seen_refs)
        if "items" in schema:
            yield from self._enum_values(schema["items"], seen_refs)

    def to_json_schema(self, schema: Schema) -> Schema:
        return self._convert(schema, ())

    def _convert(self, schema: Schema, ref_stack: tuple[str, ...]) -> Schema:
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in ref_stack:
                return {}  # recursive type: cut the cycle with an unconstrained schema
            resolved = self._convert(self.resolve_ref(ref), ref_stack + (ref,))
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            return merge_all_of([self._convert(siblings, ref_stack), resolved]) if siblings else resolved

        own = self._convert_own_keywords(schema, ref_stack)
        parts = [own]
        parts += [self._convert(part, ref_stack) for part in schema.get("allOf", [])]
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                parts.append(merge_alternatives([self._convert(part, ref_stack) for part in schema[keyword]]))
        return merge_all_of(parts)

    def _convert_own_keywords(self, schema: Schema, ref_stack: tuple[str, ...]) -> Schema:
        result: Schema = {}
        if "description" in schema and short_description(schema["description"]):
            result["description"] = short_description(schema["description"])

        openapi_type = schema.get("type") or _implied_type(schema)
        if openapi_type is None:
            return result
        result["type"] = _sorted_types([NULL, openapi_type])
        if openapi_type == "string" and schema.get("format") == "date-time":
            result.update(date_time_schema())
        elif openapi_type == "string" and schema.get("format") == "date":
            result.update(date_schema())
        elif openapi_type == "array" and "items" in schema:
            result["items"] = self._convert(schema["items"], ref_stack)
        elif openapi_type == "object":
            if "properties" in schema:
                result["properties"] = {
                    name: self._convert_property(prop, ref_stack) for name, prop in schema["properties"].items()
                }
            if isinstance(schema.get("additionalProperties"), dict):
                result["additionalProperties"] = self._convert(schema["additionalProperties"], ref_stack)
        return result

    def _convert_property(self, schema: Schema, ref_stack: tuple[str, ...]) -> Schema:
        converted = self._convert(schema, ref_stack)
        if is_unconstrained(converted) and self._declares_no_value(schema):
            return {**converted, **free_form_schema()}
        return converted

    def _declares_no_value(self, schema: Schema) -> bool:
        """True when the spec says nothing about the value, through its $refs too (a mere
        description, default or example). An unconstrained union or a cut recursive $ref is
        not this: those stay as they are."""
        schema = self.resolve(schema)
        return not any(keyword in schema for keyword in _VALUE_KEYWORDS)


_VALUE_KEYWORDS = ("type", "allOf", "oneOf", "anyOf", "properties", "items", "additionalProperties", "enum")


def _implied_type(schema: Schema) -> str | None:
    if "properties" in schema or isinstance(schema.get("additionalProperties"), dict):
        return "object"
    if "items" in schema:
        return "array"
    enum = schema.get("enum")
    if enum and all(isinstance(value, str) for value in enum if value is not None):
        return "string"
    return None


def is_unconstrained(schema: Schema) -> bool:
    return "type" not in schema


def merge_all_of(parts: list[Schema]) -> Schema:
    """Combine schemas that all apply to the same value (allOf, or a schema next to its $ref)."""
    result: Schema = {}
    for part in parts:
        result = _merge_pair(result, part, union=False)
    return result


def merge_alternatives(alternatives: list[Schema]) -> Schema:
    """Combine oneOf/anyOf alternatives into one schema that accepts a value of any of them.

    An unconstrained alternative makes the union unconstrained; a format survives only when
    every string alternative has it.
    """
    if not alternatives:
        return {}
    result = alternatives[0]
    for alternative in alternatives[1:]:
        result = _merge_pair(result, alternative, union=True)
    return result


def _merge_pair(first: Schema, second: Schema, union: bool) -> Schema:
    if is_unconstrained(first) or is_unconstrained(second):
        if union:
            return {}
        # An allOf part without a type holds at most a description: it only adds that.
        return {**second, **first}
    merged = dict(first)
    first_types, second_types = set(first["type"]), set(second["type"])
    common = first_types & second_types
    if union or not common - {NULL}:
        merged["type"] = _sorted_types(first_types | second_types)
    else:
        merged["type"] = _sorted_types(common)
    if "properties" in second:
        properties = dict(first.get("properties", {}))
        for name, prop in second["properties"].items():
            properties[name] = _merge_pair(properties[name], prop, union) if name in properties else prop
        merged["properties"] = properties
    for key in ("items", "additionalProperties"):
        if key in first and key in second:
            merged[key] = _merge_pair(first[key], second[key], union)
        elif key in second:
            merged[key] = second[key]
    for key in ("description", "format", "airbyte_type"):
        if key not in merged and key in second:
            merged[key] = second[key]
    if union and _has_string(first) and _has_string(second) and first.get("format") != second.get("format"):
        merged.pop("format", None)
        merged.pop("airbyte_type", None)
    return merged


def _has_string(schema: Schema) -> bool:
    return "string" in schema["type"]
