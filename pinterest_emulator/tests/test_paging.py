"""Bookmark paging as NOTES.md describes: default 25, maximum 250, every item exactly once."""

import pytest

from pinterest_emulator import entities

ALL_STATUSES = "ACTIVE,PAUSED,ARCHIVED"


@pytest.fixture(scope="module")
def account_ids(served):
    return tuple(account["id"] for account in served.dataset.ad_accounts)


def test_default_page_size_is_25(api, account_ids):
    body = api.get(f"/ad_accounts/{account_ids[0]}/campaigns").json()
    assert len(body["items"]) == 25
    assert body["bookmark"]


@pytest.mark.parametrize("page_size", ["0", "251", "abc", "-1"])
def test_page_size_outside_1_to_250_is_rejected(api, account_ids, page_size):
    response = api.get(f"/ad_accounts/{account_ids[0]}/campaigns", page_size=page_size)
    assert response.status_code == 400
    assert response.json()["code"] == 1
    assert "page_size" in response.json()["message"]


@pytest.mark.parametrize("stream", ["campaigns", "ad_groups", "ads"])
def test_bookmark_walk_returns_every_item_exactly_once(api, served, account_ids, stream):
    account_id = account_ids[0]
    items = api.walk(f"/ad_accounts/{account_id}/{stream}", page_size=250, entity_statuses=ALL_STATUSES)
    expected = [entity["id"] for entity in getattr(served.dataset, stream)[account_id]]
    assert len(expected) > 250
    assert sorted(item["id"] for item in items) == sorted(expected)
    assert len({item["id"] for item in items}) == len(items)


def test_small_pages_walk_the_same_items(api, account_ids):
    path = f"/ad_accounts/{account_ids[1]}/ads"
    assert [ad["id"] for ad in api.walk(path, page_size=7)] == [ad["id"] for ad in api.walk(path, page_size=250)]


def test_last_page_has_null_bookmark(api):
    body = api.get("/ad_accounts", page_size=250).json()
    assert body["bookmark"] is None
    assert len(body["items"]) == 2


@pytest.mark.parametrize("bookmark", ["not-a-bookmark", "eyJwIjoiL3giLCJvIjo1fQ"])
def test_invalid_or_foreign_bookmark_is_rejected(api, account_ids, bookmark):
    response = api.get(f"/ad_accounts/{account_ids[0]}/campaigns", bookmark=bookmark)
    assert response.status_code == 400
    assert response.json()["code"] == 1


def test_bookmark_of_one_endpoint_is_refused_by_another(api, account_ids):
    bookmark = api.get(f"/ad_accounts/{account_ids[0]}/campaigns").json()["bookmark"]
    assert api.get(f"/ad_accounts/{account_ids[0]}/ads", bookmark=bookmark).status_code == 400


def test_board_pins_page_through_a_board_of_more_than_250_pins(api, served):
    board = max(served.dataset.boards, key=lambda board: board["pin_count"])
    pins = api.walk(f"/boards/{board['id']}/pins", page_size=100)
    assert len(pins) == board["pin_count"] > 250


def test_board_pins_stop_at_the_paging_limit(api, served, monkeypatch):
    monkeypatch.setattr(entities, "BOARD_PINS_PAGING_LIMIT", 60)
    board = max(served.dataset.boards, key=lambda board: board["pin_count"])
    pins = api.walk(f"/boards/{board['id']}/pins", page_size=25)
    assert len(pins) == 60


def test_conversion_tags_are_not_paged(api, account_ids):
    body = api.get(f"/ad_accounts/{account_ids[0]}/conversion_tags").json()
    assert set(body) == {"items"}
    assert body["items"]
