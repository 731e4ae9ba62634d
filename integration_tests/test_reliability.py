"""Reliability against the emulator's fault modes: injected faults, an interrupted sync resumed, a used-up daily quota."""

import copy
import json
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from airbyte_cdk.models import FailureType, SyncMode

from pinterest_emulator import Emulator, EmulatorOptions
from source_pinterest.run import SourcePinterest
from unit_tests.support import TODAY, connection_status, emulator_config, final_state, read_streams as sync, records_by_stream, run_command

ENTITY_STREAMS = (
    "user_account", "boards", "board_sections", "board_pins", "board_section_pins", "pins",
    "ad_accounts", "campaigns", "ad_groups", "ads", "product_group_promotions", "audiences", "keywords",
    "campaign_keywords", "conversion_tags", "customer_lists", "catalogs", "catalogs_feeds", "catalogs_product_groups",
)
INCREMENTAL_STREAMS = ("campaigns", "ad_groups", "ads")


def record_keys(output) -> Counter:
    return Counter((stream, json.dumps(record, sort_keys=True)) for stream, records in records_by_stream(output).items()
                   for record in records)


@pytest.fixture(scope="module")
def clean_sync():
    with Emulator(profile="small", seed=3, port=0) as emulator:
        yield sync(emulator_config(emulator), *ENTITY_STREAMS)


def test_injected_faults_change_nothing_in_what_is_emitted(clean_sync):
    faults = EmulatorOptions(fault_rate=0.1, fault_kinds=["429", "500", "503", "drop", "truncate", "cut"], fault_oauth=False)
    with Emulator(profile="small", seed=3, port=0, options=faults) as emulator:
        faulty = sync(emulator_config(emulator), *ENTITY_STREAMS)
        injected = emulator.stats()["by_fault"]
    assert not faulty.errors, [error.trace.error.message for error in faulty.errors]
    assert set(injected) == {"429", "500", "503", "drop", "truncate", "cut"}, injected
    assert record_keys(faulty) == record_keys(clean_sync)


CUT_ROUTES = {  # cached parents, an organic and an ads analytics answer, a report download
    "ad_accounts": r"GET /v5/ad_accounts\?", "boards": r"GET /v5/boards\?", "ad_groups": r"/ad_groups\?",
    "user_account_analytics": r"/user_account/analytics\?", "ad_group_analytics": r"/ad_groups/analytics\?",
    "advertiser_report": r"GET /_downloads/",
}


def test_answers_cut_off_with_a_matching_content_length_are_fetched_again_and_nothing_is_lost(fast_polling):
    streams = ["boards", "board_pins", "board_sections", "ad_accounts", "campaigns", "ad_groups", "ads", "keywords",
               "user_account_analytics", "ad_group_analytics", "advertiser_report"]
    with Emulator(profile="tiny", seed=7, port=0, options=EmulatorOptions(today=TODAY.isoformat())) as emulator:
        config = emulator_config(emulator, start_date=(TODAY - timedelta(days=3)).isoformat())
        clean = sync(config, *streams, sync_mode=SyncMode.incremental)
        emulator.configure(fail_next=[{"pattern": pattern, "kind": "cut"} for pattern in CUT_ROUTES.values()])
        cut = sync(config, *streams, sync_mode=SyncMode.incremental)
        left = emulator.options.fail_next
    assert not clean.errors and not cut.errors, [error.trace.error.message for error in clean.errors + cut.errors]
    assert left == [], "every cut was served"
    assert set(records_by_stream(clean)) == set(streams)
    assert record_keys(cut) == record_keys(clean)


def mixed_catalog_files(tmp_path: Path, config: dict, state: list | None = None) -> list[str]:
    catalog = {"streams": [{
        "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
        "sync_mode": "incremental" if name in INCREMENTAL_STREAMS else "full_refresh",
        "destination_sync_mode": "append",
    } for name in ENTITY_STREAMS]}
    paths = {"config": config, "catalog": catalog}
    if state is not None:
        paths["state"] = state
    args = []
    for name, content in paths.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(content))
        args += [f"--{name}", str(path)]
    return args


