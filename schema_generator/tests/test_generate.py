import json
import re
from pathlib import Path

import pytest
import yaml

from schema_generator import cli, enums, manifest_schemas
from schema_generator.manifest_block import (
    BEGIN_MARKER, END_MARKER, MarkersNotFound, block_values, render_block, replace_block, shared_analytics_columns,
)
from schema_generator.manifest_schemas import render_schemas_block, schema_definitions, stream_schema_definitions
from schema_generator.openapi import OpenApiSpec
from schema_generator.streams import build_schemas

SPEC_PATH = cli.default_spec_path()
SCHEMAS_DIR = cli.DEFAULT_SCHEMAS_DIR
MANIFEST_PATH = cli.DEFAULT_MANIFEST

# Primary keys from STREAMS.md (user_account_top_pins: pin_id plus its date window).
PRIMARY_KEYS = {
    "user_account": ["username"],
    "boards": ["id"],
    "board_sections": ["id"],
    "board_pins": ["id"],
    "board_section_pins": ["id"],
    "pins": ["id"],
    "user_account_analytics": ["date"],
    "pin_analytics": ["pin_id", "date"],
    "user_account_top_pins": ["pin_id", "start_date", "end_date"],
    "ad_accounts": ["id"],
    "campaigns": ["id"],
    "ad_groups": ["id"],
    "ads": ["id"],
    "product_group_promotions": ["id"],
    "audiences": ["id"],
    "keywords": ["id"],
    "campaign_keywords": ["id"],
    "conversion_tags": ["id"],
    "customer_lists": ["id"],
    "catalogs": ["id"],
    "catalogs_feeds": ["id"],
    "catalogs_product_groups": ["id"],
    "ad_account_analytics": ["AD_ACCOUNT_ID", "DATE"],
    "campaign_analytics": ["CAMPAIGN_ID", "DATE"],
    "ad_group_analytics": ["AD_GROUP_ID", "DATE"],
    "ad_analytics": ["AD_ID", "DATE"],
    "product_group_analytics": ["PRODUCT_GROUP_ID", "DATE"],
    "ad_account_targeting_analytics": ["AD_ACCOUNT_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "campaign_targeting_analytics": ["CAMPAIGN_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "ad_group_targeting_analytics": ["AD_GROUP_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "ad_targeting_analytics": ["AD_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "advertiser_report": ["ADVERTISER_ID", "DATE"],
    "advertiser_targeting_report": ["ADVERTISER_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "campaign_analytics_report": ["CAMPAIGN_ID", "DATE"],
    "campaign_targeting_report": ["CAMPAIGN_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "ad_group_report": ["AD_GROUP_ID", "DATE"],
    "ad_group_targeting_report": ["AD_GROUP_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "pin_promotion_report": ["PIN_PROMOTION_ID", "DATE"],
    "pin_promotion_targeting_report": ["PIN_PROMOTION_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "product_group_report": ["PRODUCT_GROUP_ID", "DATE"],
    "product_group_targeting_report": ["PRODUCT_GROUP_ID", "DATE", "TARGETING_TYPE", "TARGETING_VALUE"],
    "product_item_report": ["ITEM_ID", "DATE"],
    "keyword_report": ["KEYWORD_ID", "DATE"],
    "custom_report": ["DATE"],
}

FIXTURE_MANIFEST = f"""version: 6.60.0
definitions:
  kept: {{"a": 1}}  # a comment that must survive
{BEGIN_MARKER}
  generated:
    stale: "old"
{END_MARKER}
{manifest_schemas.BEGIN_MARKER}
{manifest_schemas.END_MARKER}
  after: true
streams: []
"""

# A manifest whose one stream loads the shared report schema.
FIXTURE_STREAM_MANIFEST = FIXTURE_MANIFEST.replace(
    "streams: []",
    """streams:
  - type: DeclarativeStream
    name: advertiser_report
    schema_loader: {type: InlineSchemaLoader, schema: {$ref: "#/definitions/schemas/report"}}
""",
)


def convert(schema: dict, components: dict | None = None) -> dict:
    return OpenApiSpec({"components": {"schemas": components or {}}}).to_json_schema(schema)


@pytest.fixture(scope="module")
def spec() -> OpenApiSpec:
    return OpenApiSpec(json.loads(SPEC_PATH.read_text()))


# --- type mapping ---------------------------------------------------------------------------


def test_a_property_the_spec_leaves_untyped_is_a_nullable_object_not_an_unmappable_any():
    """Airbyte maps a schema without exactly one non-null type to nothing (a warning, then VARCHAR)."""
    components = {"Words": {"description": "only words"}}
    schema = {"type": "object", "properties": {
        "assets": {"description": "a set of creative assets"},
        "by_ref": {"$ref": "#/components/schemas/Words"},
        "union": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    }}
    properties = convert(schema, components)["properties"]
    assert properties["assets"]["type"] == properties["by_ref"]["type"] == ["null", "object"]
    assert properties["union"] == {"type": ["null", "integer", "string"]}


def test_scalars_become_nullable_and_lose_openapi_only_keywords():
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "nullable": True, "example": "x", "readOnly": True, "x-internal": 1},
            "count": {"type": "integer", "writeOnly": True, "minimum": 0},
            "status": {"type": "string", "enum": ["A", "B"]},
        },
        "required": ["name"],
    }
    assert convert(schema) == {
        "type": ["null", "object"],
        "properties": {
            "name": {"type": ["null", "string"]},
            "count": {"type": ["null", "integer"]},
            "status": {"type": ["null", "string"]},
        },
    }


def test_date_time_and_date_formats():
    assert convert({"type": "string", "format": "date-time"}) == {
        "type": ["null", "string"],
        "format": "date-time",
        "airbyte_type": "timestamp_with_timezone",
    }
    assert convert({"type": "string", "format": "date"}) == {"type": ["null", "string"], "format": "date"}
    assert convert({"type": "string", "format": "password"}) == {"type": ["null", "string"]}


def test_descriptions_are_kept_short():
    long_text = "First <b>sentence</b> here. Second sentence is dropped."
    assert convert({"type": "string", "description": long_text})["description"] == "First sentence here."


def test_refs_are_resolved_inline_and_all_of_merged():
    components = {
        "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Time": {"type": "integer", "description": "Epoch seconds."},
    }
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"created_time": {"$ref": "#/components/schemas/Time"}}},
        ]
    }
    assert convert(schema, components) == {
        "type": ["null", "object"],
        "properties": {
            "id": {"type": ["null", "string"]},
            "created_time": {"type": ["null", "integer"], "description": "Epoch seconds."},
        },
    }


