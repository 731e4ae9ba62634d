"""OAuth refresh with HTTP Basic client credentials, rotation, revocation, and bearer checks."""

import pytest
import requests

from pinterest_emulator import Emulator


def refresh(emulator, refresh_token=None, auth=None, **form):
    credentials = emulator.credentials
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token or credentials["refresh_token"], **form}
    return requests.post(emulator.base_url + "/oauth/token", data=data, timeout=10,
                         auth=auth or (credentials["client_id"], credentials["client_secret"]))


def test_refresh_issues_a_working_access_token_and_a_rotated_refresh_token(emulator):
    response = refresh(emulator, continuous_refresh="true", scope="ads:read")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["scope"] == "ads:read"
    assert body["expires_in"] == 2_592_000
    assert body["refresh_token"] != emulator.credentials["refresh_token"]
    assert body["refresh_token_expires_in"] > 0 and body["refresh_token_expires_at"] > 0
    api = requests.get(emulator.base_url + "/ad_accounts", headers={"Authorization": "Bearer " + body["access_token"]})
    assert api.status_code == 200
    assert refresh(emulator, body["refresh_token"]).status_code == 200


def test_old_refresh_token_keeps_working_without_strict_rotation(emulator):
    assert refresh(emulator).status_code == 200
    assert refresh(emulator).status_code == 200


def test_strict_rotation_invalidates_a_used_refresh_token(emulator):
    emulator.configure(strict_refresh_rotation=True)
    rotated = refresh(emulator).json()["refresh_token"]
    again = refresh(emulator)
    assert (again.status_code, again.json()) == (401, {"code": 283, "message": "The authorization grant is invalid"})
    assert refresh(emulator, rotated).status_code == 200


@pytest.mark.parametrize("auth", [("emulator-client-id", "wrong"), ("someone", "emulator-client-secret")])
def test_wrong_client_credentials_answer_401_code_2(emulator, auth):
    response = refresh(emulator, auth=auth)
    assert (response.status_code, response.json()) == (401, {"code": 2, "message": "Authentication failed."})


def test_client_credentials_must_come_as_http_basic(emulator):
    credentials = emulator.credentials
    response = requests.post(emulator.base_url + "/oauth/token", data={"grant_type": "refresh_token", **credentials})
    assert response.status_code == 401


def test_unknown_refresh_token_answers_401_code_283(emulator):
    response = refresh(emulator, "not-a-token")
    assert (response.status_code, response.json()["code"]) == (401, 283)


def test_revoked_refresh_tokens_fail(emulator):
    emulator.configure(revoke_refresh_tokens=True)
    assert (refresh(emulator).status_code, refresh(emulator).json()["code"]) == (401, 283)


def test_unsupported_grant_type(emulator):
    assert refresh(emulator, grant_type="client_credentials").status_code == 400


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_missing_or_unknown_bearer_token_answers_401(emulator, header):
    headers = {"Authorization": header} if header else {}
    response = requests.get(emulator.base_url + "/user_account", headers=headers)
    assert (response.status_code, response.json()) == (401, {"code": 2, "message": "Authentication failed."})


def test_expired_access_token_answers_401(options):
    options.access_token_ttl_seconds = 0
    with Emulator(profile="tiny", options=options) as emulator:
        token = refresh(emulator).json()["access_token"]
        response = requests.get(emulator.base_url + "/user_account", headers={"Authorization": "Bearer " + token})
        assert (response.status_code, response.json()["code"]) == (401, 2)


def test_a_server_clock_ahead_kills_tokens_before_their_expires_in(options):
    options.access_token_ttl_seconds, options.access_token_early_expiry_seconds = 60, 61
    with Emulator(profile="tiny", options=options) as emulator:
        answer = refresh(emulator).json()
        response = requests.get(emulator.base_url + "/user_account", headers={"Authorization": "Bearer " + answer["access_token"]})
        assert answer["expires_in"] == 60 and (response.status_code, response.json()["code"]) == (401, 2)
