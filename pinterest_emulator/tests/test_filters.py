"""Filters and validation of the entity endpoints, as the OpenAPI description defines them."""

import pytest

ALL_STATUSES = ["ACTIVE", "PAUSED", "ARCHIVED"]


def test_entity_statuses_default_to_active_and_paused(client, emulator, account_ids):
    items = client.walk(f"/ad_accounts/{account_ids[0]}/campaigns", page_size=250)
    expected = [c["id"] for c in emulator.dataset.campaigns[account_ids[0]] if c["status"] in ("ACTIVE", "PAUSED")]
    assert sorted(item["id"] for item in items) == sorted(expected)
    assert {item["status"] for item in items} == {"ACTIVE", "PAUSED"}


@pytest.mark.parametrize("form", ["comma", "repeated"])
def test_entity_statuses_accept_comma_and_repeated_forms(client, emulator, account_ids, form):
    value = ",".join(ALL_STATUSES) if form == "comma" else ALL_STATUSES
    items = client.walk(f"/ad_accounts/{account_ids[0]}/ad_groups", page_size=250, entity_statuses=value)
    assert len(items) == len(emulator.dataset.ad_groups[account_ids[0]])
    assert {item["status"] for item in items} == set(ALL_STATUSES)


def test_archived_only(client, account_ids):
    items = client.walk(f"/ad_accounts/{account_ids[0]}/ads", page_size=250, entity_statuses="ARCHIVED")
    assert items and {item["status"] for item in items} == {"ARCHIVED"}


@pytest.mark.parametrize("name, value", [("entity_statuses", "RUNNING"), ("order", "UP"),
                                         ("campaign_ids", "12a")])
def test_invalid_values_answer_400_code_1_naming_the_parameter(client, account_ids, name, value):
    response = client.get(f"/ad_accounts/{account_ids[0]}/campaigns", **{name: value})
    assert response.status_code == 400
    assert response.json()["code"] == 1
    assert name in response.json()["message"]


def test_id_filters_accept_250_and_reject_251(client, emulator, account_ids):
    campaigns = emulator.dataset.campaigns[account_ids[0]]
    ids = [campaign["id"] for campaign in campaigns[:250]]
    items = client.walk(f"/ad_accounts/{account_ids[0]}/campaigns", page_size=250,
                        campaign_ids=",".join(ids), entity_statuses=ALL_STATUSES)
    assert sorted(item["id"] for item in items) == sorted(ids)
    too_many = ",".join(campaign["id"] for campaign in campaigns[:251])
    response = client.get(f"/ad_accounts/{account_ids[0]}/campaigns", campaign_ids=too_many)
    assert (response.status_code, response.json()["code"]) == (400, 1)


def test_ads_filter_by_ad_group_and_campaign(client, emulator, account_ids):
    ad = emulator.dataset.ads[account_ids[0]][0]
    by_group = client.walk(f"/ad_accounts/{account_ids[0]}/ads", ad_group_ids=ad["ad_group_id"],
                           entity_statuses=ALL_STATUSES)
    assert ad["id"] in {item["id"] for item in by_group}
    assert {item["ad_group_id"] for item in by_group} == {ad["ad_group_id"]}
    by_campaign = client.walk(f"/ad_accounts/{account_ids[0]}/ads", campaign_ids=ad["campaign_id"],
                              entity_statuses=ALL_STATUSES)
    assert {item["campaign_id"] for item in by_campaign} == {ad["campaign_id"]}


def test_order_descending_reverses_ids(client, account_ids):
    path = f"/ad_accounts/{account_ids[1]}/campaigns"
    ascending = [item["id"] for item in client.walk(path, order="ASCENDING")]
    descending = [item["id"] for item in client.walk(path, order="DESCENDING")]
    assert descending == ascending[::-1]
    assert ascending == sorted(ascending, key=int)


def test_keywords_default_to_account_level_keywords(client, account_ids):
    items = client.walk(f"/ad_accounts/{account_ids[0]}/keywords")
    assert items and {item["parent_id"] for item in items} == {account_ids[0]}


def test_keywords_by_up_to_250_ad_group_ids(client, emulator, account_ids):
    keywords = emulator.dataset.keywords[account_ids[0]]
    group_ids = sorted({keyword["parent_id"] for keyword in keywords if keyword["parent_type"] == "ad_group"})
    assert len(group_ids) > 250
    items = client.walk(f"/ad_accounts/{account_ids[0]}/keywords", page_size=250, ad_group_ids=",".join(group_ids[:250]))
    expected = [k["id"] for k in keywords if k["parent_id"] in set(group_ids[:250])]
    assert sorted(item["id"] for item in items) == sorted(expected)
    assert "created_time" not in items[0]  # the spec's Keyword has no such field
    response = client.get(f"/ad_accounts/{account_ids[0]}/keywords", ad_group_ids=",".join(group_ids[:251]))
    assert (response.status_code, response.json()["code"]) == (400, 1)
    single = client.walk(f"/ad_accounts/{account_ids[0]}/keywords", ad_group_id=group_ids[0])
    assert {item["parent_id"] for item in single} == {group_ids[0]}


