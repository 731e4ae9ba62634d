"""Shared helpers: a config, catalogs and an OAuth mock for driving the real source offline."""

import base64
import json
from typing import Any

import pytest

from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder  # noqa: F401  (re-exported for tests)

from source_pinterest.run import SourcePinterest

BASE_URL = "https://api.pinterest.com/v5"
CLIENT_ID = "client-id-1111"
CLIENT_SECRET = "client-secret-2222"
REFRESH_TOKEN = "refresh-token-3333"
ROTATED_REFRESH_TOKEN = "refresh-token-rotated-4444"
ACCESS_TOKEN = "access-token-5555"


def make_config(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "credentials": {
            "auth_method": "oauth2.0",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        },
    }
    config.update(overrides)
    return config


def make_catalog(*names: str, sync_mode: SyncMode = SyncMode.full_refresh) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in names:
        builder.with_stream(name, sync_mode)
    return builder.build()


def read_streams(config: dict, *names: str, state: list | None = None, sync_mode=SyncMode.full_refresh, expect_failure=False) -> EntrypointOutput:
    catalog = make_catalog(*names, sync_mode=sync_mode)
    source = SourcePinterest(catalog=catalog, config=config, state=state)
    return read(source, config, catalog, state, expecting_exception=expect_failure)


def token_request(refresh_token: str = REFRESH_TOKEN) -> HttpRequest:
    """The refresh Pinterest expects: client credentials in HTTP Basic only, form body."""
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    return HttpRequest(
        f"{BASE_URL}/oauth/token",
        headers={"Authorization": f"Basic {basic}"},
        body=f"grant_type=refresh_token&refresh_token={refresh_token}&continuous_refresh=true",
    )


def token_response(refresh_token: str = ROTATED_REFRESH_TOKEN) -> HttpResponse:
    return HttpResponse(
        json.dumps(
            {
                "access_token": ACCESS_TOKEN,
                "token_type": "bearer",
                "expires_in": 2592000,
                "scope": "ads:read boards:read pins:read user_accounts:read catalogs:read",
                "refresh_token": refresh_token,
                "refresh_token_expires_in": 5184000,
            }
        ),
        200,
    )


def mock_oauth(http_mocker: HttpMocker) -> None:
    http_mocker.post(token_request(), token_response())


def page(items: list[dict], bookmark: str | None = None) -> HttpResponse:
    return HttpResponse(json.dumps({"items": items, "bookmark": bookmark}), 200)


def emitted_configs(stdout: str) -> list[dict[str, Any]]:
    """Configs of the CONNECTOR_CONFIG control messages, which the CDK prints straight to stdout."""
    messages = [json.loads(line) for line in stdout.splitlines() if line.startswith('{"type":"CONTROL"')]
    return [m["control"]["connectorConfig"]["config"] for m in messages]


@pytest.fixture
def config() -> dict[str, Any]:
    return make_config()
