"""python -m schema_generator [--spec PATH] [--manifest PATH] [--check]

Writes source_pinterest/schemas/<stream>.json and the two generated blocks of the manifest (enum
values; the stream schemas, each distinct one once under definitions.schemas) from Pinterest's
OpenAPI description, then checks that every stream of the manifest refers to the inline schema
equal to its file. --check writes nothing and exits 1 if the committed files differ from what the
spec generates or a stream refers to the wrong schema.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from . import manifest_schemas
from .manifest_block import MarkersNotFound, block_values, render_block, replace_block
from .openapi import OpenApiSpec
from .streams import build_schemas

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "shared/pinterest-api/openapi.json"
SPEC_ENV_VAR = "PINTEREST_OPENAPI"
DEFAULT_MANIFEST = REPO_ROOT / "source_pinterest/manifest.yaml"
DEFAULT_SCHEMAS_DIR = REPO_ROOT / "source_pinterest/schemas"


def default_spec_path() -> Path:
    return Path(os.environ.get(SPEC_ENV_VAR) or DEFAULT_SPEC)


def schema_file_text(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def generated_files(spec: OpenApiSpec) -> dict[str, str]:
    """File name -> content of every schema file."""
    return {f"{stream}.json": schema_file_text(schema) for stream, schema in build_schemas(spec).items()}


def updated_manifest(spec: OpenApiSpec, manifest_path: Path) -> str:
    if not manifest_path.exists():
        raise MarkersNotFound(f"{manifest_path} does not exist")
    text = replace_block(manifest_path.read_text(), render_block(block_values(spec)))
    definitions, _ = manifest_schemas.schema_definitions(build_schemas(spec))
    schemas_block = manifest_schemas.render_schemas_block(definitions)
    return replace_block(text, schemas_block, manifest_schemas.BEGIN_MARKER, manifest_schemas.END_MARKER)


def schema_file_contents(schemas_dir: Path) -> dict[str, dict]:
    """Stream -> parsed schema file of `schemas_dir`."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(schemas_dir.glob("*.json"))}


def stream_problems(schemas_dir: Path, manifest_path: Path) -> list[str]:
    """Streams of the manifest whose inline schema is not their schema file."""
    problems = manifest_schemas.inline_schema_problems(manifest_path.read_text(), schema_file_contents(schemas_dir))
    return [f"{manifest_path}: {problem}" for problem in problems]


def check(spec: OpenApiSpec, schemas_dir: Path, manifest_path: Path) -> list[str]:
    """Paths whose committed content differs from the generated one."""
    stale = [
        str(schemas_dir / name)
        for name, text in generated_files(spec).items()
        if not (schemas_dir / name).exists() or (schemas_dir / name).read_text() != text
    ]
    if updated_manifest(spec, manifest_path) != manifest_path.read_text():
        stale.append(str(manifest_path))
    return stale


def write(spec: OpenApiSpec, schemas_dir: Path, manifest_path: Path) -> None:
    schemas_dir.mkdir(parents=True, exist_ok=True)
    for name, text in generated_files(spec).items():
        path = schemas_dir / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    manifest_text = updated_manifest(spec, manifest_path)
    if manifest_text != manifest_path.read_text():
        manifest_path.write_text(manifest_text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schema_generator", description=__doc__.splitlines()[2])
    parser.add_argument("--spec", type=Path, default=None, help=f"OpenAPI JSON (default: ${SPEC_ENV_VAR} or {DEFAULT_SPEC})")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST, help="manifest.yaml holding the generated block")
    parser.add_argument("--schemas-dir", type=Path, default=DEFAULT_SCHEMAS_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help="exit 1 if committed outputs are out of date")
    args = parser.parse_args(argv)

    spec_path = args.spec or default_spec_path()
    if not spec_path.exists():
        print(f"error: OpenAPI spec not found at {spec_path} (use --spec or ${SPEC_ENV_VAR})", file=sys.stderr)
        return 2
    spec = OpenApiSpec(json.loads(spec_path.read_text()))
    try:
        if args.check:
            stale = check(spec, args.schemas_dir, args.manifest)
            for path in stale:
                print(f"out of date: {path}", file=sys.stderr)
            if stale:
                print("run `python -m schema_generator` and commit the result", file=sys.stderr)
        else:
            stale = []
            write(spec, args.schemas_dir, args.manifest)
        # The streams' schema_loader lines are hand-written: name those that load the wrong schema.
        problems = stream_problems(args.schemas_dir, args.manifest)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1 if stale or problems else 0
    except MarkersNotFound as error:
        print(f"error: cannot update the manifest's generated blocks: {error}", file=sys.stderr)
        return 1
