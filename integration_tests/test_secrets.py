"""No secret reaches logs, traces or records, even in a debug-level sync with errors and retries."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pinterest_emulator import Emulator, EmulatorOptions, TargetedFault
from unit_tests.support import emulator_config

STREAMS = ("user_account", "boards", "ad_accounts", "campaigns", "catalogs_feeds", "catalogs_product_groups")


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_a_debug_sync_with_failures_prints_no_secret(tmp_path):
    options = EmulatorOptions(
        # a 401 forces a second refresh; a 403 and a 500 put error paths in the output
        fail_next=[TargetedFault(r"GET /v5/boards", "500", 1)], access_token_ttl_seconds=3600,
    )
    with Emulator(profile="tiny", seed=1, port=0, options=options) as emulator:
        config = emulator_config(emulator, account_ids=["1"])  # an inaccessible account: a config error
        config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
        config_path.write_text(json.dumps(config))
        catalog_path.write_text(json.dumps({"streams": [{
            "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for name in STREAMS]}))
        command = [str(Path(sys.executable).parent / "source-pinterest"), "read", "--debug",
                   "--config", str(config_path), "--catalog", str(catalog_path)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        issued = list(emulator.tokens._access) + list(emulator.tokens._refresh)

    lines = (result.stdout + result.stderr).splitlines()
    # the platform consumes the rotated tokens from the config control message and stores them as secrets
    output = "\n".join(line for line in lines if not line.startswith('{"type":"CONTROL"'))
    assert "DEBUG" in output and "ERROR" in output or '"status":"INCOMPLETE"' in output
    secrets = [config["credentials"]["client_secret"], config["credentials"]["refresh_token"], *issued]
    assert len(issued) >= 2
    for secret in secrets:
        assert secret not in output, f"a secret ({secret[:6]}...) leaked"
