"""The emulator's entity responses (successes and errors) validate against Pinterest's OpenAPI description.

OpenAPI 3.0 schemas become JSON Schema 2020-12: ``nullable`` turns into "or null", discriminator
mappings select the mapped schema, component ``$ref``s point into ``$defs``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from pinterest_emulator.routing import ROUTES
from schema_generator.cli import default_spec_path

jsonschema = pytest.importorskip("jsonschema")

SPEC_PATH = default_spec_path()
pytestmark = pytest.mark.needs_openapi

DROPPED_KEYWORDS = {"nullable", "discriminator", "example", "examples", "xml", "externalDocs", "readOnly",
                    "writeOnly", "deprecated", "title", "description"}
ALL_STATUSES = "ACTIVE,PAUSED,ARCHIVED"


def to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROPPED_KEYWORDS:
            continue
        if key == "$ref":
            converted[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key in ("properties", "patternProperties"):
            converted[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        else:
            converted[key] = to_json_schema(value)
    if node.get("exclusiveMinimum") is True:  # OpenAPI 3.0 boolean form
        converted["exclusiveMinimum"] = converted.pop("minimum")
    mapping = (node.get("discriminator") or {}).get("mapping")
    if mapping:
        name = node["discriminator"]["propertyName"]
        if "oneOf" in converted:  # the discriminator, not "exactly one", decides the branch
            converted["anyOf"] = converted.pop("oneOf")
        converted.setdefault("allOf", []).extend(
            {"if": {"required": [name], "properties": {name: {"const": value}}},
             "then": {"$ref": target.replace("#/components/schemas/", "#/$defs/")}}
            for value, target in mapping.items())
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


@pytest.fixture(scope="module")
def definitions(spec) -> dict:
    return {name: to_json_schema(schema) for name, schema in spec["components"]["schemas"].items()}


def assert_conforms(spec: dict, definitions: dict, method: str, template: str, response: requests.Response) -> None:
    operation = spec["paths"][template][method.lower()]
    documented = operation["responses"].get(str(response.status_code)) or operation["responses"].get("default")
    assert documented, f"{method} {template} does not document status {response.status_code}"
    schema = to_json_schema(documented["content"]["application/json"]["schema"])
    validator = jsonschema.Draft202012Validator({**schema, "$defs": definitions})
    errors = sorted(validator.iter_errors(response.json()), key=lambda error: list(error.absolute_path))
    assert not errors, f"{method} {template} {response.status_code}: " + "; ".join(
        f"{list(error.absolute_path)}: {error.message[:300]}" for error in errors[:5])


def entity_ids(emulator) -> dict[str, str]:
    dataset = emulator.dataset
    account_id = dataset.ad_accounts[0]["id"]
    board = max(dataset.boards, key=lambda board: board["pin_count"])
    promotion = dataset.product_group_promotions[account_id][0]
    keyword_groups = sorted({k["parent_id"] for k in dataset.keywords[account_id] if k["parent_type"] == "ad_group"})
    return {"ad_account_id": account_id, "board_id": board["id"], "section_id": dataset.board_sections[board["id"]][0]["id"],
            "promotion_ad_group_id": promotion["ad_group_id"], "keyword_ad_group_ids": ",".join(keyword_groups[:250])}


# (template, query) of every entity endpoint; "{...}" in queries are filled like the path
SUCCESS_CASES = [
    ("/user_account", {}),
    ("/boards", {"page_size": 250}),
    ("/boards/{board_id}/sections", {}),
    ("/boards/{board_id}/pins", {"page_size": 250, "pin_metrics": "true"}),
    ("/boards/{board_id}/sections/{section_id}/pins", {"page_size": 250}),
    ("/pins", {"page_size": 250}),
    ("/ad_accounts", {}),
    ("/ad_accounts/{ad_account_id}", {}),
    ("/ad_accounts/{ad_account_id}/campaigns", {"page_size": 250, "entity_statuses": ALL_STATUSES}),
    ("/ad_accounts/{ad_account_id}/ad_groups", {"page_size": 250, "entity_statuses": ALL_STATUSES}),
    ("/ad_accounts/{ad_account_id}/ads", {"page_size": 250, "entity_statuses": ALL_STATUSES}),
    ("/ad_accounts/{ad_account_id}/product_group_promotions",
     {"ad_group_id": "{promotion_ad_group_id}", "entity_statuses": ALL_STATUSES}),
    ("/ad_accounts/{ad_account_id}/audiences", {}),
    ("/ad_accounts/{ad_account_id}/keywords", {"page_size": 250, "ad_group_ids": "{keyword_ad_group_ids}"}),
    ("/ad_accounts/{ad_account_id}/conversion_tags", {}),
    ("/ad_accounts/{ad_account_id}/customer_lists", {}),
    ("/catalogs", {}),
    ("/catalogs/feeds", {}),
    ("/catalogs/product_groups", {"page_size": 100}),
]
AD_ACCOUNT_TEMPLATES = [template for template, _ in SUCCESS_CASES if template.startswith("/ad_accounts/")]
BOARD_TEMPLATES = [template for template, _ in SUCCESS_CASES if template.startswith(("/boards", "/pins"))]


def fill(text: str, ids: dict[str, str]) -> str:
    return text.format(**ids) if isinstance(text, str) else text


@pytest.mark.parametrize("template, query", SUCCESS_CASES, ids=[case[0] for case in SUCCESS_CASES])
def test_success_responses_conform(spec, definitions, served, api, template, query):
    ids = entity_ids(served)
    response = api.get(fill(template, ids), **{name: fill(value, ids) for name, value in query.items()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("items", [body]), "nothing to validate"
    assert_conforms(spec, definitions, "GET", template, response)


@pytest.mark.parametrize("template", [template for template, _ in SUCCESS_CASES])
def test_unauthenticated_and_invalid_requests_conform(spec, definitions, served, api, template):
    path = fill(template, entity_ids(served))
    unauthenticated = requests.get(served.base_url + path, timeout=10)
    assert unauthenticated.status_code == 401
    assert_conforms(spec, definitions, "GET", template, unauthenticated)
    if template == "/ad_accounts/{ad_account_id}":  # takes no query parameter: make the id invalid
        path = "/ad_accounts/not-a-number"
    invalid = api.get(path, page_size=999, ad_account_id="x", entity_statuses="NOPE", ad_group_id="1",
                         filter_deleted="maybe")
    assert invalid.status_code == 400, invalid.text
    assert_conforms(spec, definitions, "GET", template, invalid)


@pytest.mark.parametrize("template", AD_ACCOUNT_TEMPLATES)
def test_unknown_ad_account_conforms(spec, definitions, api, template):
    response = api.get(template.format(ad_account_id="12345"), ad_group_id="1")
    assert response.status_code == 403
    assert_conforms(spec, definitions, "GET", template, response)


@pytest.mark.parametrize("template", BOARD_TEMPLATES)
def test_analyst_refusals_conform(spec, definitions, emulator, client, template):
    emulator.configure(role="ANALYST")
    response = client.get(fill(template, entity_ids(emulator)))
    assert response.status_code == 403
    assert_conforms(spec, definitions, "GET", template, response)


def test_not_found_conflict_and_rate_limit_errors_conform(spec, definitions, emulator, client):
    ids = entity_ids(emulator)
    cases = [
        ("/boards/{board_id}/pins", client.get("/boards/9/pins"), 404),
        ("/boards/{board_id}/sections/{section_id}/pins", client.get(f"/boards/{ids['board_id']}/sections/9/pins"), 404),
        ("/catalogs/product_groups", client.get("/catalogs/product_groups", feed_id="9"), 404),
    ]
    emulator.configure(no_catalog=True, rate_limits={"ads_read": (0, 60)})
    cases += [
        ("/catalogs/product_groups", client.get("/catalogs/product_groups"), 409),
        ("/ad_accounts", client.get("/ad_accounts"), 429),
    ]
    for template, response, status in cases:
        assert response.status_code == status, (template, response.text)
        assert_conforms(spec, definitions, "GET", template, response)


def test_oauth_responses_conform(spec, definitions, served):
    credentials = served.credentials
    form = {"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"]}
    url = served.base_url + "/oauth/token"
    granted = requests.post(url, data=form, auth=(credentials["client_id"], credentials["client_secret"]))
    assert granted.status_code == 200
    assert_conforms(spec, definitions, "POST", "/oauth/token", granted)
    refused = requests.post(url, data=form, auth=("wrong", "client"))
    assert refused.status_code == 401
    assert_conforms(spec, definitions, "POST", "/oauth/token", refused)


def test_route_categories_match_the_spec(spec):
    for route in ROUTES:
        if route.category is None:
            continue
        operation = spec["paths"].get(route.template, {}).get(route.method.lower())
        assert operation is not None, f"{route.method} {route.template} is not in the spec"
        assert operation["x-ratelimit-category"] == route.category, f"{route.method} {route.template}"