def run_read(args: list[str], stop_after_states: int | None = None) -> tuple[list[dict], list[dict], int]:
    """Runs `source-pinterest read` as the platform does; kills it after that many state messages."""
    command = [str(Path(sys.executable).parent / "source-pinterest"), "read", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    records, states = [], []
    for line in process.stdout:
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if message["type"] == "RECORD":
            records.append(message["record"])
        elif message["type"] == "STATE":
            states.append(message["state"])
            if stop_after_states and len(states) >= stop_after_states:
                process.kill()
                break
    process.wait()
    return records, states, process.returncode


def last_state_per_stream(states: list[dict]) -> list[dict]:
    return list({state["stream"]["stream_descriptor"]["name"]: state for state in states}.values())


def keyed(records: list[dict]) -> set[tuple[str, str]]:
    return {(record["stream"], json.dumps(record["data"], sort_keys=True)) for record in records}


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_a_sync_killed_midway_and_resumed_leaves_no_gap(tmp_path):
    with Emulator(profile="small", seed=4, port=0, options=EmulatorOptions(latency_ms=3)) as emulator:
        config = emulator_config(emulator)
        clean, _, clean_code = run_read(mixed_catalog_files(tmp_path, config))
        first, states, first_code = run_read(mixed_catalog_files(tmp_path, config), stop_after_states=4)
        resumed, _, resumed_code = run_read(mixed_catalog_files(tmp_path, config, last_state_per_stream(states)))
    assert clean_code == 0 and resumed_code == 0 and first_code != 0
    assert len(first) < len(clean), "the first sync must be cut off before its end"
    assert keyed(clean) <= keyed(first) | keyed(resumed)


def test_a_used_up_daily_quota_ends_the_stream_with_the_reset_time_and_a_resumable_state():
    quota = EmulatorOptions(rate_limits={"ads_read": (3, 86_400)})
    with Emulator(profile="small", seed=5, port=0, options=quota) as emulator:
        config = emulator_config(emulator, num_threads=2)
        clean_ids = {campaign["id"] for campaigns in emulator.dataset.campaigns.values() for campaign in campaigns}
        stopped = sync(config, "campaigns", sync_mode=SyncMode.incremental, expect_failure=True)
        error = stopped.errors[0].trace.error
        assert error.failure_type == FailureType.transient_error
        assert "UTC" in error.message and "run the sync again" in error.message
        saved = final_state(stopped)
        assert saved and saved[0].stream.stream_state.__dict__["states"], "the account read in full must be saved"

        emulator.configure(rate_limits={})
        resumed = sync(config, "campaigns", sync_mode=SyncMode.incremental, state=final_state(stopped))
    assert not resumed.errors
    emitted = {record.record.data["id"] for record in stopped.records + resumed.records}
    assert emitted == clean_ids


def every_stream(config: dict) -> list[str]:
    return [stream.name for stream in SourcePinterest(config=config).streams(config)]


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_injected_faults_change_nothing_in_any_stream(fast_polling):
    """Every stream, analytics and async reports included, on a short window of the tiny profile."""
    options = {"today": TODAY.isoformat()}
    with Emulator(profile="tiny", seed=6, port=0, options=EmulatorOptions(**options)) as emulator:
        config = emulator_config(emulator, start_date=(TODAY - timedelta(days=5)).isoformat())
        streams = every_stream(config)
        clean = sync(config, *streams)
    faults = EmulatorOptions(fault_rate=0.1, fault_kinds=["429", "500", "503", "drop", "truncate", "cut"], fault_oauth=False, **options)
    with Emulator(profile="tiny", seed=6, port=0, options=faults) as emulator:
        faulty = sync(emulator_config(emulator, start_date=(TODAY - timedelta(days=5)).isoformat()), *streams)
        injected = emulator.stats()["by_fault"]
    assert not clean.errors and not faulty.errors, [error.trace.error.message for error in clean.errors + faulty.errors]
    assert set(injected) == {"429", "500", "503", "drop", "truncate", "cut"}, injected
    assert record_keys(faulty) == record_keys(clean)
    assert {"campaigns", "campaign_analytics", "pin_analytics", "advertiser_report", "campaign_targeting_report"} <= set(records_by_stream(clean))


TOKEN_STREAMS = ("boards", "board_pins", "campaigns", "ad_groups", "campaign_keywords", "campaign_analytics")  # ~300 calls on small


@pytest.mark.long  # about 30 s: make test-all only
def test_access_tokens_expiring_while_four_workers_are_busy_lose_nothing():
    """Tokens live 4 s and the server's clock runs 1.5 s ahead: requests still in flight when a token
    dies get 401, some after another worker has refreshed it. Each is retried with the newest token
    (the CDK's HTTP client: it re-applies the authenticator to a retry, and refreshes only when the
    token the request carried is still the current one)."""
    short_lived = EmulatorOptions(today=TODAY.isoformat(), latency_ms=120, strict_refresh_rotation=True,
                                  access_token_ttl_seconds=4, access_token_early_expiry_seconds=1.5)
    with Emulator(profile="small", seed=8, port=0, options=EmulatorOptions(today=TODAY.isoformat())) as emulator:
        clean = sync(emulator_config(emulator, num_threads=4), *TOKEN_STREAMS)
    with Emulator(profile="small", seed=8, port=0, options=short_lived) as emulator:
        expiring = sync(emulator_config(emulator, num_threads=4), *TOKEN_STREAMS)
        statuses, refreshes = emulator.stats()["by_status"], emulator.stats()["by_route"]["POST /oauth/token"]
    assert not clean.errors and not expiring.errors, [error.trace.error.message for error in clean.errors + expiring.errors]
    assert statuses.get("401", 0) >= 1 and refreshes >= 3, (statuses, refreshes)
    assert record_keys(expiring) == record_keys(clean)


def test_records_that_do_not_match_the_schema_are_emitted_with_one_warning_and_never_move_the_state():
    options = EmulatorOptions(today=TODAY.isoformat(), extra={"malformed_records": True})
    with Emulator(profile="small", seed=9, port=0, options=options) as emulator:
        config = emulator_config(emulator, start_date=(TODAY - timedelta(days=20)).isoformat())
        output = sync(config, "campaigns", "campaign_analytics", sync_mode=SyncMode.incremental)
        campaigns = emulator.dataset.campaigns
    assert not output.errors
    emitted = records_by_stream(output)
    without_cursor = [campaign["id"] for campaign in emitted["campaigns"] if "updated_time" not in campaign]
    assert sorted(without_cursor) == sorted(account_campaigns[0]["id"] for account_campaigns in campaigns.values())
    assert len(emitted["campaigns"]) == sum(map(len, campaigns.values()))
    assert sum(row["SPEND_IN_DOLLAR"] == "n/a" for row in emitted["campaign_analytics"]) >= 2  # a row per call
    warnings = [message.log.message for message in output.logs if message.log.level.value == "WARN"]
    assert sum(message.startswith("Stream campaign_analytics: field 'SPEND_IN_DOLLAR' is \"n/a\"") for message in warnings) == 1
    saved = {entry["partition"]["ad_account_id"]: int(entry["cursor"]["updated_time"])
             for state in final_state(output) if state.stream.stream_descriptor.name == "campaigns"
             for entry in state.stream.stream_state.__dict__["states"]}
    assert saved == {account: max(campaign["updated_time"] for campaign in account_campaigns[1:]) for account, account_campaigns in campaigns.items()}


REAUTHENTICATION_SENTENCE = ("Refresh token was rejected by the OAuth provider (invalid, expired, or already used). "
                             "Re-authenticate this source's credentials in its connection settings.")


def test_a_refresh_token_already_rotated_away_fails_as_a_config_error_asking_to_reauthenticate(tmp_path):
    """Pinterest rotates the refresh token at each refresh; a saved config still holding the old one gets 401, code 283."""
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(today=TODAY.isoformat(), strict_refresh_rotation=True)) as emulator:
        saved = emulator_config(emulator)
        assert not sync(copy.deepcopy(saved), "boards").errors  # rotates the token the saved config holds
        failed = sync(saved, "boards", expect_failure=True)
        check = connection_status(run_command(tmp_path, "check", saved))
    error = failed.errors[0].trace.error
    assert not failed.records and error.failure_type == FailureType.config_error and error.message == REAUTHENTICATION_SENTENCE
    assert check == {"status": "FAILED", "message": f"Stream user_account is not available: {REAUTHENTICATION_SENTENCE}"}


def test_a_revoked_refresh_token_fails_check_asking_to_reauthenticate(tmp_path):
    with Emulator(profile="tiny", seed=1, port=0, options=EmulatorOptions(today=TODAY.isoformat(), revoke_refresh_tokens=True)) as emulator:
        check = connection_status(run_command(tmp_path, "check", emulator_config(emulator)))
    assert check == {"status": "FAILED", "message": f"Stream user_account is not available: {REAUTHENTICATION_SENTENCE}"}
