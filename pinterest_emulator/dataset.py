"""Deterministic synthetic Pinterest data: the same seed and profile always give the same dataset.

Records are dicts shaped like the OpenAPI response item schemas. Ids are numeric strings that grow
with creation time inside each ad account, as Pinterest's do ("higher ids are more recent"), and
every list is held in ascending id order (the endpoints rely on it for ``order``).
Ads entities also carry ``created_time`` / ``updated_time`` even where the spec's schema does not
(product group promotions, keywords, conversion tags); the endpoints hide those extra fields.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

HISTORY_DAYS = 913  # about 2.5 years of history before today

ADS_ENTITY_STREAMS = (
    "campaigns", "ad_groups", "ads", "product_group_promotions",
    "audiences", "keywords", "conversion_tags", "customer_lists",
)


@dataclass(frozen=True)
class AccountSize:
    campaigns: int
    ad_groups: int
    ads: int
    keyword_ad_groups: int  # ad groups that get keywords
    audiences: int = 5
    customer_lists: int = 3
    conversion_tags: int = 2
    shared: bool = False  # owned by another user, shared through Business Access


@dataclass(frozen=True)
class Profile:
    accounts: tuple[AccountSize, ...]
    board_pin_counts: tuple[int, ...]  # one board per entry
    sections_per_board: int
    catalogs: int
    feeds_per_catalog: int
    product_groups_per_feed: int


PROFILES: dict[str, Profile] = {
    "tiny": Profile(
        accounts=(AccountSize(6, 10, 20, 5, 3, 2, 1),),
        board_pin_counts=(12, 6, 3), sections_per_board=2,
        catalogs=1, feeds_per_catalog=1, product_groups_per_feed=3,
    ),
    "small": Profile(
        accounts=(
            AccountSize(260, 300, 600, 280, 8, 4, 3),
            AccountSize(30, 40, 80, 15, 3, 2, 1, shared=True),
        ),
        board_pin_counts=(300, 40, 25, 10), sections_per_board=3,
        catalogs=2, feeds_per_catalog=2, product_groups_per_feed=4,
    ),
    # About twice small: the size on which Airbyte's published connector finishes in about 30 minutes at
    # 50 ms a call (python -m bench --profile medium).
    "medium": Profile(
        accounts=(
            AccountSize(520, 600, 1200, 560, 10, 5, 3),
            AccountSize(60, 80, 160, 30, 4, 2, 1, shared=True),
            AccountSize(100, 120, 240, 60, 3, 2, 1),
        ),
        board_pin_counts=(600, 80, 50, 20), sections_per_board=3,
        catalogs=2, feeds_per_catalog=2, product_groups_per_feed=6,
    ),
    "standard": Profile(
        accounts=(
            AccountSize(2000, 4500, 14000, 3000, 40, 20, 6),
            AccountSize(1000, 2200, 6500, 1200, 25, 10, 4, shared=True),
            AccountSize(400, 900, 2500, 500, 10, 5, 2),
        ),
        board_pin_counts=(1200, 600, 300, 200, 150, 100, 80, 60, 40, 20), sections_per_board=4,
        catalogs=3, feeds_per_catalog=2, product_groups_per_feed=10,
    ),
    "large": Profile(
        accounts=(
            AccountSize(5000, 12000, 36000, 8000, 80, 40, 8),
            AccountSize(3000, 7000, 20000, 4000, 50, 25, 6, shared=True),
            AccountSize(2000, 4500, 13000, 2500, 30, 15, 4),
            AccountSize(1000, 2200, 6000, 1000, 20, 10, 3, shared=True),
        ),
        board_pin_counts=(5000, 3000, 2000, 1000, 800, 600, 400, 200, 100, 50, 25, 10),
        sections_per_board=5, catalogs=4, feeds_per_catalog=3, product_groups_per_feed=25,
    ),
}

ID_BASES = {
    "ad_account": 549755813000, "campaign": 626736000000, "ad_group": 2680059000000,
    "ad": 687195000000, "product_group_promotion": 3000000000000, "keyword": 383791336900000000,
    "campaign_keyword": 383791336950000000,
    "audience": 2542620000000, "conversion_tag": 2614000000000, "customer_list": 549756000000,
    "board": 1125968000000000, "section": 5123456000000000, "pin": 1125969000000000,
    "catalog": 864344156814050000, "feed": 2680059592705000, "product_group": 443727193917000,
    "user": 2783136121146311000,
}

WORDS = (
    "Summer", "Winter", "Holiday", "Spring", "Autumn", "Kitchen", "Garden", "Outdoor", "Travel",
    "Fitness", "Beauty", "Home", "Decor", "Fashion", "Wedding", "Recipes", "Craft", "Vintage",
    "Modern", "Cozy", "Eco", "Luxury", "Budget", "Family", "Pets", "Tech", "Style", "Sale",
)
KEYWORD_WORDS = (
    "boots", "sofa", "lamp", "recipe", "dress", "rug", "planter", "mug", "jacket", "candle",
    "desk", "tent", "bike", "necklace", "paint", "pillow", "stroller", "backpack", "sneakers",
)
STATUS_WEIGHTS = (("ACTIVE", 0.45), ("PAUSED", 0.30), ("ARCHIVED", 0.25))
REVIEW_WEIGHTS = (("APPROVED", 0.90), ("PENDING", 0.05), ("REJECTED", 0.05))
OBJECTIVES = ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES", "VIDEO_COMPLETION")
AD_CREATIVE_TYPES = ("REGULAR", "VIDEO", "CAROUSEL", "SHOPPING", "IDEA")
PIN_CREATIVE_TYPES = ("REGULAR", "REGULAR", "REGULAR", "VIDEO", "IDEA", "CAROUSEL")
COUNTRIES_CURRENCIES = (("US", "USD"), ("GB", "GBP"), ("DE", "EUR"), ("CA", "CAD"), ("AU", "AUD"))
AUDIENCE_TYPES = ("CUSTOMER_LIST", "VISITOR", "ENGAGEMENT", "ACTALIKE")
COLORS = ("#e6e2d3", "#a7b8c2", "#3b3b3b", "#c94f4f", "#f2c14e", "#5a8f5a")


class Dataset:
    """The records the emulator serves, generated from ``profile`` and ``seed`` relative to ``today``."""

    def __init__(self, profile: str = "small", seed: int = 1, today: dt.date | None = None):
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
        self.profile_name = profile
        self.seed = seed
        self.today = today or dt.datetime.now(dt.timezone.utc).date()
        self._end = _epoch(self.today)  # generated times stay before today 00:00 UTC
        self._start = self._end - HISTORY_DAYS * 86400
        self._rng = random.Random(f"{profile}:{seed}")
        self._counters: dict[str, int] = {}

        self.user_account: dict = {}
        self.boards: list[dict] = []
        self.board_sections: dict[str, list[dict]] = {}
        self.board_pins: dict[str, list[dict]] = {}
        self.section_pins: dict[tuple[str, str], list[dict]] = {}
        self.pins: list[dict] = []
        self.ad_accounts: list[dict] = []
        self.campaigns: dict[str, list[dict]] = {}
        self.ad_groups: dict[str, list[dict]] = {}
        self.ads: dict[str, list[dict]] = {}
        self.product_group_promotions: dict[str, list[dict]] = {}
        self.audiences: dict[str, list[dict]] = {}
        self.keywords: dict[str, list[dict]] = {}
        self.conversion_tags: dict[str, list[dict]] = {}
        self.customer_lists: dict[str, list[dict]] = {}
        self.catalogs: list[dict] = []
        self.catalog_feeds: list[dict] = []
        self.catalog_product_groups: list[dict] = []

        spec = PROFILES[profile]
        self._generate_user()
        self._generate_catalogs(spec)
        for size in spec.accounts:
            self._generate_ad_account(size)
        self._generate_boards(spec)

    # ---- public helpers -------------------------------------------------------------------

    def ad_account(self, ad_account_id: str) -> dict | None:
        return next((account for account in self.ad_accounts if account["id"] == ad_account_id), None)

    def board(self, board_id: str) -> dict | None:
        return next((board for board in self.boards if board["id"] == board_id), None)

    @staticmethod
    def created_date(entity: dict) -> dt.date:
        """The UTC creation date of any record, whatever its schema calls the field."""
        for name in ("created_time", "created_timestamp"):
            if entity.get(name) is not None:
                return dt.datetime.fromtimestamp(entity[name], dt.timezone.utc).date()
        created_at = entity["created_at"]
        if isinstance(created_at, (int, float)):  # catalog product groups: epoch milliseconds
            return dt.datetime.fromtimestamp(created_at / 1000, dt.timezone.utc).date()
        return dt.date.fromisoformat(created_at[:10])

    def touch(self, stream: str, count: int, now_epoch: int, seed: int) -> dict[str, list[str]]:
        """Set ``updated_time`` of ``count`` entities per ad account to ``now_epoch``; return their ids."""
        if stream not in ADS_ENTITY_STREAMS:
            raise ValueError(f"cannot touch {stream!r}; streams: {', '.join(ADS_ENTITY_STREAMS)}")
        rng = random.Random(f"touch:{self.seed}:{seed}")
        touched: dict[str, list[str]] = {}
        for account_id, entities in getattr(self, stream).items():
            chosen = rng.sample(entities, min(count, len(entities)))
            for entity in chosen:
                entity["updated_time"] = now_epoch
                if "updated_timestamp" in entity:  # audiences' own name for it
                    entity["updated_timestamp"] = now_epoch
            touched[account_id] = [entity["id"] for entity in chosen]
        return touched

    # ---- generation -----------------------------------------------------------------------

    def _next_id(self, kind: str) -> str:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return str(ID_BASES[kind] + self._counters[kind] * 7)

    def _times(self, count: int, not_before: int | None = None) -> list[int]:
        start = max(self._start, not_before or self._start)
        return sorted(self._int(start, self._end - 1) for _ in range(count))

    def _updated(self, created: int) -> int:
        # most records were edited some time after creation; a few never
        if self._rng.random() < 0.2:
            return created
        return self._int(created, self._end - 1)

    def _status(self, parent_status: str = "ACTIVE") -> str:
        if parent_status == "ARCHIVED":
            return "ARCHIVED"
        return _weighted(STATUS_WEIGHTS, self._rng.random())

    # random.choice / randint are slow for the large profiles; these use one random() call each
    def _pick(self, options: tuple | list) -> Any:
        return options[int(self._rng.random() * len(options))]

    def _int(self, low: int, high: int) -> int:
        return low + int(self._rng.random() * (high - low + 1))

    def _name(self, suffix: str) -> str:
        return f"{self._pick(WORDS)} {self._pick(WORDS)} {suffix}"

    def _generate_user(self) -> None:
        self.username = f"emulator_user_{self.seed}"
        self.user_account = {
            "account_type": "BUSINESS",
            "id": self._next_id("user"),
            "username": self.username,
            "about": "Synthetic Pinterest business account served by the emulator.",
            "business_name": "Emulator Goods Co.",
            "profile_image": "https://i.pinimg.com/600x600_R/42/f5/36/42f5364b3ac6b4e9b5a9f03ac5e8b5a0.jpg",
            "website_url": "https://www.example.com",
            "board_count": 0,
            "pin_count": 0,
            "follower_count": self._int(100, 50000),
            "following_count": self._int(10, 900),
            "monthly_views": self._int(1000, 2_000_000),
        }

    def _generate_catalogs(self, spec: Profile) -> None:
        for catalog_time in self._times(spec.catalogs):
            catalog_id = self._next_id("catalog")
            self.catalogs.append({
                "id": catalog_id,
                "name": self._name("Catalog"),
                "catalog_type": "RETAIL",
                "created_at": _iso(catalog_time, zulu=True),
                "updated_at": _iso(self._updated(catalog_time), zulu=True),
            })
            for feed_time in self._times(spec.feeds_per_catalog, catalog_time):
                self._generate_feed(catalog_id, feed_time, spec.product_groups_per_feed)

    def _generate_feed(self, catalog_id: str, created: int, product_groups: int) -> None:
        feed_id = self._next_id("feed")
        country, currency = self._pick(COUNTRIES_CURRENCIES)
        self.catalog_feeds.append({
            "id": feed_id,
            "catalog_id": catalog_id,
            "name": self._name("Feed"),
            "catalog_type": "RETAIL",
            "created_at": _iso(created, zulu=True),
            "updated_at": _iso(self._updated(created), zulu=True),
            "format": self._pick(("TSV", "CSV", "XML")),
            "location": f"https://feeds.example.com/{feed_id}/products.tsv",
            # Pinterest returns the feed's fetch credentials: connectors must not emit them
            "credentials": {"username": f"feed-user-{feed_id}", "password": f"secret-{self._rng.getrandbits(48):x}"},
            "preferred_processing_schedule": {"time": f"{self._int(0, 23):02d}:00", "timezone": "Etc/UTC"},
            "status": self._pick(("ACTIVE", "ACTIVE", "INACTIVE")),
            "default_availability": "IN_STOCK",
            "default_country": country,
            "default_currency": currency,
            "default_locale": "en-US",
        })
        for group_time in self._times(product_groups, created):
            brand = self._pick(WORDS)
            updated = self._updated(group_time)
            self.catalog_product_groups.append({
                "id": self._next_id("product_group"),
                "catalog_id": catalog_id,
                "feed_id": feed_id,
                "catalog_type": "RETAIL",
                "name": f"{brand} products",
                "description": f"All {brand} products",
                "filters": {"all_of": [{"BRAND": {"values": [brand]}}]},
                "type": self._pick(("MERCHANT_CREATED", "MERCHANT_CREATED", "TOP_SELLERS", "NEW_ARRIVALS")),
                "status": self._pick(("ACTIVE", "ACTIVE", "INACTIVE")),
                "is_featured": self._rng.random() < 0.2,
                "country": None,
                "locale": None,
                "created_at": group_time * 1000,
                "updated_at": updated * 1000,
            })

    def _generate_ad_account(self, size: AccountSize) -> None:
        account_id = self._next_id("ad_account")
        created = self._start + self._int(0, 86400 * 30)
        country, currency = self._pick(COUNTRIES_CURRENCIES)
        owner = ({"id": str(ID_BASES["user"] + 999), "username": "partner_agency"} if size.shared
                 else {"id": self.user_account["id"], "username": self.username})
        self.ad_accounts.append({
            "id": account_id,
            "name": f"{owner['username']} {self._pick(WORDS)} Ads",
            "owner": owner,
            "country": country,
            "currency": currency,
            "permissions": ["ADMIN"] if size.shared else ["OWNER"],
            "created_time": created,
            "updated_time": self._updated(created),
        })
        campaigns = self._generate_campaigns(account_id, size.campaigns)
        ad_groups = self._generate_ad_groups(account_id, campaigns, size.ad_groups)
        self.campaigns[account_id] = campaigns
        self.ad_groups[account_id] = ad_groups
        self.ads[account_id] = self._generate_ads(account_id, ad_groups, size.ads)
        self.product_group_promotions[account_id] = self._generate_promotions(campaigns, ad_groups)
        self.keywords[account_id] = self._generate_keywords(account_id, ad_groups, size.keyword_ad_groups)
        self.keywords[account_id] += self._generate_campaign_keywords(campaigns)
        self.customer_lists[account_id] = self._generate_customer_lists(account_id, size.customer_lists)
        self.audiences[account_id] = self._generate_audiences(account_id, size.audiences)
        self.conversion_tags[account_id] = self._generate_conversion_tags(account_id, size.conversion_tags)

    def _generate_campaigns(self, account_id: str, count: int) -> list[dict]:
        campaigns = []
        for created in self._times(count):
            status = self._status()
            start = created + self._int(0, 86400 * 7)
            end = start + self._int(7, 120) * 86400 if self._rng.random() < 0.6 else None
            campaigns.append({
                "id": self._next_id("campaign"),
                "ad_account_id": account_id,
                "name": self._name("Campaign"),
                "status": status,
                "objective_type": self._pick(OBJECTIVES),
                "lifetime_spend_cap": self._pick((None, 50_000_000_000, 100_000_000_000)),
                "daily_spend_cap": self._pick((None, 50_000_000, 200_000_000)),
                "order_line_id": None,
                "tracking_urls": None,
                "start_time": start,
                "end_time": end,
                "summary_status": _summary_status(status, end, self._end),
                "is_flexible_daily_budgets": self._rng.random() < 0.3,
                "is_campaign_budget_optimization": self._rng.random() < 0.3,
                "is_performance_plus": False,
                "is_automated_campaign": False,
                "bid_options": None,
                "created_time": created,
                "updated_time": self._updated(created),
                "type": "campaign",
            })
        return campaigns

    def _generate_ad_groups(self, account_id: str, campaigns: list[dict], count: int) -> list[dict]:
        drafts = []
        for index in range(count):
            # every campaign gets an ad group before any gets a second one
            campaign = campaigns[index] if index < len(campaigns) else self._pick(campaigns)
            created = self._int(campaign["created_time"], self._end - 1)
            drafts.append((created, campaign))
        ad_groups = []
        for created, campaign in sorted(drafts, key=lambda draft: draft[0]):
            status = self._status(campaign["status"])
            budget_type = self._pick(("DAILY", "LIFETIME"))
            ad_groups.append({
                "id": self._next_id("ad_group"),
                "ad_account_id": account_id,
                "campaign_id": campaign["id"],
                "name": self._name("Ad group"),
                "status": status,
                "budget_in_micro_currency": self._int(5, 500) * 1_000_000,
                "bid_in_micro_currency": self._pick((None, 1_500_000, 2_000_000, 5_000_000)),
                "budget_type": budget_type,
                "bid_strategy_type": self._pick(("AUTOMATIC_BID", "MAX_BID", "TARGET_AVG")),
                "billable_event": self._pick(("CLICKTHROUGH", "IMPRESSION")),
                "start_time": campaign["start_time"],
                "end_time": campaign["end_time"],
                "targeting_spec": {
                    "AGE_BUCKET": self._rng.sample(("18-24", "25-34", "35-44", "45-49", "50-54"), 2),
                    "GENDER": self._rng.sample(("male", "female", "unknown"), 2),
                    "GEO": [self.ad_account(account_id)["country"]],
                    "LOCALE": ["en-US"],
                    "APPTYPE": ["web", "iphone", "android_mobile"],
                },
                "lifetime_frequency_cap": -1,
                "tracking_urls": None,
                "auto_targeting_enabled": self._rng.random() < 0.7,
                "placement_group": "ALL",
                "pacing_delivery_type": "STANDARD",
                "conversion_learning_mode_type": None,
                "summary_status": _summary_status(status, campaign["end_time"], self._end),
                "feed_profile_id": "0",
                "created_time": created,
                "updated_time": self._updated(created),
                "type": "adgroup",
            })
        return ad_groups

    def _generate_ads(self, account_id: str, ad_groups: list[dict], count: int) -> list[dict]:
        drafts = []
        for index in range(count):
            ad_group = ad_groups[index] if index < len(ad_groups) else self._pick(ad_groups)
            drafts.append((self._int(ad_group["created_time"], self._end - 1), ad_group))
        ads = []
        for created, ad_group in sorted(drafts, key=lambda draft: draft[0]):
            status = self._status(ad_group["status"])
            review = _weighted(REVIEW_WEIGHTS, self._rng.random())
            ads.append({
                "id": self._next_id("ad"),
                "ad_account_id": account_id,
                "campaign_id": ad_group["campaign_id"],
                "ad_group_id": ad_group["id"],
                "pin_id": self._next_id("pin"),
                "name": self._name("Ad"),
                "status": status,
                "creative_type": self._pick(AD_CREATIVE_TYPES),
                "destination_url": f"https://www.example.com/p/{self._int(1000, 99999)}",
                "click_tracking_url": None,
                "view_tracking_url": None,
                "android_deep_link": None,
                "ios_deep_link": None,
                "carousel_android_deep_links": None,
                "carousel_destination_urls": None,
                "carousel_ios_deep_links": None,
                "tracking_urls": None,
                "is_pin_deleted": False,
                "is_removable": False,
                "lead_form_id": None,
                "grid_click_type": "CLOSEUP",
                "customizable_cta_type": None,
                "review_status": review,
                "rejected_reasons": ["LANDING_PAGE"] if review == "REJECTED" else [],
                "rejection_labels": ["Landing page"] if review == "REJECTED" else [],
                "summary_status": _ad_summary_status(status, review),
                "collection_items_destination_url_template": None,
                "created_time": created,
                "updated_time": self._updated(created),
                "type": "pinpromotion",
            })
        return ads

    def _generate_promotions(self, campaigns: list[dict], ad_groups: list[dict]) -> list[dict]:
        if not self.catalog_product_groups:
            return []
        shopping = {campaign["id"] for campaign in campaigns if campaign["objective_type"] == "CATALOG_SALES"}
        promotions = []
        for ad_group in ad_groups:
            if ad_group["campaign_id"] not in shopping:
                continue
            for group in self._rng.sample(self.catalog_product_groups, min(2, len(self.catalog_product_groups))):
                created = self._int(ad_group["created_time"], self._end - 1)
                promotions.append({
                    "id": self._next_id("product_group_promotion"),
                    "ad_group_id": ad_group["id"],
                    "catalog_product_group_id": group["id"],
                    "catalog_product_group_name": group["name"],
                    "creative_type": "SHOPPING",
                    "status": self._status(ad_group["status"]),
                    "bid_in_micro_currency": self._pick((None, 1_000_000, 2_500_000)),
                    "included": True,
                    "definition": f"*/brand='{group['name'].split()[0].lower()}'",
                    "relative_definition": f"brand='{group['name'].split()[0].lower()}'",
                    "parent_id": None,
                    "tracking_url": None,
                    "is_mdl": False,
                    "grid_click_type": "CLOSEUP",
                    "customizable_cta_type": None,
                    "created_time": created,
                    "updated_time": self._updated(created),
                })
        return promotions

    def _generate_keywords(self, account_id: str, ad_groups: list[dict], ad_group_count: int) -> list[dict]:
        keywords = []
        for ad_group in ad_groups[:ad_group_count]:
            for _ in range(self._int(1, 3)):
                keywords.append(self._keyword(ad_group["id"], "ad_group", ad_group["created_time"],
                                              ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE")))
        # advertisers can only hold negative keywords
        for _ in range(2):
            keywords.append(self._keyword(account_id, "advertiser", self._start, ("EXACT_NEGATIVE", "PHRASE_NEGATIVE")))
        return keywords

    def _generate_campaign_keywords(self, campaigns: list[dict]) -> list[dict]:
        """Negative keywords (the only kind a campaign can hold) of every fifth campaign, drawn from a
        generator and an id series of their own, so that no other generated value changes."""
        main, self._rng = self._rng, random.Random(f"campaign keywords:{self.seed}:{campaigns[0]['id'] if campaigns else ''}")
        try:
            return [self._keyword(campaign["id"], "campaign", campaign["created_time"], ("EXACT_NEGATIVE", "PHRASE_NEGATIVE"), "campaign_keyword")
                    for campaign in campaigns[::5]]
        finally:
            self._rng = main

    def _keyword(self, parent_id: str, parent_type: str, not_before: int, match_types: tuple[str, ...], id_series: str = "keyword") -> dict:
        created = self._int(not_before, self._end - 1)
        match_type = self._pick(match_types)
        return {
            "id": self._next_id(id_series),
            "value": f"{self._pick(WORDS).lower()} {self._pick(KEYWORD_WORDS)}",
            "match_type": match_type,
            "bid": None if match_type.endswith("NEGATIVE") else self._pick((None, 1_200_000, 3_000_000)),
            "archived": self._rng.random() < 0.1,
            "parent_id": parent_id,
            "parent_type": parent_type,
            "type": "keyword",
            "created_time": created,
            "updated_time": self._updated(created),
        }

    def _generate_customer_lists(self, account_id: str, count: int) -> list[dict]:
        lists = []
        for created in self._times(count):
            uploaded = self._int(100, 200_000)
            lists.append({
                "id": self._next_id("customer_list"),
                "ad_account_id": account_id,
                "name": self._name("customers"),
                "created_time": created,
                "updated_time": self._updated(created),
                "num_batches": self._int(1, 6),
                "num_removed_user_records": self._int(0, 50),
                "num_uploaded_user_records": uploaded,
                "status": "READY" if uploaded >= 100 else "TOO_SMALL",
                "type": "customerlist",
                "exceptions": {},
            })
        return lists

    def _generate_audiences(self, account_id: str, count: int) -> list[dict]:
        audiences = []
        for created in self._times(count):
            audience_type = self._pick(AUDIENCE_TYPES)
            rule: dict[str, Any] = {"retention_days": 180}
            if audience_type == "CUSTOMER_LIST" and self.customer_lists.get(account_id):
                rule = {"customer_list_id": self._pick(self.customer_lists[account_id])["id"]}
            elif audience_type == "VISITOR":
                rule = {"visitor_source_id": account_id, "retention_days": 180, "event": "checkout"}
            elif audience_type == "ACTALIKE":
                rule = {"country": self.ad_account(account_id)["country"], "percentage": 5}
            audiences.append({
                "id": self._next_id("audience"),
                "ad_account_id": account_id,
                "name": self._name("audience"),
                "audience_type": audience_type,
                "description": None,
                "rule": rule,
                "size": self._int(1000, 5_000_000),
                "status": "READY",
                "type": "audience",
                "created_by_company_name": None,
                "created_timestamp": created,
                "updated_timestamp": self._updated(created),
                "created_time": created,
                "updated_time": created,
            })
        return audiences

    def _generate_conversion_tags(self, account_id: str, count: int) -> list[dict]:
        tags = []
        for created in self._times(count):
            tag_id = self._next_id("conversion_tag")
            tags.append({
                "id": tag_id,
                "ad_account_id": account_id,
                "name": self._name("tag"),
                "code_snippet": f"<script type=\"text/javascript\">pintrk('load', '{tag_id}');</script>",
                "enhanced_match_status": self._pick(("NOT_VALIDATED", "VALIDATION_COMPLETE")),
                "last_fired_time_ms": float((self._end - self._int(0, 86400 * 5)) * 1000),
                "status": self._pick(("ACTIVE", "ACTIVE", "PAUSED")),
                "version": "3",
                "configs": {"aem_enabled": True, "md_frequency": 1.0, "aem_fnln_enabled": False,
                            "aem_ph_enabled": False, "aem_ge_enabled": False, "aem_db_enabled": False,
                            "aem_loc_enabled": False, "aem_external_id_enabled": False},
                "created_time": created,
                "updated_time": self._updated(created),
            })
        return tags

    def _generate_boards(self, spec: Profile) -> None:
        board_times = self._times(len(spec.board_pin_counts))
        for created, pin_count in zip(board_times, spec.board_pin_counts):
            board_id = self._next_id("board")
            sections = [{"id": self._next_id("section"), "name": self._pick(WORDS)}
                        for _ in range(spec.sections_per_board)]
            pins = [self._pin(board_id, pin_time, sections) for pin_time in self._times(pin_count, created)]
            self.boards.append({
                "id": board_id,
                "name": self._name("ideas"),
                "description": self._pick((None, "Things we love")),
                "owner": {"username": self.username},
                "privacy": self._pick(("PUBLIC", "PUBLIC", "SECRET", "PROTECTED")),
                "created_at": _iso(created),
                "board_pins_modified_at": _iso(pins[-1]["_created"] if pins else created),
                "collaborator_count": 0,
                "follower_count": self._int(0, 5000),
                "pin_count": pin_count,
                "is_ads_only": False,
                "media": {"image_cover_url": None, "pin_thumbnail_urls": []},
            })
            for pin in pins:
                del pin["_created"]
            self.board_sections[board_id] = sections
            self.board_pins[board_id] = pins
            for section in sections:
                self.section_pins[(board_id, section["id"])] = [
                    pin for pin in pins if pin["board_section_id"] == section["id"]]
            self.pins.extend(pin for pin in pins if pin["is_owner"])
        self.pins.sort(key=lambda pin: int(pin["id"]))
        self.user_account["board_count"] = len(self.boards)
        self.user_account["pin_count"] = len(self.pins)

    def _pin(self, board_id: str, created: int, sections: list[dict]) -> dict:
        pin_id = self._next_id("pin")
        creative_type = self._pick(PIN_CREATIVE_TYPES)
        section = self._pick(sections) if sections and self._rng.random() < 0.5 else None
        images = {size: {"width": width, "height": height, "url": f"https://i.pinimg.com/{size}/{pin_id}.jpg"}
                  for size, width, height in (("150x150", 150, 150), ("400x300", 400, 300),
                                              ("600x", 600, 900), ("1200x", 1200, 1800))}
        if creative_type == "VIDEO":
            media = {"media_type": "video", "images": images, "cover_image_url": images["600x"]["url"],
                     "video_url": f"https://v.pinimg.com/videos/{pin_id}.mp4", "duration": 15000.0,
                     "height": 1920, "width": 1080}
        else:
            media = {"media_type": "image", "images": images}
        is_owner = self._rng.random() < 0.9  # the rest were saved from other people's pins
        return {
            "_created": created,
            "id": pin_id,
            "created_at": _iso(created),
            "link": f"https://www.example.com/p/{self._int(1000, 99999)}",
            "title": self._name("pin"),
            "description": self._pick((None, "Our favourite pick this season")),
            "dominant_color": self._pick(COLORS),
            "alt_text": None,
            "creative_type": creative_type,
            "board_id": board_id,
            "board_section_id": section["id"] if section else None,
            "board_owner": {"username": self.username},
            "is_owner": is_owner,
            "is_standard": creative_type != "IDEA",
            "has_been_promoted": self._rng.random() < 0.2,
            "parent_pin_id": None,
            "media": media,
            "pin_metrics": None,
        }


def _epoch(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())


def _iso(epoch: int, zulu: bool = False) -> str:
    text = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return text + "Z" if zulu else text


def _weighted(weights: tuple[tuple[str, float], ...], draw: float) -> str:
    for value, weight in weights:
        if draw < weight:
            return value
        draw -= weight
    return weights[-1][0]


def _summary_status(status: str, end_time: int | None, now: int) -> str:
    if status == "ACTIVE":
        return "COMPLETED" if end_time is not None and end_time < now else "RUNNING"
    return status


def _ad_summary_status(status: str, review: str) -> str:
    if status != "ACTIVE":
        return status
    return {"APPROVED": "APPROVED", "PENDING": "PENDING", "REJECTED": "REJECTED"}[review]
