"""Quotas per x-ratelimit-category: 429 code 8 with X-RateLimit-* headers once a quota is used up."""

import time

import pytest


def test_quota_per_category(client, emulator, account_ids):
    emulator.configure(rate_limits={"ads_read": (3, 60)})
    first = client.get("/ad_accounts")
    assert first.headers["X-RateLimit-Limit"] == "3" and first.headers["X-RateLimit-Remaining"] == "2"
    for _ in range(2):
        assert client.get(f"/ad_accounts/{account_ids[0]}/campaigns").status_code == 200
    limited = client.get("/ad_accounts")
    assert limited.status_code == 429
    assert limited.json()["code"] == 8
    assert 0 < int(limited.headers["X-RateLimit-Reset"]) <= 60
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert client.get("/user_account").status_code == 200  # org_read has its own quota (none here)


def test_daily_quota_gives_a_large_reset(client, emulator):
    emulator.configure(rate_limits={"org_read": [1, 86400]})
    assert client.get("/user_account").status_code == 200
    limited = client.get("/user_account")
    assert limited.status_code == 429
    assert int(limited.headers["X-RateLimit-Reset"]) > 80000


def test_quota_over_all_categories(client, emulator):
    emulator.configure(rate_limits={"*": (2, 60)})
    assert client.get("/user_account").status_code == 200
    assert client.get("/ad_accounts").status_code == 200
    assert client.get("/catalogs").status_code == 429


def test_window_resets(client, emulator):
    emulator.configure(rate_limits={"catalogs_read": (1, 0.2)})
    assert client.get("/catalogs").status_code == 200
    assert client.get("/catalogs").status_code == 429
    time.sleep(0.25)
    assert client.get("/catalogs").status_code == 200


@pytest.mark.parametrize("limits", [{}, {"ads_analytics": (1, 60)}])
def test_no_quota_no_headers(client, emulator, limits):
    emulator.configure(rate_limits=limits)
    response = client.get("/ad_accounts")
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response.headers
