"""The stream schemas inlined in source_pinterest/manifest.yaml, so that the manifest and
components.py alone are the whole connector (the Connector Builder gets nothing else).

The generator writes each distinct schema once, under `definitions.schemas.<name>`, between their
own marker lines; every stream loads its schema with an InlineSchemaLoader whose `schema` is a
`$ref` to one of them. Streams whose schemas are identical share one definition, named by what
their names share (`report` for advertiser_report, campaign_analytics_report, ...). The stream
definitions are hand-written: `inline_schema_problems` checks that each one refers to the
definition equal to its per-stream file.
"""

import functools
import json
import re

import yaml

from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import ManifestReferenceResolver

BEGIN_MARKER = "  # BEGIN GENERATED SCHEMAS BY schema_generator (do not edit by hand)"
END_MARKER = "  # END GENERATED SCHEMAS BY schema_generator"
SCHEMA_REF_PREFIX = "#/definitions/schemas/"
INLINE_SCHEMA_LOADER = "InlineSchemaLoader"

Schema = dict
# libyaml's loader when PyYAML has it (as the CDK reads manifests): the manifest is half a megabyte.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    return yaml.load(text, Loader=_LOADER)


def _canonical(schema: Schema) -> str:
    return json.dumps(schema, sort_keys=True)


def shared_name(streams: list[str], forbidden: set[str]) -> str:
    """Name of one definition shared by `streams`: the words their names end with in common
    ("report" for advertiser_report and ad_group_report), unless that is empty or forbidden, then
    the first stream's name."""
    common: list[str] = []
    for words in zip(*(reversed(stream.split("_")) for stream in streams)):
        if len(set(words)) > 1:
            break
        common.insert(0, words[0])
    name = "_".join(common)
    return name if name and name not in forbidden else streams[0]


def schema_definitions(schemas: dict[str, Schema]) -> tuple[dict[str, Schema], dict[str, str]]:
    """(definition name -> schema, stream -> definition name): each distinct schema once, named
    after its stream, or by shared_name when several streams have it."""
    groups: dict[str, list[str]] = {}
    for stream in sorted(schemas):
        groups.setdefault(_canonical(schemas[stream]), []).append(stream)
    definitions: dict[str, Schema] = {}
    stream_definition: dict[str, str] = {}
    for streams in groups.values():
        # Never the name of a stream outside the group, nor of another definition.
        name = shared_name(streams, (set(schemas) - set(streams)) | set(definitions))
        definitions[name] = schemas[streams[0]]
        stream_definition.update(dict.fromkeys(streams, name))
    return dict(sorted(definitions.items())), stream_definition


# ---------------------------------------------------------------------------------- rendering
@functools.lru_cache(maxsize=None)
def _yaml_key(key: str) -> str:
    """A mapping key as written: plain when YAML reads it back as the same string, else quoted."""
    if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$-]*", key) and yaml.safe_load(f"{key}: 0") == {key: 0}:
        return key
    return json.dumps(key)


# JSON writes a character beyond U+FFFF as two escaped surrogates, which YAML reads as two
# characters: such pairs become YAML's \UXXXXXXXX (not when the backslash is itself escaped).
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _json(value) -> str:
    def combine(match: re.Match) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"

    return _SURROGATE_PAIR.sub(combine, json.dumps(value, sort_keys=True))


def _is_leaf(value: dict) -> bool:
    return not any(isinstance(child, dict) and child for child in value.values())


def _render(key: str, value, indent: int) -> list[str]:
    """Mappings that hold mappings in block style (one property a line), the rest in JSON syntax."""
    pad = " " * indent
    if isinstance(value, dict) and value and not _is_leaf(value):
        lines = [f"{pad}{_yaml_key(key)}:"]
        for child_key in sorted(value):
            lines.extend(_render(child_key, value[child_key], indent + 2))
        return lines
    return [f"{pad}{_yaml_key(key)}: {_json(value)}"]


def render_schemas_block(definitions: dict[str, Schema]) -> str:
    """YAML for `definitions.schemas`, indented to sit under `definitions:`."""
    lines = ["  schemas:"]
    for name, schema in definitions.items():
        lines.extend(_render(name, schema, indent=4))
    block = "\n".join(lines) + "\n"
    if load_yaml(f"definitions:\n{block}") != {"definitions": {"schemas": definitions}}:
        raise ValueError("the rendered schemas do not read back as the generated ones")
    return block


# ---------------------------------------------------------------------------------- checks
_SENTINEL = "__schema_definition__"


def stream_schema_definitions(manifest: dict) -> dict[str, str | None]:
    """Stream name -> the definitions.schemas entry its InlineSchemaLoader refers to (None when it
    has no InlineSchemaLoader or its schema is not such a $ref), for the manifest's streams and
    the stream templates of its dynamic streams, with $refs resolved as the CDK does."""
    manifest = json.loads(json.dumps(manifest))
    definitions = manifest.get("definitions", {})
    # Each definition replaced by a marker naming it: after resolution, a stream's schema is the
    # marker of the definition it refers to, whatever template it was inherited from.
    definitions["schemas"] = {name: {_SENTINEL: name} for name in definitions.get("schemas") or {}}
    resolved = ManifestReferenceResolver().preprocess_manifest(manifest)
    streams = list(resolved.get("streams") or [])
    streams += [dynamic["stream_template"] for dynamic in resolved.get("dynamic_streams") or [] if "stream_template" in dynamic]
    found: dict[str, str | None] = {}
    for stream in streams:
        name = stream.get("name") or stream.get("$parameters", {}).get("name")
        loader = stream.get("schema_loader") or {}
        schema = loader.get("schema") if isinstance(loader, dict) else None
        is_ref = loader.get("type") == INLINE_SCHEMA_LOADER and isinstance(schema, dict) and set(schema) == {_SENTINEL}
        found[name] = schema[_SENTINEL] if is_ref else None
    return found


def inline_schema_problems(manifest_text: str, schema_files: dict[str, Schema | None]) -> list[str]:
    """What is wrong with the manifest's inline schemas, compared with the per-stream files
    (stream -> parsed file, None when the file is missing)."""
    manifest = load_yaml(manifest_text)
    inline = (manifest.get("definitions") or {}).get("schemas") or {}
    try:
        refs = stream_schema_definitions(manifest)
    except Exception as error:  # a $ref to a definition that does not exist
        return [f"the manifest's $refs do not resolve: {error}"]
    problems = []
    for stream, definition in sorted(refs.items()):
        if definition is None:
            problems.append(
                f"stream {stream}: its schema_loader is not an {INLINE_SCHEMA_LOADER} whose schema is a $ref to {SCHEMA_REF_PREFIX}<name>"
            )
        elif stream not in schema_files or schema_files[stream] is None:
            problems.append(f"stream {stream}: no schema file {stream}.json")
        elif inline[definition] != schema_files[stream]:
            equal = sorted(name for name, schema in inline.items() if schema == schema_files[stream])
            hint = f" (use {SCHEMA_REF_PREFIX}{equal[0]})" if equal else ""
            problems.append(f"stream {stream}: {SCHEMA_REF_PREFIX}{definition} differs from {stream}.json{hint}")
    return problems
