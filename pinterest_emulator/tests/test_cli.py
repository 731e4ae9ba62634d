"""``python -m pinterest_emulator`` starts a server, prints where and how to reach it, stops on Ctrl-C."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]


def test_cli_serves_until_interrupted():
    process = subprocess.Popen(
        [sys.executable, "-m", "pinterest_emulator", "--port", "0", "--profile", "tiny", "--seed", "3",
         "--today", "2025-06-01", "--rate-limit", "ads_read=100/60", "--latency-ms", "1", "--no-catalog"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        banner = process.stdout.readline()
        assert "serving http://127.0.0.1:" in banner
        started = json.loads(process.stdout.readline())
        credentials = started["credentials"]
        token = requests.post(started["base_url"] + "/oauth/token", timeout=10,
                              auth=(credentials["client_id"], credentials["client_secret"]),
                              data={"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"]})
        headers = {"Authorization": "Bearer " + token.json()["access_token"]}
        accounts = requests.get(started["base_url"] + "/ad_accounts", headers=headers, timeout=10)
        assert accounts.status_code == 200 and len(accounts.json()["items"]) == 1
        assert accounts.headers["X-RateLimit-Limit"] == "100"
        assert requests.get(started["base_url"] + "/catalogs/product_groups", headers=headers).status_code == 409
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_cli_rejects_a_bad_rate_limit():
    result = subprocess.run([sys.executable, "-m", "pinterest_emulator", "--rate-limit", "ads_read"],
                            cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "CATEGORY=CALLS/SECONDS" in result.stderr
