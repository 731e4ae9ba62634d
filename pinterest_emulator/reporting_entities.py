"""The entities analytics and reports describe, read from the dataset of one ad account.

Kinds: ADVERTISER (the ad account itself), CAMPAIGN, AD_GROUP, AD, PRODUCT_GROUP (the
``catalog_product_group_id`` of the account's product group promotions, or the promotion id when
it has none), PRODUCT_ITEM (synthetic items, ``ITEMS_PER_PRODUCT_GROUP`` per product group) and
KEYWORD (positive keywords only: negative ones never have metrics). Each entity carries the date it started to exist (analytics have no rows before it) and
the values of the attribute columns (ids, names, statuses) it can answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from .metrics import unit

ITEMS_PER_PRODUCT_GROUP = 3

# The row column naming an entity's id in synchronous analytics responses.
ID_COLUMN = {
    "ADVERTISER": "AD_ACCOUNT_ID",
    "CAMPAIGN": "CAMPAIGN_ID",
    "AD_GROUP": "AD_GROUP_ID",
    "AD": "AD_ID",
    "PRODUCT_GROUP": "PRODUCT_GROUP_ID",
}

# Product group promotions use entity statuses; reports speak of product group summary statuses.
_PRODUCT_GROUP_STATUS = {"ACTIVE": "RUNNING"}


@dataclass(frozen=True)
class ReportingEntity:
    id: str
    created: date
    attributes: dict[str, Any] = field(default_factory=dict, compare=False)


def find_ad_account(dataset: Any, ad_account_id: str) -> dict | None:
    return next((account for account in dataset.ad_accounts if str(account.get("id")) == ad_account_id), None)


# The account's records the entities are built from: they are rebuilt when one of these lists grows.
_SOURCES = ("campaigns", "ad_groups", "ads", "product_group_promotions", "keywords")


def entities(dataset: Any, ad_account_id: str, kind: str) -> list[ReportingEntity]:
    """All entities of ``kind`` in the ad account, in dataset order. Kept until the account's records are
    added to: an analytics call for one id of a large account would otherwise rebuild them all."""
    return _built(dataset, ad_account_id, kind)[0]


def entities_by_id(dataset: Any, ad_account_id: str, kind: str) -> dict[str, ReportingEntity]:
    return _built(dataset, ad_account_id, kind)[1]


def _built(dataset: Any, ad_account_id: str, kind: str) -> tuple[list[ReportingEntity], dict[str, ReportingEntity]]:
    built = dataset.__dict__.setdefault("_reporting_entities", {})
    sizes = (len(dataset.ad_accounts),
             *(len((getattr(dataset, source, None) or {}).get(ad_account_id, ())) for source in _SOURCES))
    cached = built.get((ad_account_id, kind))
    if cached is None or cached[0] != sizes:
        listed = _build(dataset, ad_account_id, kind)
        cached = built[(ad_account_id, kind)] = (sizes, listed, {entity.id: entity for entity in listed})
    return cached[1], cached[2]


def _build(dataset: Any, ad_account_id: str, kind: str) -> list[ReportingEntity]:
    account = find_ad_account(dataset, ad_account_id)
    if account is None:
        return []
    builders = {
        "ADVERTISER": lambda: [_advertiser(account)],
        "CAMPAIGN": lambda: [_campaign(account, c) for c in _records(dataset, "campaigns", ad_account_id)],
        "AD_GROUP": lambda: _ad_groups(dataset, account),
        "AD": lambda: _ads(dataset, account),
        "PRODUCT_GROUP": lambda: _product_groups(dataset, account),
        "PRODUCT_ITEM": lambda: _product_items(dataset, account),
        "KEYWORD": lambda: _keywords(dataset, account),
    }
    return builders[kind]()


def _records(dataset: Any, attribute: str, ad_account_id: str) -> list[dict]:
    return list((getattr(dataset, attribute, None) or {}).get(ad_account_id, []))


def _created(record: dict | None) -> date:
    value = (record or {}).get("created_time")
    if value is None:
        return date.min
    return datetime.fromtimestamp(int(value), timezone.utc).date()


def _account_attributes(account: dict) -> dict[str, Any]:
    return {"AD_ACCOUNT_ID": str(account["id"]), "ADVERTISER_ID": str(account["id"])}


def _campaign_attributes(campaign: dict) -> dict[str, Any]:
    return {
        "CAMPAIGN_ID": str(campaign["id"]),
        "CAMPAIGN_NAME": campaign.get("name"),
        "CAMPAIGN_ENTITY_STATUS": campaign.get("status"),
        "CAMPAIGN_STATUS": campaign.get("summary_status") or campaign.get("status"),
        "CAMPAIGN_OBJECTIVE_TYPE": campaign.get("objective_type"),
        "CAMPAIGN_DAILY_SPEND_CAP": campaign.get("daily_spend_cap"),
        "CAMPAIGN_LIFETIME_SPEND_CAP": campaign.get("lifetime_spend_cap"),
    }


def _ad_group_attributes(ad_group: dict) -> dict[str, Any]:
    return {
        "AD_GROUP_ID": str(ad_group["id"]),
        "AD_GROUP_NAME": ad_group.get("name"),
        "AD_GROUP_ENTITY_STATUS": ad_group.get("status"),
        "AD_GROUP_STATUS": ad_group.get("summary_status") or ad_group.get("status"),
        "AD_GROUP_BUDGET_TYPE": ad_group.get("budget_type"),
    }


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    """Columns without a value are not returned."""
    return {column: value for column, value in attributes.items() if value is not None}


def _advertiser(account: dict) -> ReportingEntity:
    return ReportingEntity(str(account["id"]), _created(account), _clean(_account_attributes(account)))


def _campaign(account: dict, campaign: dict) -> ReportingEntity:
    attributes = {**_account_attributes(account), **_campaign_attributes(campaign)}
    return ReportingEntity(str(campaign["id"]), _created(campaign), _clean(attributes))


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {str(record["id"]): record for record in records}


def _ad_groups(dataset: Any, account: dict) -> list[ReportingEntity]:
    account_id = str(account["id"])
    campaigns = _by_id(_records(dataset, "campaigns", account_id))
    result = []
    for ad_group in _records(dataset, "ad_groups", account_id):
        campaign = campaigns.get(str(ad_group.get("campaign_id")), {"id": ad_group.get("campaign_id")})
        attributes = {**_account_attributes(account), **_campaign_attributes(campaign), **_ad_group_attributes(ad_group)}
        result.append(ReportingEntity(str(ad_group["id"]), _created(ad_group), _clean(attributes)))
    return result


def _ads(dataset: Any, account: dict) -> list[ReportingEntity]:
    account_id = str(account["id"])
    campaigns = _by_id(_records(dataset, "campaigns", account_id))
    ad_groups = _by_id(_records(dataset, "ad_groups", account_id))
    result = []
    for ad in _records(dataset, "ads", account_id):
        campaign = campaigns.get(str(ad.get("campaign_id")), {"id": ad.get("campaign_id")})
        ad_group = ad_groups.get(str(ad.get("ad_group_id")), {"id": ad.get("ad_group_id")})
        attributes = {
            **_account_attributes(account),
            **_campaign_attributes(campaign),
            **_ad_group_attributes(ad_group),
            "AD_ID": str(ad["id"]),
            "PIN_PROMOTION_ID": str(ad["id"]),
            "AD_NAME": ad.get("name"),
            "PIN_PROMOTION_NAME": ad.get("name"),
            "AD_STATUS": ad.get("summary_status") or ad.get("status"),
            "PIN_PROMOTION_STATUS": ad.get("summary_status") or ad.get("status"),
            "PIN_ID": str(ad["pin_id"]) if ad.get("pin_id") else None,
        }
        result.append(ReportingEntity(str(ad["id"]), _created(ad), _clean(attributes)))
    return result


def _product_groups(dataset: Any, account: dict) -> list[ReportingEntity]:
    account_id = str(account["id"])
    ad_groups = _by_id(_records(dataset, "ad_groups", account_id))
    found: dict[str, ReportingEntity] = {}
    for promotion in _records(dataset, "product_group_promotions", account_id):
        group_id = str(promotion.get("catalog_product_group_id") or promotion["id"])
        ad_group = ad_groups.get(str(promotion.get("ad_group_id")))
        created = _created(promotion if "created_time" in promotion else ad_group)
        if group_id in found and found[group_id].created <= created:
            continue
        attributes = {
            **_account_attributes(account),
            **(_ad_group_attributes(ad_group) if ad_group else {}),
            "PRODUCT_GROUP_ID": group_id,
            "PRODUCT_GROUP_STATUS": _PRODUCT_GROUP_STATUS.get(promotion.get("status"), promotion.get("status")),
        }
        found[group_id] = ReportingEntity(group_id, created, _clean(attributes))
    return list(found.values())


def product_item_id(product_group_id: str, index: int) -> str:
    return str(10**15 + int(unit("item", product_group_id, index) * 10**15))


def _product_items(dataset: Any, account: dict) -> list[ReportingEntity]:
    result = []
    for group in _product_groups(dataset, account):
        for index in range(ITEMS_PER_PRODUCT_GROUP):
            item_id = product_item_id(group.id, index)
            attributes = {
                **group.attributes,
                "PRODUCT_ITEM_NAME": f"Product {item_id[-6:]}",
                "PRODUCT_ITEM_PRICE": f"{10 + int(unit('price', item_id) * 190)}.00",
                "PRODUCT_ITEM_CURRENCY": "USD",
            }
            result.append(ReportingEntity(item_id, group.created, attributes))
    return result


def _keywords(dataset: Any, account: dict) -> list[ReportingEntity]:
    account_id = str(account["id"])
    ad_groups = _by_id(_records(dataset, "ad_groups", account_id))
    result = []
    for keyword in _records(dataset, "keywords", account_id):
        if str(keyword.get("match_type", "")).endswith("NEGATIVE"):
            continue  # negative keywords exclude traffic: they never have metrics
        ad_group = ad_groups.get(str(keyword.get("parent_id")))
        created = _created(keyword if "created_time" in keyword else ad_group)
        attributes = {**_account_attributes(account), **(_ad_group_attributes(ad_group) if ad_group else {})}
        result.append(ReportingEntity(str(keyword["id"]), created, _clean(attributes)))
    return result