def test_all_of_with_a_typed_wrapper_keeps_the_wrappers_description():
    components = {"Window": {"type": "integer", "enum": [1, 7]}}
    schema = {"type": "integer", "description": "Days.", "allOf": [{"$ref": "#/components/schemas/Window"}]}
    assert convert(schema, components) == {"type": ["null", "integer"], "description": "Days."}


def test_one_of_scalars_becomes_a_type_union():
    assert convert({"oneOf": [{"type": "string"}, {"type": "integer"}]}) == {"type": ["null", "integer", "string"]}


def test_one_of_objects_merges_their_properties():
    schema = {
        "type": "object",
        "discriminator": {"propertyName": "kind"},
        "oneOf": [
            {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "integer"}}},
            {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "boolean"}}},
        ],
    }
    assert convert(schema) == {
        "type": ["null", "object"],
        "properties": {
            "kind": {"type": ["null", "string"]},
            "a": {"type": ["null", "integer", "string"]},
            "b": {"type": ["null", "boolean"]},
        },
    }


def test_any_of_that_cannot_be_merged_is_unconstrained():
    assert convert({"anyOf": [{"type": "string"}, {}]}) == {}


def test_one_of_with_different_string_formats_drops_the_format():
    schema = {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
    assert convert(schema) == {"type": ["null", "string"]}


def test_recursive_refs_are_cut():
    components = {
        "Node": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
        }
    }
    assert convert({"$ref": "#/components/schemas/Node"}, components) == {
        "type": ["null", "object"],
        "properties": {"name": {"type": ["null", "string"]}, "children": {"type": ["null", "array"], "items": {}}},
    }


