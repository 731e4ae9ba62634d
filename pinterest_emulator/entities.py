"""Entity endpoints: user account, boards and pins, ad accounts and their entities, catalogs.

Error choices where the spec leaves room:
- unknown ad account id: 403 code 29 "not permitted", the same answer as for an account the user
  cannot access, since Pinterest cannot tell those apart for the caller;
- unknown board: 404 code 40; unknown board section: 404 code 2031;
- unknown catalogs feed: 404 code 4161; no catalog at all: 409 code 4182 on product groups.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from pinterest_emulator.listing import (
    bool_arg, enum_arg, enum_list, id_list, invalid, numeric_id, ordered, paginate,
)
from pinterest_emulator.routing import ApiError, Request, Response, route

ENTITY_STATUSES = ("ACTIVE", "PAUSED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
DEFAULT_ENTITY_STATUSES = ("ACTIVE", "PAUSED")
CREATIVE_TYPES = (
    "REGULAR", "VIDEO", "SHOPPING", "CAROUSEL", "MAX_VIDEO", "SHOP_THE_PIN", "COLLECTION", "IDEA",
    "SHOWCASE", "QUIZ", "COLLAGE", "MAX_WIDTH_REGULAR_COLLECTION", "MAX_WIDTH_VIDEO_COLLECTION",
)
MATCH_TYPES = ("BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE")
BOARD_PRIVACY_FILTERS = ("ALL", "PUBLIC", "PROTECTED", "SECRET", "PUBLIC_AND_SECRET")
MAX_ID_FILTER = 250  # maxItems of campaign_ids / ad_group_ids / ad_ids / product_group_promotion_ids
BOARD_PINS_PAGING_LIMIT = 100_000  # GET /boards/{id}/pins stops here (NOTES.md)

# fields the dataset keeps for analytics but the spec's response schemas do not have
HIDDEN_FIELDS = {
    "product_group_promotions": ("created_time", "updated_time"),
    "keywords": ("created_time", "updated_time"),
    "conversion_tags": ("created_time", "updated_time"),
    "audiences": ("created_time", "updated_time"),
}

NOT_PERMITTED = "You are not permitted to access that resource."


def _public(items: Iterable[dict], stream: str) -> list[dict]:
    hidden = HIDDEN_FIELDS.get(stream)
    if not hidden:
        return list(items)
    return [{key: value for key, value in item.items() if key not in hidden} for item in items]


def _business_access(request: Request) -> None:
    """The optional ``ad_account_id`` query parameter of organic and catalog endpoints."""
    account_id = numeric_id(request.arg("ad_account_id"), "ad_account_id")
    if account_id is not None and request.emulator.dataset.ad_account(account_id) is None:
        raise ApiError(403, 29, NOT_PERMITTED)


def _require_board_access(request: Request) -> None:
    if request.emulator.options.role == "ANALYST":
        raise ApiError(403, 29, "You are not permitted to access that resource: boards and Pins are not permitted for the Analyst role.")
    _business_access(request)


def _ad_account(request: Request) -> dict:
    account_id = numeric_id(request.path_params["ad_account_id"], "ad_account_id")
    account = request.emulator.dataset.ad_account(account_id)
    if account is None:
        raise ApiError(403, 29, NOT_PERMITTED)
    return account


def _statuses(request: Request) -> set[str]:
    return set(enum_list(request, "entity_statuses", ENTITY_STATUSES, DEFAULT_ENTITY_STATUSES))


# ---- organic ---------------------------------------------------------------------------------

@route("GET", "/user_account", "org_read")
def get_user_account(request: Request) -> Response:
    _business_access(request)
    return Response(body=dict(request.emulator.dataset.user_account))


@route("GET", "/boards", "org_read")
def list_boards(request: Request) -> Response:
    _require_board_access(request)
    privacy = enum_arg(request, "privacy", BOARD_PRIVACY_FILTERS, "ALL")
    wanted = {"ALL": None, "PUBLIC_AND_SECRET": {"PUBLIC", "SECRET"}}.get(privacy, {privacy})
    boards = [board for board in request.emulator.dataset.boards if wanted is None or board["privacy"] in wanted]
    return paginate(request, boards)


def _board(request: Request) -> dict:
    board_id = numeric_id(request.path_params["board_id"], "board_id")
    board = request.emulator.dataset.board(board_id)
    if board is None:
        raise ApiError(404, 40, "Board not found.")
    return board


@route("GET", "/boards/{board_id}/sections", "org_read")
def list_board_sections(request: Request) -> Response:
    _require_board_access(request)
    board = _board(request)
    return paginate(request, request.emulator.dataset.board_sections[board["id"]])


@route("GET", "/boards/{board_id}/pins", "org_read")
def list_board_pins(request: Request) -> Response:
    _require_board_access(request)
    board = _board(request)
    pins = _filter_pins(request, request.emulator.dataset.board_pins[board["id"]])
    return _with_pin_metrics(request, paginate(request, pins, limit=BOARD_PINS_PAGING_LIMIT))


@route("GET", "/boards/{board_id}/sections/{section_id}/pins", "org_read")
def list_board_section_pins(request: Request) -> Response:
    _require_board_access(request)
    board = _board(request)
    section_id = numeric_id(request.path_params["section_id"], "section_id")
    pins = request.emulator.dataset.section_pins.get((board["id"], section_id))
    if pins is None:
        raise ApiError(404, 2031, "Sorry! We couldn't find this board section.")
    return paginate(request, pins)


@route("GET", "/pins", "org_read")
def list_pins(request: Request) -> Response:
    _require_board_access(request)
    pin_filter = enum_arg(request, "pin_filter", ("exclude_native", "exclude_repins", "has_been_promoted"))
    pin_type = enum_arg(request, "pin_type", ("PRIVATE",))
    bool_arg(request, "include_protected_pins", False)
    pins = _filter_pins(request, request.emulator.dataset.pins)
    # "exclude_native" is accepted but not modelled: the spec does not say which pins are native
    if pin_filter == "has_been_promoted":
        pins = [pin for pin in pins if pin["has_been_promoted"]]
    elif pin_filter == "exclude_repins":
        pins = [pin for pin in pins if pin["parent_pin_id"] is None]
    if pin_type == "PRIVATE":
        secret = {board["id"] for board in request.emulator.dataset.boards if board["privacy"] == "SECRET"}
        pins = [pin for pin in pins if pin["board_id"] in secret]
    return _with_pin_metrics(request, paginate(request, pins))


def _filter_pins(request: Request, pins: list[dict]) -> list[dict]:
    creative_types = set(enum_list(request, "creative_types", CREATIVE_TYPES))
    if creative_types:
        pins = [pin for pin in pins if pin["creative_type"] in creative_types]
    return pins


def _with_pin_metrics(request: Request, response: Response) -> Response:
    if bool_arg(request, "pin_metrics", False):
        response.body["items"] = [dict(pin, pin_metrics=_pin_metrics(pin["id"])) for pin in response.body["items"]]
    return response


def _pin_metrics(pin_id: str) -> dict:
    digest = hashlib.sha256(pin_id.encode()).digest()
    impressions, clicks, saves = digest[0] * 40 + digest[1], digest[2] % 60, digest[3] % 25
    recent = {"impression": impressions // 3, "pin_click": clicks // 3, "save": saves // 3}
    lifetime = {"impression": impressions, "pin_click": clicks, "save": saves,
                "reaction": digest[4] % 20, "comment": digest[5] % 8}
    return {"90d": recent, "lifetime_metrics": lifetime}


# ---- ad accounts and their entities -----------------------------------------------------------

@route("GET", "/ad_accounts", "ads_read")
def list_ad_accounts(request: Request) -> Response:
    include_shared = bool_arg(request, "include_shared_accounts", True)
    accounts = [account for account in request.emulator.dataset.ad_accounts
                if include_shared or "OWNER" in account["permissions"]]
    return paginate(request, accounts)


@route("GET", "/ad_accounts/{ad_account_id}", "ads_read")
def get_ad_account(request: Request) -> Response:
    return Response(body=dict(_ad_account(request)))


@route("GET", "/ad_accounts/{ad_account_id}/campaigns", "ads_read")
def list_campaigns(request: Request) -> Response:
    account = _ad_account(request)
    campaign_ids = set(id_list(request, "campaign_ids", MAX_ID_FILTER))
    statuses = _statuses(request)
    campaigns = [campaign for campaign in request.emulator.dataset.campaigns[account["id"]]
                 if campaign["status"] in statuses and (not campaign_ids or campaign["id"] in campaign_ids)]
    if request.emulator.options.extra.get("malformed_records") and campaigns:
        # a fault: the account's first campaign comes without updated_time (options.extra["malformed_records"])
        campaigns[0] = {key: value for key, value in campaigns[0].items() if key != "updated_time"}
    return paginate(request, ordered(campaigns, request))


@route("GET", "/ad_accounts/{ad_account_id}/ad_groups", "ads_read")
def list_ad_groups(request: Request) -> Response:
    account = _ad_account(request)
    campaign_ids = set(id_list(request, "campaign_ids", MAX_ID_FILTER))
    ad_group_ids = set(id_list(request, "ad_group_ids", MAX_ID_FILTER))
    statuses = _statuses(request)
    bool_arg(request, "translate_interests_to_names", False)
    ad_groups = [ad_group for ad_group in request.emulator.dataset.ad_groups[account["id"]]
                 if ad_group["status"] in statuses
                 and (not campaign_ids or ad_group["campaign_id"] in campaign_ids)
                 and (not ad_group_ids or ad_group["id"] in ad_group_ids)]
    return paginate(request, ordered(ad_groups, request))


@route("GET", "/ad_accounts/{ad_account_id}/ads", "ads_read")
def list_ads(request: Request) -> Response:
    account = _ad_account(request)
    campaign_ids = set(id_list(request, "campaign_ids", MAX_ID_FILTER))
    ad_group_ids = set(id_list(request, "ad_group_ids", MAX_ID_FILTER))
    ad_ids = set(id_list(request, "ad_ids", MAX_ID_FILTER))
    statuses = _statuses(request)
    ads = [ad for ad in request.emulator.dataset.ads[account["id"]]
           if ad["status"] in statuses
           and (not campaign_ids or ad["campaign_id"] in campaign_ids)
           and (not ad_group_ids or ad["ad_group_id"] in ad_group_ids)
           and (not ad_ids or ad["id"] in ad_ids)]
    return paginate(request, ordered(ads, request))


@route("GET", "/ad_accounts/{ad_account_id}/product_group_promotions", "ads_read")
def list_product_group_promotions(request: Request) -> Response:
    account = _ad_account(request)
    promotion_ids = set(id_list(request, "product_group_promotion_ids", MAX_ID_FILTER))
    ad_group_id = numeric_id(request.arg("ad_group_id"), "ad_group_id")
    statuses = _statuses(request)
    # the spec: "Include either ad_group_id or product_group_promotion_ids ... If none are
    # provided, the endpoint returns an error"; the ids take precedence
    if not promotion_ids and ad_group_id is None:
        raise invalid("Either 'ad_group_id' or 'product_group_promotion_ids' is required")
    promotions = [promotion for promotion in request.emulator.dataset.product_group_promotions[account["id"]]
                  if promotion["status"] in statuses
                  and (promotion["id"] in promotion_ids if promotion_ids else promotion["ad_group_id"] == ad_group_id)]
    return paginate(request, _public(ordered(promotions, request), "product_group_promotions"))


@route("GET", "/ad_accounts/{ad_account_id}/audiences", "ads_read")
def list_audiences(request: Request) -> Response:
    account = _ad_account(request)
    ownership = enum_arg(request, "ownership_type", ("OWNED", "RECEIVED"), "OWNED")
    # every generated audience is owned; none was shared with the account
    audiences = request.emulator.dataset.audiences[account["id"]] if ownership == "OWNED" else []
    return paginate(request, _public(ordered(audiences, request), "audiences"))


@route("GET", "/ad_accounts/{ad_account_id}/keywords", "ads_read")
def list_keywords(request: Request) -> Response:
    account = _ad_account(request)
    if request.arg("ad_group_ids") is not None and not request.emulator.options.extra.get("ad_group_ids_beta", True):
        # an app without the BETA filter (options.extra["ad_group_ids_beta"] = False)
        raise ApiError(400, 1, "Invalid parameters: ad_group_ids is in BETA and not available to this app.")
    parents = set(id_list(request, "ad_group_ids", MAX_ID_FILTER))
    for name in ("campaign_id", "ad_group_id"):
        if numeric_id(request.arg(name), name) is not None:
            parents.add(request.arg(name))
    match_types = set(enum_list(request, "match_types", MATCH_TYPES, max_items=5))
    # the spec: with no filter, only keywords whose parent is the ad account itself
    parents = parents or {account["id"]}
    keywords = [keyword for keyword in request.emulator.dataset.keywords[account["id"]]
                if keyword["parent_id"] in parents and (not match_types or keyword["match_type"] in match_types)]
    return paginate(request, _public(keywords, "keywords"))


@route("GET", "/ad_accounts/{ad_account_id}/conversion_tags", "ads_read")
def list_conversion_tags(request: Request) -> Response:
    account = _ad_account(request)
    bool_arg(request, "filter_deleted", False)  # the dataset holds no deleted tags
    tags = request.emulator.dataset.conversion_tags[account["id"]]
    return Response(body={"items": _public(tags, "conversion_tags")})  # the spec does not page this list


@route("GET", "/ad_accounts/{ad_account_id}/customer_lists", "ads_read")
def list_customer_lists(request: Request) -> Response:
    account = _ad_account(request)
    return paginate(request, ordered(request.emulator.dataset.customer_lists[account["id"]], request))


# ---- catalogs ---------------------------------------------------------------------------------

@route("GET", "/catalogs", "catalogs_read")
def list_catalogs(request: Request) -> Response:
    _business_access(request)
    catalogs = [] if request.emulator.options.no_catalog else request.emulator.dataset.catalogs
    return paginate(request, catalogs)


@route("GET", "/catalogs/feeds", "catalogs_read")
def list_catalog_feeds(request: Request) -> Response:
    _business_access(request)
    catalog_id = numeric_id(request.arg("catalog_id"), "catalog_id")
    feeds = [] if request.emulator.options.no_catalog else request.emulator.dataset.catalog_feeds
    return paginate(request, [feed for feed in feeds if catalog_id is None or feed["catalog_id"] == catalog_id])


@route("GET", "/catalogs/product_groups", "catalogs_read")
def list_catalog_product_groups(request: Request) -> Response:
    _business_access(request)
    feed_id = numeric_id(request.arg("feed_id"), "feed_id")
    catalog_id = numeric_id(request.arg("catalog_id"), "catalog_id")
    group_ids = set(id_list(request, "id", 1000))
    if request.emulator.options.no_catalog:
        raise ApiError(409, 4182, "Can't access this feature without an existing catalog.")
    dataset = request.emulator.dataset
    if feed_id is not None and not any(feed["id"] == feed_id for feed in dataset.catalog_feeds):
        raise ApiError(404, 4161, "Sorry! We could not find your catalogs feed.")
    groups = [group for group in dataset.catalog_product_groups
              if (feed_id is None or group["feed_id"] == feed_id)
              and (catalog_id is None or group["catalog_id"] == catalog_id)
              and (not group_ids or group["id"] in group_ids)]
    return paginate(request, groups)
