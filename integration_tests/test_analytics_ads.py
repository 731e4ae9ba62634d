"""Analytics streams end to end against the emulator: exact rows, call counts, lookback, new entities.

The emulator's `today` is the real UTC date, which the connector also uses (`today_utc()`), and
start dates are a few days back so the runs stay small.
"""

import copy
import hashlib
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from pinterest_emulator import Emulator, EmulatorOptions
from pinterest_emulator.analytics import expected_ads_analytics_rows, expected_targeting_analytics_rows
from pinterest_emulator.organic_analytics import expected_pin_analytics, expected_top_pins, expected_user_account_analytics
from source_pinterest.run import SourcePinterest
from unit_tests.support import GENERATED

TODAY = datetime.now(timezone.utc).date()
ATTRIBUTION = {"click_window_days": 7, "engagement_window_days": 14, "view_window_days": 0, "conversion_report_time": "TIME_OF_CONVERSION"}


def start_emulator(profile: str) -> Emulator:
    return Emulator(profile=profile, seed=1, port=0, options=EmulatorOptions(today=TODAY.isoformat()))


@pytest.fixture
def tiny():
    with start_emulator("tiny") as emu:
        yield emu


@pytest.fixture
def small():
    with start_emulator("small") as emu:
        yield emu


def config_for(emu: Emulator, start: date, **extra) -> dict:
    return {"credentials": {"auth_method": "oauth2.0", **emu.credentials}, "api_base_url": emu.base_url, "start_date": start.isoformat(), **extra}


def sync(config: dict, *streams: str, state=None):
    builder = CatalogBuilder()
    for stream in streams:
        builder.with_stream(stream, SyncMode.incremental)
    catalog = builder.build()
    output = read(SourcePinterest(catalog=catalog, config=config, state=state), config, catalog, state)
    assert not output.errors, [e.trace.error.message for e in output.errors]
    return output


def records(output, stream: str) -> list[dict]:
    return [r.record.data for r in output.records if r.record.stream == stream]


def key(row: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.items()))


def analytics_calls(emu: Emulator, fragment: str) -> list:
    return [e for e in emu.request_log if e.path.endswith(fragment)]


ANALYTICS_COLUMNS = GENERATED["analytics_columns"]  # every ads analytics stream asks for the same


def account_ids(emu: Emulator, entity: str) -> dict[str, list[str]]:
    return {account["id"]: [e["id"] for e in getattr(emu.dataset, entity)[account["id"]]] for account in emu.dataset.ad_accounts}


# stream -> (analytics level, dataset entity listed per ad account, ids per call); None: the account.
ADS_ANALYTICS = {
    "ad_account_analytics": ("ADVERTISER", None, None),
    "campaign_analytics": ("CAMPAIGN", "campaigns", 250),
    "ad_group_analytics": ("AD_GROUP", "ad_groups", 250),
    "ad_analytics": ("AD", "ads", 250),
    "product_group_analytics": ("PRODUCT_GROUP", "product_groups", 250),
}
TARGETING_ANALYTICS = {
    "ad_account_targeting_analytics": ("ADVERTISER", None, None),
    "campaign_targeting_analytics": ("CAMPAIGN", "campaigns", 250),
    "ad_group_targeting_analytics": ("AD_GROUP", "ad_groups", 250),
    "ad_targeting_analytics": ("AD", "ads", 250),
}
ORGANIC_ANALYTICS = ("user_account_analytics", "pin_analytics", "user_account_top_pins")


def entity_ids(emu: Emulator, entity: str, account: str) -> list[str]:
    """Ids the analytics of `entity` cover in an ad account: product groups are the catalog product
    groups of the account's promotions, each once."""
    if entity == "product_groups":
        return list(dict.fromkeys(p["catalog_product_group_id"] for p in emu.dataset.product_group_promotions[account]))
    return [e["id"] for e in getattr(emu.dataset, entity)[account]]


def iter_expected_records(emu: Emulator, stream: str, start: date, attribution: dict | None = None) -> Iterator[dict]:
    """The records an analytics stream must emit for a sync from `start` to today, from the emulator,
    computed 250 entities at a time."""
    dataset, accounts = emu.dataset, [account["id"] for account in emu.dataset.ad_accounts]
    if stream in ADS_ANALYTICS or stream in TARGETING_ANALYTICS:
        level, entity, per_call = {**ADS_ANALYTICS, **TARGETING_ANALYTICS}[stream]
        for account in accounts:
            ids = entity and entity_ids(emu, entity, account)
            for batch in [ids[i:i + per_call] for i in range(0, len(ids), per_call)] if ids else [None]:
                if stream in ADS_ANALYTICS:
                    yield from expected_ads_analytics_rows(dataset, level, account, batch, start, TODAY, ANALYTICS_COLUMNS, attribution, today=TODAY)
                else:
                    yield from flat_targeting(expected_targeting_analytics_rows(
                        dataset, level, account, batch, start, TODAY, ANALYTICS_COLUMNS,
                        GENERATED["targeting_types"][stream].split(","), attribution, today=TODAY,
                    ))
    elif stream == "pin_analytics":
        pin_ids = [str(pin["id"]) for pin in dataset.pins]
        pins = expected_pin_analytics(dataset, pin_ids, start, TODAY, GENERATED["pin_metric_types"], today=TODAY)
        yield from ({"pin_id": pin_id, **row} for pin_id, body in pins.items() for row in body["all"]["daily_metrics"])
    elif stream == "user_account_analytics":
        yield from expected_user_account_analytics(dataset, start, TODAY, today=TODAY)["all"]["daily_metrics"]
    else:
        window = {"start_date": (TODAY - timedelta(days=90)).isoformat(), "end_date": TODAY.isoformat()}
        for sort_by in GENERATED["top_pins_sort_by"]:
            top = expected_top_pins(dataset, window["start_date"], window["end_date"], sort_by, today=TODAY, num_of_pins=50)
            yield from ({**pin, "sort_by": sort_by, **window} for pin in top["pins"])