# --- manifest block -------------------------------------------------------------------------


def test_block_replacement_keeps_the_rest_of_the_manifest():
    updated = replace_block(FIXTURE_MANIFEST, "  generated:\n    new: 1\n")
    before, after = FIXTURE_MANIFEST.split(BEGIN_MARKER)[0], FIXTURE_MANIFEST.split(END_MARKER)[1]
    assert updated == f"{before}{BEGIN_MARKER}\n  generated:\n    new: 1\n{END_MARKER}{after}"
    assert yaml.safe_load(updated)["definitions"] == {"kept": {"a": 1}, "generated": {"new": 1}, "after": True}


def test_the_schemas_block_has_its_own_markers():
    schemas_block = "  schemas:\n    s: {}\n"
    updated = replace_block(FIXTURE_MANIFEST, schemas_block, manifest_schemas.BEGIN_MARKER, manifest_schemas.END_MARKER)
    assert yaml.safe_load(updated)["definitions"] == {"kept": {"a": 1}, "generated": {"stale": "old"}, "schemas": {"s": {}}, "after": True}
    assert replace_block(updated, "  generated:\n    new: 1\n").count(schemas_block) == 1


def test_block_replacement_is_idempotent():
    once = replace_block(FIXTURE_MANIFEST, "  generated:\n    new: 1\n")
    assert replace_block(once, "  generated:\n    new: 1\n") == once


@pytest.mark.parametrize(
    "manifest",
    [
        "definitions:\n  a: 1\n",
        f"definitions:\n{BEGIN_MARKER}\n  a: 1\n",
        f"definitions:\n{END_MARKER}\n{BEGIN_MARKER}\n",
        f"definitions:\n{BEGIN_MARKER}\n{END_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n",
    ],
)
def test_block_replacement_refuses_missing_or_broken_markers(manifest):
    with pytest.raises(MarkersNotFound):
        replace_block(manifest, "  generated: {}\n")


def test_rendered_block_is_valid_yaml_under_definitions():
    block = render_block({"columns": {"a": "X,Y"}, "levels": ["L1", "L2"], "types": "T"})
    assert yaml.safe_load(f"definitions:\n{block}") == {
        "definitions": {"generated": {"columns": {"a": "X,Y"}, "levels": ["L1", "L2"], "types": "T"}}
    }


def test_identical_schemas_are_defined_once_named_by_what_their_streams_share():
    report, targeting, pin = ({"type": "object", "properties": {name: {"type": ["null", "string"]}}} for name in "abc")
    schemas = {"advertiser_report": report, "campaign_report": report, "keyword_report": {**report, "x": 1},
               "pins": pin, "board_pins": pin, "ad_targeting_report": targeting, "campaign_targeting_report": targeting}
    definitions, by_stream = schema_definitions(schemas)
    assert definitions == {"report": report, "keyword_report": {**report, "x": 1}, "pins": pin, "targeting_report": targeting}
    assert by_stream == {"advertiser_report": "report", "campaign_report": "report", "keyword_report": "keyword_report",
                         "pins": "pins", "board_pins": "pins", "ad_targeting_report": "targeting_report",
                         "campaign_targeting_report": "targeting_report"}


def test_a_shared_name_is_never_another_streams_name():
    shared, other = {"type": "object", "properties": {}}, {"type": "object"}
    # "report" is the name of a stream with another schema, and x_a / y_b share no words.
    definitions, by_stream = schema_definitions({"x_report": shared, "y_report": shared, "report": other, "x_a": other | {"a": 1}, "y_b": other | {"a": 1}})
    assert by_stream == {"x_report": "x_report", "y_report": "x_report", "report": "report", "x_a": "x_a", "y_b": "x_a"}
    assert len(definitions) == 3


