"""End-to-end helpers: an in-process Pinterest API emulator on 127.0.0.1 and the real source read through the CDK."""

from typing import Any

from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read

from pinterest_emulator import Emulator
from source_pinterest.run import SourcePinterest


def emulator_config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_method": "oauth2.0", **emulator.credentials},
        "api_base_url": emulator.base_url,
        "num_threads": 8,
    }
    config.update(overrides)
    return config


def catalog_of(*names: str, sync_mode: SyncMode = SyncMode.full_refresh) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in names:
        builder.with_stream(name, sync_mode)
    return builder.build()


def sync(config: dict, *names: str, sync_mode: SyncMode = SyncMode.full_refresh, state: list | None = None,
         expect_failure: bool = False) -> EntrypointOutput:
    catalog = catalog_of(*names, sync_mode=sync_mode)
    return read(SourcePinterest(catalog=catalog, config=config, state=state), config, catalog, state,
                expecting_exception=expect_failure)


def records_by_stream(output: EntrypointOutput) -> dict[str, list[dict]]:
    by_stream: dict[str, list[dict]] = {}
    for message in output.records:
        by_stream.setdefault(message.record.stream, []).append(message.record.data)
    return by_stream


def final_state(output: EntrypointOutput) -> list:
    """The last state message of each stream, as the platform would pass to the next sync."""
    last = {message.state.stream.stream_descriptor.name: message.state for message in output.state_messages}
    return list(last.values())
