"""OAuth: refresh with HTTP Basic client credentials, rotated refresh tokens persisted, re-auth errors."""

import json

from airbyte_cdk.models import FailureType
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse

from unit_tests.support import (
    ACCESS_TOKEN,
    BASE_URL,
    ROTATED_REFRESH_TOKEN,
    make_config,
    emitted_configs,
    page,
    read_streams,
    token_request,
    token_response,
)


def boards_request() -> HttpRequest:
    return HttpRequest(f"{BASE_URL}/boards", query_params={"page_size": "250"}, headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})


def test_rotated_refresh_token_is_emitted_as_a_config_control_message(capsys):
    with HttpMocker() as http_mocker:
        http_mocker.post(token_request(), token_response(ROTATED_REFRESH_TOKEN))
        http_mocker.get(boards_request(), page([{"id": "1"}]))
        output = read_streams(make_config(), "boards")

    configs = emitted_configs(capsys.readouterr().out)
    assert len(configs) == 1
    persisted = configs[0]["credentials"]
    assert persisted["refresh_token"] == ROTATED_REFRESH_TOKEN
    assert persisted["access_token"] == ACCESS_TOKEN
    assert [r.record.data["id"] for r in output.records] == ["1"]


def test_a_401_refreshes_the_token_once_and_retries(capsys):
    with HttpMocker() as http_mocker:
        http_mocker.post(token_request(), token_response("rotated-once"))
        # The second refresh must present the token Pinterest rotated in the first one.
        http_mocker.post(token_request("rotated-once"), token_response("rotated-twice"))
        http_mocker.get(
            boards_request(),
            [HttpResponse(json.dumps({"code": 2, "message": "Authentication failed."}), 401), page([{"id": "7"}])],
        )
        output = read_streams(make_config(), "boards")

    assert [r.record.data["id"] for r in output.records] == ["7"]
    final = emitted_configs(capsys.readouterr().out)[-1]
    assert final["credentials"]["refresh_token"] == "rotated-twice"


def test_a_revoked_refresh_token_is_a_config_error_asking_to_reauthenticate():
    with HttpMocker() as http_mocker:
        http_mocker.post(
            token_request(),
            HttpResponse(json.dumps({"error": "invalid_grant", "error_description": "Refresh token revoked"}), 400),
        )
        output = read_streams(make_config(), "boards", expect_failure=True)

    assert not output.records
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert "refresh" in error.message.lower()
