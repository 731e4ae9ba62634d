"""The fewest API calls a full sync of the emulator's dataset needs, per emulator route."""

import datetime as dt
import math
from collections import Counter

PAGE = 250  # page_size and ids per analytics call
ANALYTICS_DAYS = 90  # days per synchronous analytics call
PIN_IDS = 100  # pin ids per pin analytics call


def flat(per_parent: dict) -> list[dict]:
    return [item for items in per_parent.values() for item in items]


def pages(count: int, size: int = PAGE) -> int:
    """Calls for one parent: an empty list still costs one call."""
    return max(1, math.ceil(count / size))


def entity_calls(dataset) -> dict[str, int]:
    """Entity list routes: ceil(items / 250) per parent; keywords of the account and of 250 ad groups at a
    time (the `keywords` stream; `campaign_keywords` adds `campaign_keyword_calls` on the same route)."""
    accounts = [account["id"] for account in dataset.ad_accounts]
    keyword_calls = 0
    for account in accounts:
        keywords = dataset.keywords[account]
        keyword_calls += pages(sum(keyword["parent_id"] == account for keyword in keywords))
        ad_group_ids = sorted((group["id"] for group in dataset.ad_groups[account]), key=int)
        for start in range(0, len(ad_group_ids), PAGE):
            batch = set(ad_group_ids[start:start + PAGE])
            keyword_calls += pages(sum(keyword["parent_id"] in batch for keyword in keywords))
    promotions_per_group = Counter(promotion["ad_group_id"] for promotion in flat(dataset.product_group_promotions))
    return {
        "POST /oauth/token": 1,
        "GET /user_account": 1,
        "GET /boards": pages(len(dataset.boards)),
        "GET /boards/{board_id}/sections": sum(pages(len(s)) for s in dataset.board_sections.values()),
        "GET /boards/{board_id}/pins": sum(pages(len(p)) for p in dataset.board_pins.values()),
        "GET /boards/{board_id}/sections/{section_id}/pins": sum(pages(len(p)) for p in dataset.section_pins.values()),
        "GET /pins": pages(len(dataset.pins)),
        "GET /ad_accounts": pages(len(accounts)),
        **{f"GET /ad_accounts/{{ad_account_id}}/{stream}": sum(pages(len(getattr(dataset, stream)[a])) for a in accounts)
           for stream in ("campaigns", "ad_groups", "ads", "audiences", "customer_lists")},
        "GET /ad_accounts/{ad_account_id}/conversion_tags": len(accounts),  # not paged
        "GET /ad_accounts/{ad_account_id}/product_group_promotions": sum(
            pages(promotions_per_group[group["id"]]) for group in flat(dataset.ad_groups)),
        "GET /ad_accounts/{ad_account_id}/keywords": keyword_calls,
        "GET /catalogs": pages(len(dataset.catalogs)),
        "GET /catalogs/feeds": pages(len(dataset.catalog_feeds)),
        "GET /catalogs/product_groups": pages(len(dataset.catalog_product_groups)),
    }


def analytics_calls(dataset, start: dt.date, end: dt.date) -> dict[str, int]:
    """Daily analytics over start..end: ceil(ids / 250) x ceil(days / 90) per ad account; pins 100 ids a call."""
    windows = pages((end - start).days + 1, ANALYTICS_DAYS)
    accounts = [account["id"] for account in dataset.ad_accounts]
    per_level = {
        "campaigns": dataset.campaigns, "ad_groups": dataset.ad_groups, "ads": dataset.ads,
    }
    calls = {
        "GET /ad_accounts/{ad_account_id}/analytics": len(accounts) * windows,
        "GET /user_account/analytics": windows,
        "GET /pins/analytics": windows * math.ceil(len(dataset.pins) / PIN_IDS),
    }
    for level, entities in per_level.items():
        # an account without entities of the level needs no call
        calls[f"GET /ad_accounts/{{ad_account_id}}/{level}/analytics"] = windows * sum(
            math.ceil(len(entities[account]) / PAGE) for account in accounts)
    return calls


def campaign_keyword_calls(dataset) -> int:
    """The `campaign_keywords` stream: one call (a page each) per campaign, no filter taking several."""
    return sum(pages(sum(keyword["parent_id"] == campaign["id"] for keyword in dataset.keywords[account["id"]]))
               for account in dataset.ad_accounts for campaign in dataset.campaigns[account["id"]])


def minimum_calls(dataset, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, int]:
    """Entity routes always; analytics routes too when given the sync's date range."""
    calls = entity_calls(dataset)
    if start is not None and end is not None:
        calls.update(analytics_calls(dataset, start, end))
    return calls
