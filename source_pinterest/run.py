"""Entry point of the packaged connector: `source-pinterest spec|check|discover|read`."""

import sys
import traceback
from pathlib import Path
from typing import Any, Mapping

import orjson

from jsonschema import Draft7Validator

from airbyte_cdk.entrypoint import PRINT_BUFFER, AirbyteEntrypoint
from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    FailureType,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    TraceType,
    Type,
)
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.sources.utils.schema_helpers import split_config
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_pinterest import components

MANIFEST_PATH = Path(__file__).parent / "manifest.yaml"


def register_components() -> None:
    """Make `components.py` importable under the names the manifest's class_name fields use."""
    sys.modules.setdefault("source_declarative_manifest.components", components)
    sys.modules.setdefault("components", components)


class SourcePinterest(YamlDeclarativeSource):
    def __init__(self, catalog=None, config: Mapping[str, Any] | None = None, state=None, config_path=None):
        register_components()
        super().__init__(str(MANIFEST_PATH), catalog=catalog, config=config, state=state, config_path=config_path)


class PinterestEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the offending field."""

    @staticmethod
    def validate_connection(source_spec, config) -> None:
        connector_config, _ = split_config(config)
        errors = Draft7Validator(source_spec.connectionSpecification).iter_errors(connector_config)
        error = next(iter(sorted(errors, key=lambda e: list(map(str, e.absolute_path)))), None)
        if error is not None:
            field = ".".join(str(part) for part in error.absolute_path) or "(top level)"
            raise AirbyteTracedException(
                message=f"Invalid configuration field '{field}': {error.message}",
                failure_type=FailureType.config_error,
            )


def create_source(args: list[str]) -> SourcePinterest | None:
    catalog_path = AirbyteEntrypoint.extract_catalog(args)
    config_path = AirbyteEntrypoint.extract_config(args)
    state_path = AirbyteEntrypoint.extract_state(args)
    try:
        return SourcePinterest(
            catalog=SourcePinterest.read_catalog(catalog_path) if catalog_path else None,
            config=SourcePinterest.read_config(config_path) if config_path else None,
            state=SourcePinterest.read_state(state_path) if state_path else None,
            config_path=config_path,
        )
    except Exception as error:  # the protocol wants a trace message, not a bare traceback
        trace = AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ERROR,
                emitted_at=ab_datetime_now().to_epoch_millis(),
                error=AirbyteErrorTraceMessage(
                    message=f"Could not start the Pinterest source: {error}",
                    stack_trace=traceback.format_exc(),
                ),
            ),
        )
        print(orjson.dumps(AirbyteMessageSerializer.dump(trace)).decode())
        return None


def run() -> None:
    args = sys.argv[1:]
    source = create_source(args)
    if source is None:
        sys.exit(1)
    entrypoint = PinterestEntrypoint(source)
    with PRINT_BUFFER:
        for message in entrypoint.run(entrypoint.parse_args(args)):
            print(f"{message}\n", end="")