def expected_records(emu: Emulator, stream: str, start: date, attribution: dict | None = None) -> list[dict]:
    return list(iter_expected_records(emu, stream, start, attribution))


def flat_targeting(items: list[dict]) -> list[dict]:
    """Targeting items as the connector flattens them: ids and targeting values as strings."""
    rows = []
    for item in items:
        id_column = next(column for column in ("AD_ID", "AD_GROUP_ID", "CAMPAIGN_ID", "AD_ACCOUNT_ID") if column in item["metrics"])
        rows.append({
            **item["metrics"], id_column: str(item["metrics"][id_column]),
            "TARGETING_TYPE": item["targeting_type"], "TARGETING_VALUE": str(item["targeting_value"]),
        })
    return rows


def digests(rows: Iterable[dict]) -> Counter:
    """A multiset of row fingerprints: millions of rows compared without holding them."""
    return Counter(hashlib.blake2b(repr(key(row)).encode(), digest_size=16).digest() for row in rows)


def packaged_read_digests(config: dict, streams: Iterable[str]) -> dict[str, Counter]:
    """Runs the installed `source-pinterest read` in a subprocess (the emulator keeps this process) and
    digests its records per stream as they stream out; any error trace fails the test."""
    builder = CatalogBuilder()
    for stream in streams:
        builder.with_stream(stream, SyncMode.full_refresh)
    with tempfile.TemporaryDirectory() as tmp:
        config_path, catalog_path = Path(tmp, "config.json"), Path(tmp, "catalog.json")
        config_path.write_text(json.dumps(config))
        catalog_path.write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(builder.build())))
        command = [str(Path(sys.executable).parent / "source-pinterest"), "read", "--config", str(config_path), "--catalog", str(catalog_path)]
        found: dict[str, Counter] = {}
        errors = []
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as connector:
            for line in connector.stdout:
                message = json.loads(line)
                if message["type"] == "RECORD":
                    record = message["record"]
                    found.setdefault(record["stream"], Counter())[hashlib.blake2b(repr(key(record["data"])).encode(), digest_size=16).digest()] += 1
                elif message["type"] == "TRACE" and message["trace"]["type"] == "ERROR":
                    errors.append(message["trace"]["error"]["message"])
        assert connector.returncode == 0 and not errors, errors
    return found


@pytest.mark.long
def test_standard_profile_sync_of_every_analytics_stream_emits_exactly_the_emulators_rows_in_the_fewest_calls():
    """Every analytics stream on the standard profile (3 ad accounts, 3,400 campaigns, 7,600 ad groups,
    23,000 ads, 2,750 pins) for today, with non-default attribution settings: about 1.2 M rows."""
    streams = (*ADS_ANALYTICS, *TARGETING_ANALYTICS, *ORGANIC_ANALYTICS)
    with start_emulator("standard") as emu:
        emitted = packaged_read_digests(config_for(emu, TODAY, **ATTRIBUTION), streams)
        for stream in streams:
            expected = digests(iter_expected_records(emu, stream, TODAY, None if stream in ORGANIC_ANALYTICS else ATTRIBUTION))
            assert expected and emitted.get(stream) == expected, stream

        # ceil(N/250) calls per ad account and entity level (one 90-day window), 1 per account-level stream.
        for stream, (level, entity, per_call) in {**ADS_ANALYTICS, **TARGETING_ANALYTICS}.items():
            fragment = ("/targeting_analytics" if stream in TARGETING_ANALYTICS else "/analytics")
            prefix = {"ADVERTISER": "", "CAMPAIGN": "/campaigns", "AD_GROUP": "/ad_groups", "AD": "/ads", "PRODUCT_GROUP": "/product_groups"}[level]
            for account in (a["id"] for a in emu.dataset.ad_accounts):
                calls = [e for e in emu.request_log if e.path.endswith(f"/ad_accounts/{account}{prefix}{fragment}")]
                minimum = 1 if entity is None else math.ceil(len(entity_ids(emu, entity, account)) / per_call)
                assert len(calls) == minimum, (stream, account)
        assert len(analytics_calls(emu, "/pins/analytics")) == math.ceil(len(emu.dataset.pins) / 100)


