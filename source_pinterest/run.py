"""Entry point of the packaged connector: `source-pinterest spec|check|discover|read`."""

import ast
import ctypes
import sys
import threading
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
from airbyte_cdk.sources.declarative.interpolation.jinja import JinjaInterpolation
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.sources.utils.schema_helpers import split_config
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_pinterest import components

MANIFEST_PATH = Path(__file__).parent / "manifest.yaml"


def register_components() -> None:
    """Make `components.py` importable under the names the manifest's class_name fields use. This
    process is never the Connector Builder: a rotated token's config is printed once, not also queued
    for the Builder (which would print it a second time)."""
    sys.modules.setdefault("source_declarative_manifest.components", components)
    sys.modules.setdefault("components", components)
    components.OAuthWithDirectConfigLookups.emits_config_to_message_repository = False


# The CDK queues up to 10,000 records between its workers and the writing thread. A report row with
# all its columns is about 30 KB as a dict, and the writer is the slower side, so the queue stays
# full: 200 still keeps the writer busy, and holds 6 MB of them where 10,000 held 300.
RECORD_QUEUE_SIZE = 200


class SourcePinterest(YamlDeclarativeSource):
    def __init__(self, catalog=None, config: Mapping[str, Any] | None = None, state=None, config_path=None):
        register_components()
        serialize_literal_evals()
        super().__init__(str(MANIFEST_PATH), catalog=catalog, config=config, state=state, config_path=config_path)
        self._concurrent_source._queue.maxsize = RECORD_QUEUE_SIZE

    def check(self, logger, config):
        """The spec's config validations first: a failing one then answers `check` with its own sentence
        (the CDK's check would quote it inside "Encountered an error while discovering streams" and log
        a traceback). The entrypoint turns the config error into a FAILED status. Any other failure's
        message loses the quotes of the repr() the CDK's check gives it."""
        if self._spec_component:
            self._spec_component.validate_config(self._config_for_validation)
        status = super().check(logger, config)
        if status.message and status.message[:1] in "'\"":
            status.message = ast.literal_eval(status.message)
        return status


# CPython 3.11 counts AST-construction depth per interpreter, not per thread (python/cpython#106905,
# fixed in 3.12 only), so the CDK's `ast.literal_eval` of interpolated values, called from worker
# threads, fails at random with "SystemError: AST constructor recursion depth mismatch". This process
# runs our connector alone, so here (never in components.py) those calls take turns.
_LITERAL_EVAL_LOCK = threading.Lock()
_cdk_literal_eval = JinjaInterpolation._literal_eval


def _one_literal_eval_at_a_time(interpolation: JinjaInterpolation, result: Any, valid_types: Any) -> Any:
    with _LITERAL_EVAL_LOCK:
        return _cdk_literal_eval(interpolation, result, valid_types)


def serialize_literal_evals() -> None:
    if sys.version_info < (3, 12):
        JinjaInterpolation._literal_eval = _one_literal_eval_at_a_time  # type: ignore[method-assign]


class PinterestEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the offending field."""

    @staticmethod
    def validate_connection(source_spec, config) -> None:
        connector_config, _ = split_config(config)
        errors = Draft7Validator(source_spec.connectionSpecification).iter_errors(connector_config)
        error = next(iter(sorted(errors, key=lambda e: list(map(str, e.absolute_path)))), None)
        if error is None:
            return
        path = [str(part) for part in error.absolute_path]
        if error.validator == "required":
            missing = next(name for name in error.validator_value if name not in error.instance)
            about = error.schema.get("properties", {}).get(missing, {}).get("description")
            message = f"Configuration field '{'.'.join([*path, missing])}' is missing. Add it{': ' + about if about else '.'}"
        else:
            message = f"Invalid configuration field '{'.'.join(path) or '(top level)'}': {error.message}"
        raise AirbyteTracedException(message=message, internal_message=str(error), failure_type=FailureType.config_error)


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


def fewer_malloc_arenas() -> None:
    """glibc gives each thread that allocates its own arena (up to 8 per core), and the memory of rows
    freed by the writing thread stays in the workers' arenas: two arenas took 8 to 10% off the peak
    RSS of a medium-profile report stream.
    Set in this process only (the Connector Builder's server never runs this entry point)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc
    libc.mallopt(_M_ARENA_MAX, 2)


_M_ARENA_MAX = -8  # malloc.h


def run() -> None:
    fewer_malloc_arenas()
    args = sys.argv[1:]
    source = create_source(args)
    if source is None:
        sys.exit(1)
    entrypoint = PinterestEntrypoint(source)
    with PRINT_BUFFER:
        for message in entrypoint.run(entrypoint.parse_args(args)):
            print(f"{message}\n", end="")
