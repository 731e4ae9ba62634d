"""OAuth: refresh with HTTP Basic client credentials, rotated refresh tokens persisted, re-auth errors,
and the authenticator (OAuthWithDirectConfigLookups) as the manifest builds it."""

import json

import dpath
import pytest
import yaml

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.models.declarative_component_schema import CustomAuthenticator as CustomAuthenticatorModel
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
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
from source_pinterest.components import OAuthWithDirectConfigLookups
from source_pinterest.run import MANIFEST_PATH, register_components


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


@pytest.mark.parametrize(
    "answer",
    [
        HttpResponse(json.dumps({"code": 283, "message": "The authorization grant is invalid"}), 401),  # Pinterest's own body
        HttpResponse(json.dumps({"error": "invalid_grant", "error_description": "Refresh token revoked"}), 400),
        HttpResponse(json.dumps({"code": 1, "message": "Invalid parameters."}), 400),
        HttpResponse("<html>Unauthorized</html>", 401),
    ],
    ids=["code 283", "invalid_grant", "other 400", "not json"],
)
def test_any_400_or_401_from_the_token_endpoint_is_a_config_error_asking_to_reauthenticate(answer):
    with HttpMocker() as http_mocker:
        http_mocker.post(token_request(), answer)
        output = read_streams(make_config(), "boards", expect_failure=True)

    assert not output.records
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert error.message.startswith("Refresh token was rejected by the OAuth provider (invalid, expired, or already used). Re-authenticate")


def built_authenticator(config: dict) -> OAuthWithDirectConfigLookups:
    """The authenticator as the manifest defines it, built by the CDK's factory."""
    definition = yaml.safe_load(MANIFEST_PATH.read_text())["definitions"]["authenticator"]
    register_components()
    config.setdefault("api_base_url", BASE_URL)  # the spec's default, which the source adds
    return ModelToComponentFactory().create_component(CustomAuthenticatorModel, definition, config)


def test_the_authenticator_looks_its_config_paths_up_without_walking_the_config(monkeypatch):
    """dpath.get walks the whole config, which holds the manifest in manifest-only deployments."""
    def walk_of_the_whole_config(*args, **kwargs):
        raise AssertionError("dpath.get called")

    config = {**make_config(), "__injected_declarative_manifest": {"definitions": {}}}
    config["credentials"]["token_expiry_date"] = "2999-01-01T00:00:00+00:00"
    config["credentials"]["access_token"] = "saved-access-token"
    monkeypatch.setattr(dpath, "get", walk_of_the_whole_config)
    monkeypatch.setenv("AIRBYTE_ENABLE_UNSAFE_CODE", "true")  # a config with a manifest is untrusted
    authenticator = built_authenticator(config)
    assert authenticator.get_access_token() == "saved-access-token"  # not expired: no refresh
    assert authenticator.get_refresh_token() == config["credentials"]["refresh_token"]
    assert authenticator._get_config_value_by_path(["credentials", "missing"], "fallback") == "fallback"
    assert authenticator._get_config_value_by_path(["api_base_url", "deeper"]) == ""
    assert authenticator.get_token_refresh_endpoint() == f"{BASE_URL}/oauth/token"
    assert authenticator.get_refresh_request_body() == {"continuous_refresh": "true"}


def test_the_authenticator_keeps_rotated_tokens_in_the_config_it_was_given():
    config = make_config()
    with HttpMocker() as http_mocker:
        http_mocker.post(token_request(), token_response(ROTATED_REFRESH_TOKEN))
        assert built_authenticator(config).get_access_token() == ACCESS_TOKEN
    assert config["credentials"]["refresh_token"] == ROTATED_REFRESH_TOKEN
    assert config["credentials"]["access_token"] == ACCESS_TOKEN