def test_rendered_schemas_read_back_as_they_were():
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {
        "on": {"type": ["null", "boolean"]}, "a b": {"type": "string", "description": 'Says "hi" \u2019 \U0001f600.'},
        "nested": {"type": ["null", "object"], "properties": {"null": {}, "123": {"type": "integer"}}},
        "list": {"type": "array", "items": {"type": "object", "properties": {"x": {"enum": ["yes", None, 1.5]}}}},
    }}
    block = render_schemas_block({"s": schema})
    assert yaml.safe_load(f"definitions:\n{block}") == {"definitions": {"schemas": {"s": schema}}}
    assert '        "a b": {"description": ' in block  # one property a line
    assert "\n    s:\n      $schema:" in block


def test_check_names_streams_that_refer_to_the_wrong_schema():
    files = {"advertiser_report": {"type": "object", "properties": {"A": {}}}}
    manifest = replace_block(
        FIXTURE_STREAM_MANIFEST, render_schemas_block({"report": files["advertiser_report"], "other": {"type": "object"}}),
        manifest_schemas.BEGIN_MARKER, manifest_schemas.END_MARKER,
    )
    assert manifest_schemas.inline_schema_problems(manifest, files) == []
    wrong = manifest.replace("schemas/report", "schemas/other")
    assert manifest_schemas.inline_schema_problems(wrong, files) == [
        "stream advertiser_report: #/definitions/schemas/other differs from advertiser_report.json (use #/definitions/schemas/report)"
    ]
    (problem,) = manifest_schemas.inline_schema_problems(manifest.replace("schemas/report", "schemas/gone"), files)
    assert "do not resolve" in problem
    inline_loader = 'schema_loader: {type: InlineSchemaLoader, schema: {$ref: "#/definitions/schemas/report"}}'
    file_loader = 'schema_loader: {type: JsonFileSchemaLoader, file_path: "./s.json"}'
    (problem,) = manifest_schemas.inline_schema_problems(manifest.replace(inline_loader, file_loader), files)
    assert "is not an InlineSchemaLoader" in problem
    (problem,) = manifest_schemas.inline_schema_problems(manifest, {})
    assert "no schema file advertiser_report.json" in problem


# --- committed schemas (no spec needed) -----------------------------------------------------


