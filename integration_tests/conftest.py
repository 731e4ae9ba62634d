"""End-to-end helpers: an in-process Pinterest API emulator on 127.0.0.1 and the real source read through the CDK."""

from typing import Any

from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput

from pinterest_emulator import Emulator
from unit_tests.conftest import read_streams as sync  # noqa: F401  (the same read, against the emulator)


def emulator_config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_method": "oauth2.0", **emulator.credentials},
        "api_base_url": emulator.base_url,
        "num_threads": 8,
    }
    config.update(overrides)
    return config


def records_by_stream(output: EntrypointOutput) -> dict[str, list[dict]]:
    by_stream: dict[str, list[dict]] = {}
    for message in output.records:
        by_stream.setdefault(message.record.stream, []).append(message.record.data)
    return by_stream


def final_state(output: EntrypointOutput) -> list:
    """The last state message of each stream, as the platform would pass to the next sync."""
    last = {message.state.stream.stream_descriptor.name: message.state for message in output.state_messages}
    return list(last.values())