def test_product_group_promotions_need_an_ad_group_or_ids(client, emulator, account_ids):
    path = f"/ad_accounts/{account_ids[0]}/product_group_promotions"
    assert client.get(path).status_code == 400
    promotion = emulator.dataset.product_group_promotions[account_ids[0]][0]
    items = client.walk(path, ad_group_id=promotion["ad_group_id"], entity_statuses=",".join(ALL_STATUSES))
    assert promotion["id"] in {item["id"] for item in items}
    by_id = client.walk(path, product_group_promotion_ids=promotion["id"], entity_statuses=",".join(ALL_STATUSES))
    assert [item["id"] for item in by_id] == [promotion["id"]]


def test_shared_accounts_can_be_excluded(client, account_ids):
    assert [a["id"] for a in client.walk("/ad_accounts")] == list(account_ids)
    assert [a["id"] for a in client.walk("/ad_accounts", include_shared_accounts="false")] == [account_ids[0]]


@pytest.mark.parametrize("path", ["/ad_accounts/999", "/ad_accounts/999/campaigns", "/ad_accounts/999/keywords"])
def test_unknown_ad_account_is_not_permitted(client, path):
    response = client.get(path)
    assert (response.status_code, response.json()["code"]) == (403, 29)


def test_single_ad_account(client, account_ids):
    assert client.get(f"/ad_accounts/{account_ids[1]}").json()["id"] == account_ids[1]


def test_feeds_filter_by_catalog_and_carry_credentials(client, emulator):
    catalog_id = emulator.dataset.catalogs[0]["id"]
    feeds = client.walk("/catalogs/feeds", catalog_id=catalog_id)
    assert feeds and {feed["catalog_id"] for feed in feeds} == {catalog_id}
    assert all(feed["credentials"]["password"] for feed in feeds)


def test_product_groups_filter_by_feed(client, emulator):
    feed_id = emulator.dataset.catalog_feeds[0]["id"]
    groups = client.walk("/catalogs/product_groups", feed_id=feed_id)
    assert groups and {group["feed_id"] for group in groups} == {feed_id}
    response = client.get("/catalogs/product_groups", feed_id="12345")
    assert (response.status_code, response.json()["code"]) == (404, 4161)


def test_no_catalog(client, emulator):
    emulator.configure(no_catalog=True)
    response = client.get("/catalogs/product_groups")
    assert (response.status_code, response.json()["code"]) == (409, 4182)
    assert client.get("/catalogs").json() == {"items": [], "bookmark": None}


@pytest.mark.parametrize("path", ["/boards", "/pins", "BOARD/pins", "BOARD/sections"])
def test_analyst_cannot_read_boards_or_pins(client, emulator, path):
    emulator.configure(role="ANALYST")
    path = path.replace("BOARD", "/boards/" + emulator.dataset.boards[0]["id"])
    response = client.get(path)
    assert (response.status_code, response.json()["code"]) == (403, 29)
    assert "not permitted" in response.json()["message"]


def test_analyst_reads_everything_else(client, emulator, account_ids):
    emulator.configure(role="ANALYST")
    for path in ("/user_account", "/ad_accounts", f"/ad_accounts/{account_ids[0]}/campaigns", "/catalogs"):
        assert client.get(path).status_code == 200, path


def test_unknown_board_and_section(client, emulator):
    board_id = emulator.dataset.boards[0]["id"]
    assert client.get("/boards/42/pins").json()["code"] == 40
    response = client.get(f"/boards/{board_id}/sections/42/pins")
    assert (response.status_code, response.json()["code"]) == (404, 2031)


def test_section_pins_belong_to_the_section(client, emulator):
    board = emulator.dataset.boards[0]
    sections = client.walk(f"/boards/{board['id']}/sections")
    assert sections
    pins = client.walk(f"/boards/{board['id']}/sections/{sections[0]['id']}/pins")
    assert pins and {pin["board_section_id"] for pin in pins} == {sections[0]["id"]}


def test_board_privacy_filter(client, emulator):
    secret = [board["id"] for board in emulator.dataset.boards if board["privacy"] == "SECRET"]
    assert [board["id"] for board in client.walk("/boards", privacy="SECRET")] == secret
    assert client.get("/boards", privacy="HIDDEN").status_code == 400


def test_pins_are_the_users_own_and_filter_by_creative_type(client, emulator):
    pins = client.walk("/pins", page_size=250)
    assert len(pins) == len(emulator.dataset.pins) and all(pin["is_owner"] for pin in pins)
    videos = client.walk("/pins", page_size=250, creative_types="VIDEO")
    assert videos and {pin["creative_type"] for pin in videos} == {"VIDEO"}
    with_metrics = client.get("/pins", pin_metrics="true").json()["items"]
    assert "lifetime_metrics" in with_metrics[0]["pin_metrics"]


def test_user_account(client, emulator):
    assert client.get("/user_account").json()["username"] == emulator.dataset.user_account["username"]
