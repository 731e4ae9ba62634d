"""Shared by every test folder."""

import pytest


@pytest.fixture(autouse=True)
def fresh_http_cache(tmp_path, monkeypatch):
    """The CDK caches parent streams' pages for the life of the process (in memory unless
    REQUEST_CACHE_PATH is set when the source is built): give each test its own cache, so one test's
    mocked pages are never served to another."""
    monkeypatch.setenv("REQUEST_CACHE_PATH", str(tmp_path))
