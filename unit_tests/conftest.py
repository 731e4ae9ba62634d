"""Fixtures of the offline tests (helpers are in unit_tests/support.py)."""

from typing import Any

import pytest

from unit_tests.support import make_config


@pytest.fixture
def config() -> dict[str, Any]:
    return make_config()
