"""Entity streams end to end against the emulator: exact ids, minimal calls, incremental re-syncs, permissions."""

import logging
from collections import Counter

import pytest
from jsonschema import Draft7Validator

from airbyte_cdk.models import Status, SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from pinterest_emulator import Emulator, EmulatorOptions
from pinterest_emulator.minimum_calls import PAGE, campaign_keyword_calls, flat as _flat, minimum_calls
from source_pinterest.run import SourcePinterest
from unit_tests.support import emulator_config, final_state, read_streams as sync, records_by_stream

ENTITY_STREAMS = (
    "user_account", "boards", "board_sections", "board_pins", "board_section_pins", "pins",
    "ad_accounts", "campaigns", "ad_groups", "ads", "product_group_promotions", "audiences", "keywords",
    "campaign_keywords", "conversion_tags", "customer_lists", "catalogs", "catalogs_feeds", "catalogs_product_groups",
)
ADS_ENTITY_STREAMS = ("campaigns", "ad_groups", "ads")


def expected_ids(dataset) -> dict[str, list[str]]:
    """What a full sync must emit per stream: every entity the emulator holds (the default status filter is all)."""
    return {
        "user_account": [dataset.user_account["username"]],
        "boards": [board["id"] for board in dataset.boards],
        "board_sections": [section["id"] for section in _flat(dataset.board_sections)],
        "board_pins": [pin["id"] for pin in _flat(dataset.board_pins)],
        "board_section_pins": [pin["id"] for pin in _flat(dataset.section_pins)],
        "pins": [pin["id"] for pin in dataset.pins],
        "ad_accounts": [account["id"] for account in dataset.ad_accounts],
        **{stream: [item["id"] for item in _flat(getattr(dataset, stream))] for stream in (
            "campaigns", "ad_groups", "ads", "product_group_promotions", "audiences", "conversion_tags", "customer_lists")},
        "keywords": [keyword["id"] for keyword in _flat(dataset.keywords) if keyword["parent_type"] != "campaign"],
        "campaign_keywords": [keyword["id"] for keyword in _flat(dataset.keywords) if keyword["parent_type"] == "campaign"],
        "catalogs": [catalog["id"] for catalog in dataset.catalogs],
        "catalogs_feeds": [feed["id"] for feed in dataset.catalog_feeds],
        "catalogs_product_groups": [group["id"] for group in dataset.catalog_product_groups],
    }


@pytest.fixture(scope="module", params=["small", pytest.param("standard", marks=pytest.mark.long)])
def full_sync(request):
    """A full sync of every entity stream: the small profile in `make test`, standard in `make test-all`."""
    with Emulator(profile=request.param, seed=1, port=0) as emulator:
        output = sync(emulator_config(emulator, num_threads=12), *ENTITY_STREAMS)
        yield emulator, output


def test_a_full_sync_emits_exactly_the_emulators_entities(full_sync):
    emulator, output = full_sync
    assert not output.errors, [error.trace.error.message for error in output.errors]
    emitted = records_by_stream(output)
    for stream, ids in expected_ids(emulator.dataset).items():
        key = "username" if stream == "user_account" else "id"
        assert Counter(record[key] for record in emitted.get(stream, [])) == Counter(ids), stream


def test_a_full_sync_makes_the_fewest_calls_the_api_allows(full_sync):
    emulator, _ = full_sync
    minimum = minimum_calls(emulator.dataset)
    minimum["GET /ad_accounts/{ad_account_id}/keywords"] += campaign_keyword_calls(emulator.dataset)  # campaign_keywords
    assert emulator.stats()["by_route"] == minimum
    unpaged = {"/user_account", "/ad_accounts/{ad_account_id}/conversion_tags"}
    for entry in emulator.request_log:
        if entry.method == "GET" and entry.route not in unpaged:
            assert entry.query.get("page_size") == ["250"], entry.path


def test_keyword_batches_hold_ad_groups_of_the_account_in_the_path(full_sync):
    emulator, _ = full_sync
    owner = {group["id"]: account for account, groups in emulator.dataset.ad_groups.items() for group in groups}
    batches = [entry for entry in emulator.request_log if entry.route == "/ad_accounts/{ad_account_id}/keywords"]
    assert any(len(entry.query.get("ad_group_ids", [])) == PAGE for entry in batches)
    for entry in batches:
        account = entry.path.split("/")[3]
        assert {owner[group_id] for group_id in entry.query.get("ad_group_ids", [])} <= {account}


def test_campaign_keywords_are_read_one_campaign_a_call(full_sync):
    emulator, output = full_sync
    campaign_ids = {campaign["id"] for campaign in _flat(emulator.dataset.campaigns)}
    emitted = records_by_stream(output)["campaign_keywords"]
    assert emitted and {keyword["parent_id"] for keyword in emitted} <= campaign_ids
    asked = [entry.query["campaign_id"] for entry in emulator.request_log if "campaign_id" in entry.query]
    assert sorted(campaign for [campaign] in asked) == sorted(campaign_ids)


