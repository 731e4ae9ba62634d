"""Entity streams through the real source with mocked HTTP: the requests each stream makes and what it emits."""

import json

import pytest

from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder

from unit_tests.support import BASE_URL, list_request, make_config, mock_oauth, page, read_streams

ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED"]


def emitted(output, stream: str | None = None) -> list[dict]:
    return [m.record.data for m in output.records if stream is None or m.record.stream == stream]


def mock_ad_accounts(http_mocker: HttpMocker, *ids: str) -> None:
    http_mocker.get(list_request("ad_accounts"), page([{"id": i, "name": f"account {i}"} for i in ids]))


def test_board_children_read_each_board_and_section():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("boards"), page([{"id": "b1"}, {"id": "b2"}]))
        for board in ("b1", "b2"):
            http_mocker.get(list_request(f"boards/{board}/sections"), page([{"id": f"{board}-s1"}]))
            http_mocker.get(list_request(f"boards/{board}/pins"), page([{"id": f"{board}-p1"}]))
            http_mocker.get(list_request(f"boards/{board}/sections/{board}-s1/pins"), page([{"id": f"{board}-s1-p1"}]))
        output = read_streams(make_config(), "board_sections", "board_pins", "board_section_pins")
    assert sorted(r["id"] for r in emitted(output, "board_sections")) == ["b1-s1", "b2-s1"]
    assert sorted(r["id"] for r in emitted(output, "board_pins")) == ["b1-p1", "b2-p1"]
    assert sorted(r["id"] for r in emitted(output, "board_section_pins")) == ["b1-s1-p1", "b2-s1-p1"]


def test_campaigns_ask_for_the_configured_statuses_per_account():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1", "2")
        for account in ("1", "2"):
            http_mocker.get(list_request(f"ad_accounts/{account}/campaigns", entity_statuses=["ACTIVE", "ARCHIVED"]),
                            page([{"id": f"c{account}", "ad_account_id": account, "updated_time": 1_700_000_000}]))
        output = read_streams(make_config(status=["ACTIVE", "ARCHIVED"]), "campaigns")
    assert sorted(r["id"] for r in emitted(output)) == ["c1", "c2"]


@pytest.mark.parametrize("status", [{}, {"status": None}], ids=["no status", "status null (published connector)"])
def test_ads_entities_default_to_every_status_so_history_is_complete(status):
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1")
        http_mocker.get(list_request("ad_accounts/1/ads", entity_statuses=ALL_STATUSES), page([{"id": "a1", "updated_time": 1}]))
        output = read_streams(make_config(**status), "ads")
    assert [r["id"] for r in emitted(output)] == ["a1"]


def test_incremental_ad_groups_keep_state_per_account_and_skip_unchanged_ones():
    state = StateBuilder().with_stream_state("ad_groups", {"states": [
        {"partition": {"ad_account_id": "1", "parent_slice": {}}, "cursor": {"updated_time": "1700000000"}},
    ]}).build()
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1", "2")
        http_mocker.get(list_request("ad_accounts/1/ad_groups", entity_statuses=ALL_STATUSES), page([
            {"id": "old", "updated_time": 1_600_000_000}, {"id": "new", "updated_time": 1_750_000_000}]))
        http_mocker.get(list_request("ad_accounts/2/ad_groups", entity_statuses=ALL_STATUSES), page([
            {"id": "first-seen", "updated_time": 1_600_000_000}]))
        output = read_streams(make_config(), "ad_groups", sync_mode=SyncMode.incremental, state=state)
    assert sorted(r["id"] for r in emitted(output)) == ["first-seen", "new"]
    final = output.state_messages[-1].state.stream.stream_state.__dict__["states"]
    assert {s["partition"]["ad_account_id"]: s["cursor"]["updated_time"] for s in final} == {"1": "1750000000", "2": "1600000000"}


def mock_keyword_parents(http_mocker: HttpMocker, groups: dict[str, list[str]]) -> None:
    """Accounts with the given ad groups and one keyword of their own each."""
    mock_ad_accounts(http_mocker, *groups)
    for account, ids in groups.items():
        http_mocker.get(list_request(f"ad_accounts/{account}/ad_groups", entity_statuses=ALL_STATUSES),
                        page([{"id": i, "updated_time": 1} for i in ids]))
        http_mocker.get(list_request(f"ad_accounts/{account}/keywords"), page([{"id": f"k-{account}"}]))


def test_keywords_ask_for_account_keywords_then_ad_groups_in_batches_of_their_account():
    groups = {"1": [str(100 + i) for i in range(251)], "2": ["900"]}
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_keyword_parents(http_mocker, groups)
        batches = [("1", groups["1"][:250]), ("1", groups["1"][250:]), ("2", groups["2"])]
        for account, ids in batches:
            http_mocker.get(list_request(f"ad_accounts/{account}/keywords", ad_group_ids=ids), page([{"id": f"k-{ids[0]}"}]))
        output = read_streams(make_config(), "keywords")
    assert sorted(r["id"] for r in emitted(output)) == sorted(["k-1", "k-2", "k-100", "k-350", "k-900"])


