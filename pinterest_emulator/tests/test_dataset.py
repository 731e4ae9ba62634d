"""The synthetic dataset: deterministic, sized per profile, consistent and plausible."""

import datetime as dt

import pytest

from pinterest_emulator.dataset import ADS_ENTITY_STREAMS, HISTORY_DAYS, Dataset

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def small() -> Dataset:
    return Dataset("small", 1, TODAY)


def snapshot(dataset: Dataset) -> dict:
    return {name: getattr(dataset, name) for name in (
        "user_account", "boards", "board_sections", "board_pins", "pins", "ad_accounts", "catalogs",
        "catalog_feeds", "catalog_product_groups", *ADS_ENTITY_STREAMS)}


def test_same_seed_same_data_and_another_seed_other_data(small):
    assert snapshot(Dataset("small", 1, TODAY)) == snapshot(small)
    assert snapshot(Dataset("small", 2, TODAY)) != snapshot(small)


def test_small_profile_exercises_paging(small):
    first, second = (account["id"] for account in small.ad_accounts)
    assert len(small.campaigns[first]) > 250 and len(small.ads[first]) > 250
    assert 0 < len(small.campaigns[second]) < 100
    keyword_groups = {k["parent_id"] for k in small.keywords[first] if k["parent_type"] == "ad_group"}
    assert len(keyword_groups) > 250
    assert max(len(pins) for pins in small.board_pins.values()) > 250
    assert small.catalogs and small.catalog_feeds and small.catalog_product_groups


def test_every_ad_account_key_is_present(small):
    account_ids = {account["id"] for account in small.ad_accounts}
    for stream in ADS_ENTITY_STREAMS:
        assert set(getattr(small, stream)) == account_ids, stream


def test_hierarchy_is_consistent(small):
    for account_id in small.campaigns:
        campaigns = {c["id"]: c for c in small.campaigns[account_id]}
        groups = {g["id"]: g for g in small.ad_groups[account_id]}
        assert all(group["campaign_id"] in campaigns for group in groups.values())
        for ad in small.ads[account_id]:
            assert groups[ad["ad_group_id"]]["campaign_id"] == ad["campaign_id"]
            assert ad["created_time"] >= groups[ad["ad_group_id"]]["created_time"]
        product_group_ids = {group["id"] for group in small.catalog_product_groups}
        for promotion in small.product_group_promotions[account_id]:
            assert promotion["ad_group_id"] in groups
            assert promotion["catalog_product_group_id"] in product_group_ids


def test_statuses_are_mixed_and_times_span_the_history(small):
    campaigns = [c for cs in small.campaigns.values() for c in cs]
    assert {c["status"] for c in campaigns} == {"ACTIVE", "PAUSED", "ARCHIVED"}
    end = dt.datetime.combine(TODAY, dt.time(), dt.timezone.utc).timestamp()
    assert all(end - HISTORY_DAYS * 86400 <= c["created_time"] <= c["updated_time"] < end for c in campaigns)
    created = sorted(Dataset.created_date(c) for c in campaigns)
    assert (created[-1] - created[0]).days > 700


def test_ids_are_numeric_strings_growing_with_creation(small):
    for campaigns in small.campaigns.values():
        assert all(c["id"].isdigit() for c in campaigns)
        by_id = sorted(campaigns, key=lambda c: int(c["id"]))
        assert [c["created_time"] for c in by_id] == sorted(c["created_time"] for c in campaigns)


def test_feeds_carry_credentials(small):
    assert all({"username", "password"} <= set(feed["credentials"]) for feed in small.catalog_feeds)


def test_created_date_reads_every_kind_of_timestamp(small):
    assert isinstance(Dataset.created_date(small.pins[0]), dt.date)
    assert isinstance(Dataset.created_date(small.catalog_product_groups[0]), dt.date)
    assert isinstance(Dataset.created_date(small.catalogs[0]), dt.date)
    assert isinstance(Dataset.created_date(next(iter(small.audiences.values()))[0]), dt.date)


@pytest.mark.parametrize("profile, accounts", [("tiny", 1), ("standard", 3)])
def test_profiles(profile, accounts):
    dataset = Dataset(profile, 3, TODAY)
    assert len(dataset.ad_accounts) == accounts
    if profile == "standard":
        assert sum(map(len, dataset.campaigns.values())) >= 2000
        assert sum(map(len, dataset.ads.values())) >= 10_000


def test_unknown_profile():
    with pytest.raises(ValueError):
        Dataset("huge", 1, TODAY)


def test_touch_sets_updated_time_on_count_entities_per_account():
    dataset = Dataset("tiny", 1, TODAY)
    touched = dataset.touch("campaigns", 2, 2_000_000_000, seed=1)
    for account_id, ids in touched.items():
        assert len(ids) == 2
        assert {c["updated_time"] for c in dataset.campaigns[account_id] if c["id"] in ids} == {2_000_000_000}


def test_every_list_is_in_ascending_id_order(small):
    lists = [small.boards, small.pins, small.catalogs, small.catalog_feeds, small.catalog_product_groups,
             *small.board_pins.values()]
    lists += [entities for stream in ADS_ENTITY_STREAMS for entities in getattr(small, stream).values()]
    for entities in lists:
        ids = [int(entity["id"]) for entity in entities]
        assert ids == sorted(ids)
