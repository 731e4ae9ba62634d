"""Fixtures of the end-to-end tests (helpers are in unit_tests/support.py): an emulator frozen to
today for the report tests, and the report request bodies it received."""

from typing import Any, Iterator

import pytest

from pinterest_emulator import Emulator, EmulatorOptions, reports
from unit_tests.support import TODAY


@pytest.fixture
def report_bodies(monkeypatch) -> list[dict]:
    """Every report request body the emulator validated, in order."""
    bodies: list[dict] = []
    validate = reports.normalised_body

    def recording(body: Any) -> dict:
        result = validate(body)
        bodies.append(result)
        return result

    monkeypatch.setattr(reports, "normalised_body", recording)
    return bodies


@pytest.fixture
def emulator(fast_polling) -> Iterator[Emulator]:
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(today=TODAY.isoformat())) as emu:
        yield emu