def test_campaign_keywords_are_asked_for_one_campaign_a_call_in_its_account():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1", "2")
        for account in ("1", "2"):
            http_mocker.get(list_request(f"ad_accounts/{account}/campaigns", entity_statuses=ALL_STATUSES),
                            page([{"id": f"c{account}{i}", "updated_time": 1} for i in range(2)]))
            for i in range(2):
                http_mocker.get(list_request(f"ad_accounts/{account}/keywords", campaign_id=f"c{account}{i}"), page([{"id": f"k-c{account}{i}"}]))
        output = read_streams(make_config(), "campaign_keywords")
    assert sorted(r["id"] for r in emitted(output)) == ["k-c10", "k-c11", "k-c20", "k-c21"] and not output.errors


def test_keywords_fall_back_to_one_ad_group_a_call_when_pinterest_refuses_the_beta_filter():
    groups = {"1": ["100", "101"]}
    refused = HttpResponse(json.dumps({"code": 1, "message": "Invalid parameters: ad_group_ids is in BETA."}), 400)
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_keyword_parents(http_mocker, groups)
        http_mocker.get(list_request("ad_accounts/1/keywords", ad_group_ids=groups["1"]), refused)
        http_mocker.get(list_request("ad_accounts/1/keywords", ad_group_id="100"), page([{"id": "k-100a"}], bookmark="b2"))
        http_mocker.get(list_request("ad_accounts/1/keywords", ad_group_id="100", bookmark="b2"), page([{"id": "k-100b"}]))
        http_mocker.get(list_request("ad_accounts/1/keywords", ad_group_id="101"), page([{"id": "k-101"}]))
        output = read_streams(make_config(), "keywords")
    assert sorted(r["id"] for r in emitted(output)) == ["k-1", "k-100a", "k-100b", "k-101"] and not output.errors
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN" and "ad_group_ids" in m.log.message]
    assert warnings == ["Pinterest refused the ad_group_ids filter of /v5/ad_accounts/1/keywords (Pinterest rejected "
                        f"{BASE_URL}/ad_accounts/1/keywords: Invalid parameters: "
                        "ad_group_ids is in BETA. (code 1).): it is in BETA and not available to every app. Keywords are read one ad "
                        "group at a time from now on: a call per ad group instead of one per 250."]


def test_product_group_promotions_are_listed_per_ad_group():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1")
        http_mocker.get(list_request("ad_accounts/1/ad_groups", entity_statuses=ALL_STATUSES),
                        page([{"id": "g1", "updated_time": 1}, {"id": "g2", "updated_time": 1}]))
        for group in ("g1", "g2"):
            http_mocker.get(list_request("ad_accounts/1/product_group_promotions", ad_group_id=group, entity_statuses=ALL_STATUSES),
                            page([{"id": f"p-{group}", "ad_group_id": group}]))
        output = read_streams(make_config(), "product_group_promotions")
    assert sorted(r["id"] for r in emitted(output)) == ["p-g1", "p-g2"]


def test_conversion_tags_are_one_unpaged_call_per_account():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        mock_ad_accounts(http_mocker, "1")
        http_mocker.get(HttpRequest(f"{BASE_URL}/ad_accounts/1/conversion_tags", query_params={}),
                        HttpResponse(json.dumps({"items": [{"id": "t1"}, {"id": "t2"}]}), 200))
        output = read_streams(make_config(), "conversion_tags")
    assert [r["id"] for r in emitted(output)] == ["t1", "t2"]


def test_feed_credentials_are_dropped():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("catalogs/feeds"), page([{"id": "f1", "credentials": {"password": "hunter2"}, "name": "feed"}]))
        output = read_streams(make_config(), "catalogs_feeds")
    assert emitted(output) == [{"id": "f1", "name": "feed"}]


def test_no_catalog_conflict_is_an_empty_stream_but_other_conflicts_fail():
    no_catalog = HttpResponse(json.dumps({"code": 4182, "message": "Can't access this feature without an existing catalog."}), 409)
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("catalogs/product_groups"), no_catalog)
        output = read_streams(make_config(), "catalogs_product_groups")
    assert output.records == [] and output.errors == []

    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("catalogs/product_groups"), HttpResponse(json.dumps({"code": 1, "message": "other"}), 409))
        output = read_streams(make_config(), "catalogs_product_groups", expect_failure=True)
    assert output.errors


def test_a_missing_permission_fails_that_stream_naming_the_scope_and_others_still_sync():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("boards"), HttpResponse(json.dumps({"code": 29, "message": "You are not permitted to access that resource."}), 403))
        http_mocker.get(list_request("catalogs"), page([{"id": "cat1"}]))
        output = read_streams(make_config(), "boards", "catalogs", expect_failure=True)
    assert [r["id"] for r in emitted(output, "catalogs")] == ["cat1"]
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert "boards:read" in error.message and "not permitted" in error.message


def test_a_cut_off_json_body_is_retried_not_taken_for_an_empty_page():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("catalogs"), [HttpResponse('{"items": [{"id": "p1"}, {"id"', 200), page([{"id": "p1"}, {"id": "p2"}])])
        output = read_streams(make_config(), "catalogs")
    assert [r["id"] for r in emitted(output)] == ["p1", "p2"]


def test_a_malformed_saved_state_fails_as_a_config_error_before_any_call():
    state = StateBuilder().with_stream_state("campaigns", {"states": [{"partition": {"ad_account_id": "1"}, "cursor": {"updated_time": "soon"}}]}).build()
    with HttpMocker():
        output = read_streams(make_config(), "campaigns", sync_mode=SyncMode.incremental, state=state, expect_failure=True)
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert "campaigns" in error.message and "'soon'" in error.message