def test_full_sync_emits_exactly_the_emulators_rows_with_the_configured_attribution(tiny):
    start = TODAY - timedelta(days=2)
    streams = ("campaign_analytics", "ad_account_targeting_analytics", "pin_analytics", "user_account_analytics")
    output = sync(config_for(tiny, start, **ATTRIBUTION), *streams)
    for stream in streams:
        expected = expected_records(tiny, stream, start, None if stream in ORGANIC_ANALYTICS else ATTRIBUTION)
        assert expected and sorted(map(key, records(output, stream))) == sorted(map(key, expected)), stream
    [targeting_call] = analytics_calls(tiny, "/targeting_analytics")  # one account, every type in one call
    assert targeting_call.query["targeting_types"] == [GENERATED["targeting_types"]["ad_account_targeting_analytics"]]

    for call in analytics_calls(tiny, "/campaigns/analytics") + analytics_calls(tiny, "/targeting_analytics"):
        assert call.query["click_window_days"] == ["7"] and call.query["view_window_days"] == ["0"]
        assert call.query["conversion_report_time"] == ["TIME_OF_CONVERSION"]
        assert call.query["start_date"] == [start.isoformat()] and call.query["end_date"] == [TODAY.isoformat()]


def test_calls_are_ceil_n_over_250_per_ad_account_and_parents_are_listed_once(small):
    sync(config_for(small, TODAY - timedelta(days=1)), "campaign_analytics", "ad_analytics", "pin_analytics")
    pin_calls = analytics_calls(small, "/pins/analytics")
    assert len(pin_calls) == math.ceil(len(small.dataset.pins) / 100) and all(len(c.query["pin_ids"]) <= 100 for c in pin_calls)
    assert sorted(i for c in pin_calls for i in c.query["pin_ids"]) == sorted(str(p["id"]) for p in small.dataset.pins)
    for entity, fragment, ids_name in (("campaigns", "/campaigns/analytics", "campaign_ids"), ("ads", "/ads/analytics", "ad_ids")):
        for account, ids in account_ids(small, entity).items():
            calls = [c for c in analytics_calls(small, fragment) if f"/{account}/" in c.path]
            days = 1  # TODAY - start: one 90-day window
            assert len(calls) == math.ceil(len(ids) / 250) * math.ceil(days / 90)
            asked = [i for c in calls for i in c.query[ids_name]]
            assert sorted(asked) == sorted(ids) and all(len(c.query[ids_name]) <= 250 for c in calls)
    by_route = small.stats()["by_route"]
    assert by_route["GET /ad_accounts/{ad_account_id}/campaigns"] == 3  # 260 + 30 campaigns: 2 pages + 1
    assert by_route["GET /ad_accounts/{ad_account_id}/ads"] == 4  # 600 + 80 ads: 3 pages + 1


def test_incremental_sync_rereads_the_lookback_and_reads_a_new_campaign_in_full(tiny):
    start = TODAY - timedelta(days=20)
    config = config_for(tiny, start, lookback_window_days=3)
    first = sync(config, "campaign_analytics")
    account, campaigns = next(iter(tiny.dataset.campaigns.items()))

    # A campaign that appears after the first sync (created two days ago).
    new = copy.deepcopy(campaigns[0])
    new["id"] = str(int(campaigns[-1]["id"]) + 700)
    new["created_time"] = new["updated_time"] = int(datetime.combine(TODAY - timedelta(days=2), datetime.min.time(), timezone.utc).timestamp())
    campaigns.append(new)
    tiny.reset_stats()

    second = sync(config, "campaign_analytics", state=[first.state_messages[-1].state])
    calls = analytics_calls(tiny, "/campaigns/analytics")
    assert calls and all(c.query["start_date"] == [(TODAY - timedelta(days=3)).isoformat()] for c in calls)
    assert new["id"] in calls[0].query["campaign_ids"]
    expected_new = expected_ads_analytics_rows(tiny.dataset, "CAMPAIGN", account, [new["id"]], start, TODAY, ANALYTICS_COLUMNS, today=TODAY)
    assert expected_new
    emitted_new = [row for row in records(second, "campaign_analytics") if row["CAMPAIGN_ID"] == new["id"]]
    assert sorted(map(key, emitted_new)) == sorted(map(key, expected_new))


def test_ad_group_ad_product_group_and_targeting_rows_match_the_emulator(tiny):
    start = TODAY - timedelta(days=1)
    streams = (
        "product_group_analytics", "ad_group_analytics", "ad_analytics",
        "campaign_targeting_analytics", "ad_group_targeting_analytics", "ad_targeting_analytics",
    )
    output = sync(config_for(tiny, start), *streams)
    for stream in streams:
        expected = expected_records(tiny, stream, start)
        assert expected and sorted(map(key, records(output, stream))) == sorted(map(key, expected)), stream


def test_top_pins_are_read_for_every_sort_order(tiny):
    output = sync(config_for(tiny, TODAY - timedelta(days=1)), "user_account_top_pins")
    expected = expected_records(tiny, "user_account_top_pins", TODAY - timedelta(days=1))
    assert expected and sorted(map(key, records(output, "user_account_top_pins"))) == sorted(map(key, expected))
