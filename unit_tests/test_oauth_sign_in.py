"""The spec's advanced_auth, which gives the Airbyte UI its "Authenticate your Pinterest account"
button: valid for the protocol, pointing at fields the spec has, asking for the scopes the streams
need, and rendering (as the platform's Jinja does) the consent URL and the code exchange of the set-up
guide (docs/pinterest.md): HTTP Basic client credentials and a form body."""

import base64
import json
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import jinja2
import pytest
import yaml

from airbyte_cdk.models import AirbyteMessage, AirbyteMessageSerializer, Type

from schema_generator.cli import default_spec_path
from source_pinterest.run import MANIFEST_PATH, SourcePinterest

MANIFEST = yaml.safe_load(MANIFEST_PATH.read_text())
ADVANCED_AUTH = MANIFEST["spec"]["advanced_auth"]
CONNECTOR_INPUT = ADVANCED_AUTH["oauth_config_specification"]["oauth_connector_input_specification"]
PLATFORM = jinja2.Environment(undefined=jinja2.StrictUndefined)
PLATFORM.filters["b64encode"] = lambda text: base64.b64encode(text.encode()).decode()


def emitted_spec():
    """The SPEC message as the connector prints it, read back through the protocol model."""
    message = AirbyteMessageSerializer.dump(AirbyteMessage(type=Type.SPEC, spec=SourcePinterest().spec(None)))
    return AirbyteMessageSerializer.load(json.loads(json.dumps(message))).spec


def _property(spec: dict, path: list[str]) -> dict:
    node = {"properties": spec}
    for key in path:
        node = node["properties"][key]
    return node


def test_the_spec_message_carries_advanced_auth_for_the_oauth_credentials():
    spec = emitted_spec()
    auth = spec.advanced_auth
    assert auth.auth_flow_type.value == "oauth2.0"
    properties = spec.connectionSpecification["properties"]
    assert _property(properties, auth.predicate_key)["const"] == auth.predicate_value
    config_spec = auth.oauth_config_specification
    outputs = {**config_spec.complete_oauth_output_specification["properties"],
               **config_spec.complete_oauth_server_output_specification["properties"]}
    assert {name: output["path_in_connector_config"] for name, output in outputs.items()} == {
        name: ["credentials", name] for name in ("access_token", "refresh_token", "token_expiry_date", "client_id", "client_secret")
    }
    for output in outputs.values():
        assert _property(properties, output["path_in_connector_config"])["type"] == "string"
    assert set(config_spec.complete_oauth_server_input_specification["properties"]) == {"client_id", "client_secret"}
    # Every field the platform takes from Pinterest's answer is one its token response has.
    assert set(CONNECTOR_INPUT["extract_output"]) <= {"access_token", "refresh_token", "expires_in", "refresh_token_expires_in", "scope"}


def scopes_named(node) -> set[str]:
    """The `scope` parameters (the OAuth scopes a stream's calls need, comma-separated) under `node`."""
    if isinstance(node, list):
        return {scope for value in node for scope in scopes_named(value)}
    if not isinstance(node, dict):
        return set()
    own = {scope.strip() for scope in node["scope"].split(",")} if isinstance(node.get("scope"), str) else set()
    return own | {scope for value in node.values() for scope in scopes_named(value)}


def test_the_sign_in_asks_for_exactly_the_scopes_the_streams_name():
    assert set(CONNECTOR_INPUT["scope"].split(",")) == scopes_named(MANIFEST["definitions"]) == {
        "ads:read", "boards:read", "pins:read", "user_accounts:read", "catalogs:read",
    }


def platform_values() -> dict:
    """The template values the platform provides (its `*_param` are name=value, redirect_uri and scope encoded)."""
    values = {"client_id_value": "1484", "client_secret_value": "s3cret", "auth_code_value": "code-42",
              "redirect_uri_value": "https://airbyte.example.com/auth_flow", "state_value": "AbCdEfG",
              "scope_value": CONNECTOR_INPUT["scope"]}
    values.update(client_id_param="client_id=1484", state_param="state=AbCdEfG",
                  redirect_uri_param="redirect_uri=" + quote(values["redirect_uri_value"], safe=""),
                  scope_param="scope=" + quote(values["scope_value"], safe=""))
    return values


def test_the_consent_url_is_pinterests_with_the_app_redirect_scopes_and_state():
    url = urlsplit(PLATFORM.from_string(CONNECTOR_INPUT["consent_url"]).render(platform_values()))
    assert (url.scheme, url.netloc, url.path) == ("https", "www.pinterest.com", "/oauth/")
    assert parse_qs(url.query) == {
        "client_id": ["1484"], "redirect_uri": ["https://airbyte.example.com/auth_flow"], "response_type": ["code"],
        "scope": ["ads:read,boards:read,pins:read,user_accounts:read,catalogs:read"], "state": ["AbCdEfG"],
    }


def test_the_code_exchange_is_a_form_post_with_basic_client_credentials_asking_for_continuous_refresh():
    values = platform_values()
    headers = {name: PLATFORM.from_string(value).render(values) for name, value in CONNECTOR_INPUT["access_token_headers"].items()}
    params = {name: PLATFORM.from_string(value).render(values) for name, value in CONNECTOR_INPUT["access_token_params"].items()}
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"1484:s3cret").decode()
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"  # what makes the platform send a form body
    assert parse_qs(urlencode(params)) == {
        "grant_type": ["authorization_code"], "code": ["code-42"],
        "redirect_uri": ["https://airbyte.example.com/auth_flow"], "continuous_refresh": ["true"],
    }


@pytest.mark.needs_openapi
def test_the_sign_in_urls_and_scopes_are_those_of_pinterests_openapi_description():
    flow = json.loads(default_spec_path().read_text())["components"]["securitySchemes"]["pinterest_oauth2"]["flows"]["authorizationCode"]
    assert CONNECTOR_INPUT["consent_url"].startswith(flow["authorizationUrl"] + "?")
    assert CONNECTOR_INPUT["access_token_url"] == flow["tokenUrl"]
    assert set(CONNECTOR_INPUT["scope"].split(",")) <= set(flow["scopes"])
