"""Request log, counters and the admin HTTP routes (which are neither counted nor faulted)."""

import requests


def test_counters_per_route_category_and_status(client, emulator, account_ids):
    client.get("/ad_accounts")
    client.get(f"/ad_accounts/{account_ids[0]}/campaigns")
    client.get(f"/ad_accounts/{account_ids[1]}/campaigns")
    client.get("/ad_accounts/1/campaigns")
    requests.get(emulator.base_url + "/user_account")
    stats = emulator.stats()
    assert stats["total"] == 5
    assert stats["by_route"] == {"GET /ad_accounts": 1, "GET /ad_accounts/{ad_account_id}/campaigns": 3,
                                 "GET /user_account": 1}
    assert stats["by_category"] == {"ads_read": 4, "org_read": 1}
    assert stats["by_status"] == {"200": 3, "403": 1, "401": 1}


def test_request_log_entries(client, emulator, account_ids):
    client.get(f"/ad_accounts/{account_ids[0]}/ads", page_size=5)
    entries = emulator.request_log
    assert len(entries) == 1, entries
    entry = entries[0]
    assert entry.method == "GET"
    assert entry.route == "/ad_accounts/{ad_account_id}/ads"
    assert entry.path == f"/v5/ad_accounts/{account_ids[0]}/ads"
    assert entry.query == {"page_size": ["5"]}
    assert (entry.status, entry.category) == (200, "ads_read")
    assert entry.timestamp > 0


def test_unmatched_paths_are_counted(client, emulator):
    assert client.get("/nowhere").status_code == 404
    assert emulator.stats()["by_route"] == {"GET <unmatched>": 1}, emulator.request_log


def test_reset(client, emulator):
    client.get("/user_account")
    emulator.reset_stats()
    assert emulator.stats()["total"] == 0 and emulator.request_log == []


def test_admin_routes(client, emulator, account_ids):
    admin = emulator.root_url + "/_emulator"
    client.get("/user_account")
    assert requests.get(admin + "/stats").json()["total"] == 1
    entries = requests.get(admin + "/log").json()["entries"]
    assert [entry["route_key"] for entry in entries] == ["GET /user_account"]

    config = requests.post(admin + "/config", json={"role": "ANALYST", "rate_limits": {"ads_read": [5, 60]},
                                                    "report_polls": 3}).json()
    assert config["role"] == "ANALYST" and config["extra"]["report_polls"] == 3
    assert emulator.options.rate_limits == {"ads_read": (5, 60.0)}
    assert client.get("/boards").status_code == 403
    assert requests.post(admin + "/config", json={"role": "GUEST", "latency_ms": 5}).status_code == 400
    assert (emulator.options.role, emulator.options.latency_ms) == ("ANALYST", 0)  # all or nothing

    touched = requests.post(admin + "/touch", json={"stream": "campaigns", "count": 3}).json()["touched"]
    assert set(touched) == set(account_ids) and all(len(ids) == 3 for ids in touched.values())
    newest = max(c["updated_time"] for c in emulator.dataset.campaigns[account_ids[0]])
    assert newest == max(c["updated_time"] for c in emulator.dataset.campaigns[account_ids[0]] if c["id"] in touched[account_ids[0]])

    assert requests.post(admin + "/reset").status_code == 200
    assert emulator.stats()["total"] == 0
    assert requests.get(admin + "/nothing").status_code == 404
    assert emulator.stats()["total"] == 0  # admin calls are not counted


def test_touched_entities_are_served_with_the_new_updated_time(client, emulator, account_ids):
    touched = emulator.touch("ads", 4)[account_ids[1]]
    ads = client.walk(f"/ad_accounts/{account_ids[1]}/ads", page_size=250, entity_statuses="ACTIVE,PAUSED,ARCHIVED")
    latest = sorted(ads, key=lambda ad: ad["updated_time"])[-4:]
    assert {ad["id"] for ad in latest} == set(touched)


def test_concurrent_clients(emulator, account_ids):
    from concurrent.futures import ThreadPoolExecutor

    token = emulator.issue_access_token()

    def call(index: int) -> int:
        with requests.Session() as session:
            session.headers["Authorization"] = "Bearer " + token
            return session.get(f"{emulator.base_url}/ad_accounts/{account_ids[index % 2]}/campaigns").status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(call, range(200))) == {200}
    assert emulator.stats()["total"] == 200