def test_without_the_beta_ad_group_ids_filter_keywords_are_read_one_ad_group_a_call():
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(extra={"ad_group_ids_beta": False})) as emulator:
        output = sync(emulator_config(emulator), "keywords")
        keyword_calls = [entry for entry in emulator.request_log if entry.route == "/ad_accounts/{ad_account_id}/keywords"]
        ad_groups = _flat(emulator.dataset.ad_groups)
        expected = expected_ids(emulator.dataset)["keywords"]
    assert not output.errors
    assert Counter(record["id"] for record in records_by_stream(output)["keywords"]) == Counter(expected)
    refused = [entry for entry in keyword_calls if entry.status == 400]
    assert len(refused) >= 1 and all("ad_group_ids" in entry.query for entry in refused)
    assert sorted(entry.query["ad_group_id"][0] for entry in keyword_calls if "ad_group_id" in entry.query) == sorted(group["id"] for group in ad_groups)
    assert sum("refused the ad_group_ids filter" in message.log.message for message in output.logs) == 1


def test_feeds_never_emit_credentials(full_sync):
    emulator, output = full_sync
    assert any(feed.get("credentials") for feed in emulator.dataset.catalog_feeds), "the dataset must hold credentials"
    assert all("credentials" not in record for record in records_by_stream(output)["catalogs_feeds"])


def test_the_second_incremental_sync_emits_only_changed_ads_entities():
    with Emulator(profile="small", seed=2, port=0) as emulator:
        config = emulator_config(emulator)
        first = sync(config, *ADS_ENTITY_STREAMS, sync_mode=SyncMode.incremental)
        assert {stream: len(records) for stream, records in records_by_stream(first).items()} == {
            stream: len(_flat(getattr(emulator.dataset, stream))) for stream in ADS_ENTITY_STREAMS}
        # the cursor is inclusive: each account's latest entity of the first sync comes again
        boundary = {stream: [item["id"] for items in getattr(emulator.dataset, stream).values()
                             for item in items if item["updated_time"] == max(i["updated_time"] for i in items)]
                    for stream in ADS_ENTITY_STREAMS}
        touched = {stream: emulator.touch(stream, 3) for stream in ADS_ENTITY_STREAMS}

        second = sync(config, *ADS_ENTITY_STREAMS, sync_mode=SyncMode.incremental, state=final_state(first))

        emitted = {stream: sorted(record["id"] for record in records) for stream, records in records_by_stream(second).items()}
        assert emitted == {stream: sorted(set(_flat(ids)) | set(boundary[stream])) for stream, ids in touched.items()}


def test_analyst_role_passes_check_and_syncs_everything_but_boards():
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(role="ANALYST")) as emulator:
        config = emulator_config(emulator)
        status = SourcePinterest(config=config).check(logging.getLogger("test"), config)
        assert status.status == Status.SUCCEEDED, status.message
        output = sync(config, "boards", "ad_accounts", "campaigns", expect_failure=True)
        emitted = records_by_stream(output)
        assert len(emitted["campaigns"]) == len(_flat(emulator.dataset.campaigns))
        assert "boards" not in emitted
        messages = [error.trace.error.message for error in output.errors]
        assert any("boards:read" in message for message in messages), messages


def test_no_catalog_is_an_empty_product_group_stream():
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(no_catalog=True)) as emulator:
        output = sync(emulator_config(emulator), "catalogs", "catalogs_product_groups")
        assert not output.errors
        assert output.records == []
        assert emulator.stats()["by_status"] == {"200": 2, "409": 1}


def test_account_ids_restrict_every_ad_account_stream():
    with Emulator(profile="small", seed=1, port=0) as emulator:
        chosen = emulator.dataset.ad_accounts[1]["id"]
        output = sync(emulator_config(emulator, account_ids=[chosen]), "ad_accounts", "campaigns", "keywords")
        assert not output.errors
        emitted = records_by_stream(output)
        assert [account["id"] for account in emitted["ad_accounts"]] == [chosen]
        assert {campaign["ad_account_id"] for campaign in emitted["campaigns"]} == {chosen}
        assert all(f"/ad_accounts/{chosen}/" in entry.path for entry in emulator.request_log if "/ad_accounts/" in entry.path)


def test_an_inaccessible_account_id_fails_naming_it():
    with Emulator(profile="tiny", seed=1, port=0) as emulator:
        output = sync(emulator_config(emulator, account_ids=["123456789"]), "campaigns", expect_failure=True)
        assert output.records == []
        assert any("123456789" in error.trace.error.message for error in output.errors)


def test_every_emitted_record_validates_against_its_generated_schema(full_sync):
    emulator, output = full_sync
    config = emulator_config(emulator)
    schemas = {stream.name: stream.get_json_schema() for stream in SourcePinterest(config=config).streams(config)}
    for stream, records in records_by_stream(output).items():
        validator = Draft7Validator(schemas[stream])
        for record in records:
            errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
            assert not errors, (stream, record.get("id"), errors[:3])


def test_state_written_by_airbytes_published_connector_is_continued():
    """The published 2.x connector keys its per-account state by `id` (seen by running it against the emulator)."""
    with Emulator(profile="small", seed=2, port=0) as emulator:
        latest = {account: max(c["updated_time"] for c in campaigns) for account, campaigns in emulator.dataset.campaigns.items()}
        published = StateBuilder().with_stream_state("campaigns", {
            "use_global_cursor": False,
            "states": [{"partition": {"id": account, "parent_slice": {}}, "cursor": {"updated_time": str(cursor)}}
                       for account, cursor in latest.items()],
            "state": {"updated_time": str(max(latest.values()))}, "lookback_window": 1, "parent_state": {},
        }).build()
        output = sync(emulator_config(emulator), "campaigns", sync_mode=SyncMode.incremental, state=published)
    assert not output.errors
    # only each account's latest campaign (the cursor is inclusive), not the whole history again
    assert sorted(r.record.data["updated_time"] for r in output.records) == sorted(latest.values())
