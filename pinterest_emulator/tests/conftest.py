"""Fixtures: a running emulator (small profile, fixed date) and an authenticated client for it."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from pinterest_emulator import Emulator, EmulatorOptions

TODAY = "2025-06-01"


class Client:
    """A requests session with a bearer token, taking paths relative to ``/v5``."""

    def __init__(self, emulator: Emulator):
        self.emulator = emulator
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + emulator.issue_access_token()

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.emulator.base_url + path, params=params, timeout=10)

    def walk(self, path: str, **params: Any) -> list[dict]:
        """Every item of a paged list, following bookmarks."""
        items: list[dict] = []
        bookmark = None
        while True:
            response = self.get(path, **params, **({"bookmark": bookmark} if bookmark else {}))
            assert response.status_code == 200, response.text
            body = response.json()
            items.extend(body["items"])
            bookmark = body["bookmark"]
            if not bookmark:
                return items


@pytest.fixture
def options() -> EmulatorOptions:
    return EmulatorOptions(today=TODAY)


@pytest.fixture
def emulator(options: EmulatorOptions) -> Iterator[Emulator]:
    with Emulator(profile="small", seed=1, port=0, options=options) as running:
        yield running


@pytest.fixture
def client(emulator: Emulator) -> Client:
    return Client(emulator)


@pytest.fixture(scope="module")
def served() -> Iterator[Emulator]:
    """An emulator shared by the tests of a module that do not change its options or data."""
    with Emulator(profile="small", seed=1, port=0, options=EmulatorOptions(today=TODAY)) as running:
        yield running


@pytest.fixture(scope="module")
def api(served: Emulator) -> Client:
    return Client(served)


@pytest.fixture
def account_ids(emulator: Emulator) -> tuple[str, str]:
    """The big owned account (A) and the small shared one (B) of the small profile."""
    first, second = emulator.dataset.ad_accounts
    return first["id"], second["id"]
