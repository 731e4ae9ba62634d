"""Late conversions end to end: a sync on day T, the emulator's day moved 10 days on, then an
incremental sync from the saved state. Deduplicated by primary key (the last record wins, as
Airbyte's append + dedup does), every row of the last 30 days equals what a sync from scratch reads
on T+10 when the lookback follows the attribution windows (the default); with a 3-day lookback the
conversions that arrived later are missing from older days."""

import logging
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

import pytest
from freezegun import freeze_time

from airbyte_cdk.models import SyncMode

from pinterest_emulator import Emulator, EmulatorOptions
from source_pinterest.run import SourcePinterest
from unit_tests.support import TODAY, read_streams

T = TODAY - timedelta(days=20)
LATER = T + timedelta(days=10)
# Its own windows (7 days of clicks and engagements, 1 of views): a lookback of 10 days by default.
CUSTOM = {"name": "late", "level": "AD_GROUP", "granularity": "DAY",
          "columns": ["SPEND_IN_DOLLAR", "TOTAL_CLICK_CHECKOUT", "TOTAL_VIEW_CHECKOUT", "TOTAL_CONVERSIONS"],
          "click_window_days": 7, "engagement_window_days": 7, "view_window_days": 1}
STREAMS = ("campaign_analytics", "campaign_analytics_report", "custom_late")


@pytest.fixture
def emulator(fast_polling) -> Iterator[Emulator]:
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(today=T.isoformat())) as emu:
        yield emu


def sync_on(day: date, emulator: Emulator, config: dict, state: list | None = None):
    """A sync with the connector's clock and the emulator's day both on `day`."""
    emulator.options.today = day.isoformat()
    with freeze_time(datetime.combine(day, time(12), timezone.utc), tick=True):
        output = read_streams(config, *STREAMS, state=state, sync_mode=SyncMode.incremental)
    assert not output.errors, [error.trace.error.message for error in output.errors]
    return output


def warehouse(outputs, primary_keys: dict[str, list[str]]) -> dict[tuple, dict]:
    """Records deduplicated by stream and primary key, the last one winning."""
    rows = {}
    for output in outputs:
        for message in output.records:
            record = message.record
            rows[(record.stream, *(str(record.data[field]) for field in primary_keys[record.stream]))] = record.data
    return rows


def last_states(output) -> list:
    """The last state message of each stream."""
    return list({message.state.stream.stream_descriptor.name: message.state for message in output.state_messages}.values())


def primary_keys(config: dict) -> dict[str, list[str]]:
    catalog = SourcePinterest(config=config).discover(logging.getLogger("airbyte"), config)
    return {stream.name: [path[0] for path in stream.source_defined_primary_key] for stream in catalog.streams if stream.name in STREAMS}


def last_30_days(rows: dict[tuple, dict]) -> dict[tuple, dict]:
    first = (LATER - timedelta(days=29)).isoformat()
    return {key: row for key, row in rows.items() if str(row["DATE"])[:10] >= first}


@pytest.mark.long  # make test-all only (three syncs each; make test stays under 5 minutes)
@pytest.mark.parametrize("lookback", ["default", 3])
def test_an_incremental_sync_ten_days_later_brings_every_day_of_the_attribution_window_up_to_date(emulator, lookback):
    config = {"credentials": {"auth_method": "oauth2.0", **emulator.credentials}, "api_base_url": emulator.base_url,
              "start_date": (T - timedelta(days=40)).isoformat(), "custom_reports": [CUSTOM]}
    if lookback != "default":
        config["lookback_window_days"] = lookback
    keys = primary_keys(config)
    first = sync_on(T, emulator, config)
    assert {name for name in (m.state.stream.stream_descriptor.name for m in first.state_messages)} == set(STREAMS)
    second = sync_on(LATER, emulator, config, state=last_states(first))
    synced = last_30_days(warehouse([first, second], keys))
    fresh = sync_on(LATER, emulator, config)
    truth = last_30_days(warehouse([fresh], keys))
    assert len(second.records) < len(fresh.records)  # the second sync started from its state, not start_date

    assert {key[0] for key in truth} == set(STREAMS)
    # Conversions grew after the first sync on days it read: without a re-read these rows lag.
    grown = {key for key, row in warehouse([first], keys).items() if key in truth and truth[key] != row}
    assert {key[0] for key in grown} == set(STREAMS)
    behind = {key for key, row in truth.items() if synced.get(key) != row}
    if lookback == "default":
        assert synced == truth
    else:
        # Only days from 3 days before the first sync's cursor on were read again.
        assert {key[0] for key in behind} == set(STREAMS)
        assert all(str(truth[key]["DATE"])[:10] < (T - timedelta(days=3)).isoformat() for key in behind)