@pytest.mark.parametrize("stream, primary_key", sorted(PRIMARY_KEYS.items()))
def test_every_stream_has_a_schema_with_its_primary_key(stream, primary_key):
    schema = json.loads((SCHEMAS_DIR / f"{stream}.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object" and schema["additionalProperties"] is True
    for field in primary_key:
        assert field in schema["properties"], f"{stream} lacks primary key field {field}"
        assert "null" in schema["properties"][field]["type"]


def _committed_manifest() -> dict:
    return manifest_schemas.load_yaml(MANIFEST_PATH.read_text())


def _committed_files() -> dict[str, dict]:
    return cli.schema_file_contents(SCHEMAS_DIR)


def test_every_stream_loads_an_inline_schema_equal_to_its_file():
    """The manifest alone is the connector (the Connector Builder gets nothing else), and its
    inline schemas are the per-stream files; custom reports (the dynamic stream's template) too."""
    manifest, files = _committed_manifest(), _committed_files()
    refs = stream_schema_definitions(manifest)
    assert set(refs) == set(files) == set(PRIMARY_KEYS)
    inline = manifest["definitions"]["schemas"]
    for stream, definition in refs.items():
        assert definition is not None, f"{stream} does not load a schema of definitions.schemas"
        assert inline[definition] == files[stream], f"{stream}: #/definitions/schemas/{definition} is not {stream}.json"
    assert manifest_schemas.inline_schema_problems(MANIFEST_PATH.read_text(), files) == []
    assert "JsonFileSchemaLoader" not in MANIFEST_PATH.read_text()


def test_identical_schemas_are_defined_once_in_the_manifest():
    manifest, files = _committed_manifest(), _committed_files()
    inline = manifest["definitions"]["schemas"]
    contents = [json.dumps(schema, sort_keys=True) for schema in inline.values()]
    assert len(set(contents)) == len(contents), "two definitions of definitions.schemas are identical"
    refs = stream_schema_definitions(manifest)
    assert set(refs.values()) == set(inline), "a definition no stream uses"
    for stream, other in [(a, b) for a in files for b in files if a < b and files[a] == files[b]]:
        assert refs[stream] == refs[other], f"{stream} and {other} have one schema but refer to two"
    assert schema_definitions(files)[0] == inline
    # The streams of STREAMS.md with one record shape: 12 report streams in 5 shapes, 4 targeting analytics in 1.
    assert len({refs[stream] for stream in PRIMARY_KEYS if stream.endswith("_report")}) == 5
    assert {refs[s] for s in PRIMARY_KEYS if s.endswith("_targeting_analytics")} == {"targeting_analytics"}


def test_feed_credentials_are_not_in_the_schema():
    schema = json.loads((SCHEMAS_DIR / "catalogs_feeds.json").read_text())
    assert "credentials" not in schema["properties"]


# --- generation from the spec ---------------------------------------------------------------


@pytest.mark.needs_openapi
def test_generation_is_deterministic(spec):
    fresh_spec = OpenApiSpec(json.loads(SPEC_PATH.read_text()))
    assert cli.generated_files(spec) == cli.generated_files(fresh_spec)
    assert render_block(block_values(spec)) == render_block(block_values(fresh_spec))


@pytest.mark.needs_openapi
def test_committed_schemas_are_up_to_date(spec):
    for name, text in cli.generated_files(spec).items():
        assert (SCHEMAS_DIR / name).read_text() == text, f"{name} is stale: run python -m schema_generator"


@pytest.mark.needs_openapi
def test_generated_schemas_cover_the_primary_keys(spec):
    schemas = build_schemas(spec)
    assert set(schemas) == set(PRIMARY_KEYS)
    for stream, primary_key in PRIMARY_KEYS.items():
        assert set(primary_key) <= set(schemas[stream]["properties"]), stream


@pytest.mark.needs_openapi
def test_record_shapes(spec):
    schemas = build_schemas(spec)
    campaign_created = schemas["campaigns"]["properties"]["created_time"]
    assert campaign_created["type"] == ["null", "integer"]
    analytics = schemas["ad_analytics"]["properties"]
    assert analytics["DATE"]["format"] == "date"
    assert analytics["SPEND_IN_MICRO_DOLLAR"] == {"type": ["null", "number"]}
    assert analytics["CAMPAIGN_NAME"]["type"] == ["null", "string"]
    assert schemas["ad_group_targeting_analytics"]["properties"]["TARGETING_VALUE"] == {"type": ["null", "string"]}
    metrics = schemas["user_account_analytics"]["properties"]["metrics"]["properties"]
    assert metrics["IMPRESSION"] == {"type": ["null", "number"]}
    assert "PIN_PROMOTION_ID" not in schemas["product_item_report"]["properties"]
    product_item = schemas["product_item_report"]["properties"]
    assert product_item["PRODUCT_ITEM_PRICE"] == product_item["PRODUCT_ITEM_SALE_PRICE"] == {"type": ["null", "string"]}


@pytest.mark.needs_openapi
def test_block_values(spec):
    values = block_values(spec)
    for stream, types in values["targeting_types"].items():
        assert "AGE_BUCKET_AND_GENDER" not in types.split(","), stream
        assert len(types.split(",")) <= 14, stream  # the parameters' maxItems
    assert "CAMPAIGN" in values["report_levels"] and "DAY" in values["report_granularities"]
    assert "SPEND_IN_DOLLAR" in values["report_columns"]
    groups = [group.split(",") for group in values["report_targeting_type_groups"]]
    assert all(len(group) <= 5 for group in groups)
    assert [t for group in groups for t in group] == values["report_targeting_types"]


@pytest.mark.needs_openapi
def test_cli_writes_then_checks_clean(tmp_path: Path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(FIXTURE_MANIFEST)
    schemas_dir = tmp_path / "schemas"
    args = ["--spec", str(SPEC_PATH), "--manifest", str(manifest), "--schemas-dir", str(schemas_dir)]

    assert cli.main([*args, "--check"]) == 1
    assert cli.main(args) == 0
    assert cli.main([*args, "--check"]) == 0
    definitions = manifest_schemas.load_yaml(manifest.read_text())["definitions"]
    generated = definitions["generated"]
    assert "SPEND_IN_DOLLAR" in generated["analytics_columns"] and "IMPRESSION" in generated["pin_metric_types"]
    assert definitions["schemas"]["report"] == json.loads((schemas_dir / "advertiser_report.json").read_text())
    assert definitions["schemas"] == schema_definitions(_committed_files())[0]

    (schemas_dir / "boards.json").write_text("{}\n")
    assert cli.main([*args, "--check"]) == 1


@pytest.mark.needs_openapi
def test_check_fails_when_the_inline_schemas_are_not_the_files_or_the_spec(tmp_path: Path, capsys):
    manifest, schemas_dir = tmp_path / "manifest.yaml", tmp_path / "schemas"
    manifest.write_text(FIXTURE_STREAM_MANIFEST)
    args = ["--spec", str(SPEC_PATH), "--manifest", str(manifest), "--schemas-dir", str(schemas_dir)]
    assert cli.main(args) == 0 and cli.main([*args, "--check"]) == 0
    written = manifest.read_text()

    # An inline schema edited by hand: differs from the spec and from the stream's file.
    before, report = written.split("\n    report:\n")
    manifest.write_text(before + "\n    report:\n" + report.replace('ADVERTISER_ID: {"type": ["null", "string"]', 'ADVERTISER_ID: {"type": ["null", "number"]', 1))
    assert manifest.read_text() != written
    capsys.readouterr()
    assert cli.main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert f"out of date: {manifest}" in err and "advertiser_report: #/definitions/schemas/report differs from advertiser_report.json" in err

    # A stream that refers to another stream's schema: the generated blocks are fine, the stream is not.
    manifest.write_text(written.replace("schemas/report", "schemas/keyword_report"))
    assert cli.main([*args, "--check"]) == 1
    assert "(use #/definitions/schemas/report)" in capsys.readouterr().err
    assert cli.main(args) == 1  # writing cannot fix a hand-written stream: it says which

    # A file edited by hand.
    manifest.write_text(written)
    (schemas_dir / "advertiser_report.json").write_text("{}\n")
    assert cli.main([*args, "--check"]) == 1


@pytest.mark.needs_openapi
def test_cli_fails_clearly_without_markers(tmp_path: Path, capsys):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("definitions: {}\n")
    assert cli.main(["--spec", str(SPEC_PATH), "--manifest", str(manifest), "--schemas-dir", str(tmp_path / "s")]) == 1
    assert BEGIN_MARKER.strip() in capsys.readouterr().err
    assert manifest.read_text() == "definitions: {}\n"


def test_cli_reports_a_missing_spec(tmp_path: Path, capsys):
    assert cli.main(["--spec", str(tmp_path / "missing.json")]) == 2
    assert "not found" in capsys.readouterr().err


def test_one_analytics_column_list_serves_every_ads_analytics_stream_until_the_spec_differs(monkeypatch):
    listed = {path: ["SPEND_IN_DOLLAR", "CTR"] for path in {**enums.ANALYTICS_PATHS, **enums.TARGETING_ANALYTICS_PATHS}.values()}
    monkeypatch.setattr(enums, "analytics_columns", lambda spec, path: listed[path])
    assert shared_analytics_columns(None) == ["SPEND_IN_DOLLAR", "CTR"]
    odd = enums.TARGETING_ANALYTICS_PATHS["ad_targeting_analytics"]
    listed[odd] = ["SPEND_IN_DOLLAR"]
    with pytest.raises(ValueError, match=f"no longer take one column list \\({re.escape(odd)} differ"):
        shared_analytics_columns(None)


def test_generated_lists_are_written_one_value_a_line():
    assert render_block({"report_levels": ["ADVERTISER", "CAMPAIGN"], "pin_metric_types": ["SAVE"]}) == (
        "  generated:\n"
        "    report_levels:\n"
        '      - "ADVERTISER"\n'
        '      - "CAMPAIGN"\n'
        "    pin_metric_types:\n"
        '      - "SAVE"\n'
    )
