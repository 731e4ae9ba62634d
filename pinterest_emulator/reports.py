"""Async ads reports of the Pinterest API v5 emulator: create, poll, download.

Routes:
- ``POST /ad_accounts/{ad_account_id}/reports`` (``ads_analytics``): validates the JSON body as
  the spec's AdsAnalyticsCreateAsyncRequest and Pinterest's limits (non-HOUR: 914 days back,
  186-day range; HOUR: 8 days back, 3-day range; PRODUCT_ITEM levels: 92 days back, 31-day
  range) -> ``{"report_status": "IN_PROGRESS", "token": ..., "message": null}``.
- ``GET /ad_accounts/{ad_account_id}/reports?token=T`` (``ads_analytics``) ->
  ``{"report_status", "url", "size"}``; unknown token: DOES_NOT_EXIST; IN_PROGRESS for
  ``report_polls`` polls, then FINISHED with ``url`` =
  ``{root_url}/_downloads/{token}.json|.csv?expires=<epoch>`` valid ``download_ttl_seconds``;
  every FINISHED answer gives a fresh link. After ``report_ttl_seconds`` the report is EXPIRED.
- ``GET /_downloads/{name}`` (no category: outside ``/v5``, no bearer auth, like cloud storage):
  the report, streamed. An expired link answers HTTP 403 with an XML "Request has expired" body.

Report layout. JSON (default): one object ``{"<entity id>": [row, ...], ...}`` (with
``primary_sort`` BY_DATE the keys are the rows' DATE instead). The entity id is: ADVERTISER* the
ad account id, CAMPAIGN* the campaign id, AD_GROUP* the ad group id, PIN_PROMOTION* the ad id,
PRODUCT_GROUP* the catalog product group id, PRODUCT_ITEM* a synthetic item id, KEYWORD the
keyword id. A row holds ``DATE`` (not for TOTAL), ``TARGETING_TYPE`` and ``TARGETING_VALUE`` for
``*_TARGETING`` levels, then the requested columns; zero metrics are omitted and rows whose
metrics are all zero are absent. CSV: a header row (DATE, TARGETING_TYPE, TARGETING_VALUE when
targeting, then the columns in request order) and zero-filled values.

Pure helper: ``expected_report_rows(dataset, ad_account_id, report_request_body, *, today,
conversion_revision=0) -> dict`` gives the parsed JSON report (``today`` and
``conversion_revision`` as they were when the report was created).

Options (``options.extra``): ``report_polls`` (default 1), ``download_ttl_seconds`` (300),
``report_ttl_seconds`` (3600), ``report_fail_mode`` ("FAILED", "CANCELLED" or "EXPIRED") for
the first ``report_fail_count`` jobs created (default -1: all), ``report_stuck`` (jobs stay
IN_PROGRESS), ``conversion_revision`` (see ``metrics``).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from datetime import date
from typing import Any, Iterable, Iterator

import orjson

from .analytics_params import (
    check_columns,
    check_enum,
    check_list,
    check_window,
    invalid,
    parse_attribution,
    parse_day,
    require,
)
from .analytics_state import ReportJob, state_of
from .metrics import is_attribute_column
from .reporting_entities import ReportingEntity, entities, find_ad_account
from .routing import ApiError, Request, Response, route
from .rows import GRANULARITIES, entity_rows, periods, targeting_pairs

LEVEL_ENTITIES = {
    "ADVERTISER": "ADVERTISER",
    "CAMPAIGN": "CAMPAIGN",
    "AD_GROUP": "AD_GROUP",
    "PIN_PROMOTION": "AD",
    "KEYWORD": "KEYWORD",
    "PRODUCT_GROUP": "PRODUCT_GROUP",
    "PRODUCT_ITEM": "PRODUCT_ITEM",
}
LEVELS = (
    "ADVERTISER", "ADVERTISER_TARGETING", "CAMPAIGN", "CAMPAIGN_TARGETING", "AD_GROUP", "AD_GROUP_TARGETING",
    "PIN_PROMOTION", "PIN_PROMOTION_TARGETING", "KEYWORD", "PRODUCT_GROUP", "PRODUCT_GROUP_TARGETING",
    "PRODUCT_ITEM", "PRODUCT_ITEM_TARGETING",
)
REPORT_TARGETING_TYPES = (
    "KEYWORD", "APPTYPE", "GENDER", "LOCATION", "PLACEMENT", "COUNTRY", "TARGETED_INTEREST", "PINNER_INTEREST",
    "AUDIENCE_INCLUDE", "GEO", "AGE_BUCKET", "REGION", "MEDIA_TYPE", "AGE_BUCKET_AND_GENDER",
    "AUDIENCE_MULTIPLIER", "CREATIVE_ENHANCEMENTS", "LOCAL_ADS_STORE_CODE",
)
_CAMPAIGN_STATUSES = ("RUNNING", "PAUSED", "NOT_STARTED", "COMPLETED", "ADVERTISER_DISABLED", "ARCHIVED", "DRAFT", "DELETED_DRAFT")
# Filters of the request body: name -> (entity attribute compared, allowed values or None, maxItems).
FILTERS = {
    "campaign_ids": ("CAMPAIGN_ID", None, 500),
    "ad_group_ids": ("AD_GROUP_ID", None, 500),
    "ad_ids": ("AD_ID", None, 500),
    "product_group_ids": ("PRODUCT_GROUP_ID", None, 500),
    "product_item_ids": ("PRODUCT_ITEM_ID", None, 500),
    "campaign_statuses": ("CAMPAIGN_STATUS", _CAMPAIGN_STATUSES, 6),
    "ad_group_statuses": ("AD_GROUP_STATUS", _CAMPAIGN_STATUSES, 6),
    "ad_statuses": (
        "AD_STATUS",
        ("APPROVED", "PAUSED", "PENDING", "REJECTED", "ADVERTISER_DISABLED", "ARCHIVED", "DRAFT", "DELETED_DRAFT"),
        6,
    ),
    "product_group_statuses": ("PRODUCT_GROUP_STATUS", ("RUNNING", "PAUSED", "EXCLUDED", "ARCHIVED"), 6),
    "campaign_objective_types": (
        "CAMPAIGN_OBJECTIVE_TYPE",
        ("AWARENESS", "CONSIDERATION", "WEB_CONVERSION", "CATALOG_SALES", "VIDEO_COMPLETION"),
        7,
    ),
}
FAIL_MODES = ("FAILED", "CANCELLED", "EXPIRED")
_CHUNK_BYTES = 64 * 1024


# ---- report content ---------------------------------------------------------------------------


def _base_level(level: str) -> str:
    return level.removesuffix("_TARGETING")


def _selected_entities(dataset: Any, ad_account_id: str, body: dict) -> list[ReportingEntity]:
    selected = []
    for entity in entities(dataset, ad_account_id, LEVEL_ENTITIES[_base_level(body["level"])]):
        attributes = {**entity.attributes, "PRODUCT_ITEM_ID": entity.id}
        if all(
            attributes.get(column) in body[name] for name, (column, _, _) in FILTERS.items() if body.get(name)
        ):
            selected.append(entity)
    return selected


def _entity_report_rows(entity: ReportingEntity, body: dict, start: date, end: date, today: date, revision: int) -> Iterator[dict]:
    attribution = parse_attribution(body)
    targetings = list(targeting_pairs(body["targeting_types"])) if body.get("targeting_types") else [None]
    for targeting in targetings:
        for row in entity_rows(
            entity, body["columns"], start, end, body["granularity"], attribution,
            today=today, conversion_revision=revision, targeting=targeting, drop_zero_metrics=True,
        ):
            yield row if targeting is None else _with_targeting(row, targeting)


def _with_targeting(row: dict, targeting: tuple[str, object]) -> dict:
    result = {"DATE": row["DATE"]} if "DATE" in row else {}
    result.update(TARGETING_TYPE=targeting[0], TARGETING_VALUE=targeting[1])
    result.update(row)  # DATE keeps its first place
    return result


def _blocks(body: dict) -> list[tuple[date, date]]:
    """Date spans to group BY_DATE reports: one per row period (one per day for HOUR)."""
    start, end = date.fromisoformat(body["start_date"]), date.fromisoformat(body["end_date"])
    if body["granularity"] == "TOTAL":
        return [(start, end)]
    granularity = "DAY" if body["granularity"] == "HOUR" else body["granularity"]
    return [(period.days[0], period.days[-1]) for period in periods(start, end, granularity)]


def report_groups(dataset: Any, ad_account_id: str, body: dict, *, today: date, conversion_revision: int = 0) -> Iterator[tuple[str, list[dict]]]:
    """(key, rows) of the report in order, generated lazily: one entity (or one date) at a time."""
    selected = _selected_entities(dataset, ad_account_id, body)
    if body.get("primary_sort", "BY_ID") == "BY_ID":
        start, end = date.fromisoformat(body["start_date"]), date.fromisoformat(body["end_date"])
        for entity in selected:
            rows = list(_entity_report_rows(entity, body, start, end, today, conversion_revision))
            if rows:
                yield entity.id, rows
        return
    for block_start, block_end in _blocks(body):
        grouped: dict[str, list[dict]] = {}
        for entity in selected:
            for row in _entity_report_rows(entity, body, block_start, block_end, today, conversion_revision):
                grouped.setdefault(row.get("DATE", body["start_date"]), []).append(row)
        yield from grouped.items()


def expected_report_rows(dataset: Any, ad_account_id: str, report_request_body: dict, *, today: date, conversion_revision: int = 0) -> dict:
    """The JSON report, parsed, for a request body (defaults are filled in as the endpoint does)."""
    body = normalised_body(report_request_body)
    return dict(report_groups(dataset, ad_account_id, body, today=today, conversion_revision=conversion_revision))


def _json_chunks(groups: Iterable[tuple[str, list[dict]]]) -> Iterator[bytes]:
    buffer = [b"{"]
    size, first = 1, True
    for key, rows in groups:
        piece = (b"" if first else b",") + orjson.dumps(key) + b":" + orjson.dumps(rows)
        first = False
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    buffer.append(b"}")
    yield b"".join(buffer)


def _csv_header(body: dict) -> list[str]:
    header = [] if body["granularity"] == "TOTAL" else ["DATE"]
    if body["level"].endswith("_TARGETING"):
        header += ["TARGETING_TYPE", "TARGETING_VALUE"]
    return header + list(body["columns"])


def _csv_chunks(groups: Iterable[tuple[str, list[dict]]], body: dict) -> Iterator[bytes]:
    header = _csv_header(body)
    metrics = {column for column in body["columns"] if not is_attribute_column(column)}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for _, rows in groups:
        for row in rows:
            writer.writerow([row.get(column, 0 if column in metrics else "") for column in header])
        if text.tell() >= _CHUNK_BYTES:
            yield text.getvalue().encode()
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode()


def report_stream(dataset: Any, job: ReportJob) -> Iterator[bytes]:
    """The report file as a stream of byte chunks; nothing but one entity's rows is held at once."""
    groups = report_groups(
        dataset, job.ad_account_id, job.body, today=date.fromisoformat(job.today), conversion_revision=job.conversion_revision
    )
    if job.body["report_format"] == "CSV":
        return _csv_chunks(groups, job.body)
    return _json_chunks(groups)


# ---- request validation -----------------------------------------------------------------------


def normalised_body(body: Any) -> dict:
    """The request body validated, with the API's defaults filled in."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object")
    level = check_enum(require(body.get("level"), "level"), LEVELS, "level")
    granularity = check_enum(require(body.get("granularity"), "granularity"), GRANULARITIES, "granularity")
    columns = body.get("columns")
    if not isinstance(columns, list):
        raise invalid("Missing required parameter: columns (a list of column names)")
    check_columns(columns, report=True)
    parse_day(body.get("start_date"), "start_date")
    parse_day(body.get("end_date"), "end_date")
    attribution = parse_attribution(body)
    result = {
        **body,
        "level": level,
        "granularity": granularity,
        "columns": list(columns),
        "click_window_days": attribution.click_window_days,
        "engagement_window_days": attribution.engagement_window_days,
        "view_window_days": attribution.view_window_days,
        "conversion_report_time": attribution.conversion_report_time,
        "report_format": check_enum(body.get("report_format", "JSON"), ("JSON", "CSV"), "report_format"),
        "primary_sort": check_enum(body.get("primary_sort", "BY_ID"), ("BY_ID", "BY_DATE"), "primary_sort"),
    }
    if level.endswith("_TARGETING"):
        # optional in the spec (a filter): without it a targeting-level report has no targeting breakdown
        if body.get("targeting_types") is not None:
            targeting_types = require(body["targeting_types"], "targeting_types")
            result["targeting_types"] = check_list(list(targeting_types), "targeting_types", 5, REPORT_TARGETING_TYPES)
    elif body.get("targeting_types"):
        raise invalid("targeting_types requires a level ending in _TARGETING")
    for name, (_, allowed, max_items) in FILTERS.items():
        if body.get(name) is not None:
            values = body[name]
            if not isinstance(values, list) or not values:
                raise invalid(f"{name} must be a non-empty list")
            check_list([str(value) for value in values], name, max_items, allowed)
            result[name] = [str(value) for value in values]
    if level.startswith("PRODUCT_ITEM") and (body.get("ad_ids") or body.get("ad_statuses")):
        raise invalid("ad_ids and ad_statuses are not allowed for PRODUCT_ITEM level reports")
    for name in ("start_hour", "end_hour"):
        if body.get(name) is not None and granularity != "HOUR":
            raise invalid(f"{name} is only allowed for hourly reports")
    if body.get("metrics_filters"):
        raise invalid("metrics_filters is not supported by the emulator")
    return result


def _check_limits(body: dict, today: date) -> None:
    start, end = date.fromisoformat(body["start_date"]), date.fromisoformat(body["end_date"])
    if body["level"].startswith("PRODUCT_ITEM"):
        check_window(start, end, today, 92, 31, "PRODUCT_ITEM level reports")
    if body["granularity"] == "HOUR":
        check_window(start, end, today, 8, 3, "HOUR granularity")
    else:
        check_window(start, end, today, 914, 186, "async reports")


# ---- routes -----------------------------------------------------------------------------------


def _require_ad_account(request: Request) -> str:
    ad_account_id = request.path_params["ad_account_id"]
    if find_ad_account(request.emulator.dataset, ad_account_id) is None:
        raise ApiError(403, 29, f"You are not permitted to access ad account {ad_account_id}")
    return ad_account_id


def _initial_outcome(extra: dict, job_number: int) -> str:
    if extra.get("report_stuck"):
        return "IN_PROGRESS"
    mode = extra.get("report_fail_mode")
    if mode:
        check_enum(mode, FAIL_MODES, "report_fail_mode")
        count = int(extra.get("report_fail_count", -1))
        if count < 0 or job_number <= count:
            return mode
    return "FINISHED"


@route("POST", "/ad_accounts/{ad_account_id}/reports", "ads_analytics")
def create_report(request: Request) -> Response:
    ad_account_id = _require_ad_account(request)
    body = normalised_body(request.json())
    today = request.emulator.today()
    _check_limits(body, today)
    extra = request.emulator.options.extra
    state = state_of(request.emulator)
    with state.lock:
        state.jobs_created += 1
        job = ReportJob(
            token=uuid.uuid4().hex,
            ad_account_id=ad_account_id,
            body=body,
            today=today.isoformat(),
            conversion_revision=int(extra.get("conversion_revision", 0) or 0),
            created_at=state.clock(),
            outcome=_initial_outcome(extra, state.jobs_created),
        )
        state.jobs[job.token] = job
    return Response(body={"report_status": "IN_PROGRESS", "token": job.token, "message": None})


def _generated_file(dataset: Any, job: ReportJob) -> Any:
    """The report written once to a temporary file: its size is answered on poll, then it is downloaded."""
    with job.lock:
        if job.file is None:
            job.file = tempfile.TemporaryFile(prefix="emulator-report-")
            for chunk in report_stream(dataset, job):
                job.file.write(chunk)
            job.file.flush()
            job.size = job.file.tell()
        return job.file


def _report_size(dataset: Any, job: ReportJob) -> int:
    _generated_file(dataset, job)
    return job.size


def _file_chunks(job: ReportJob, file: Any) -> Iterator[bytes]:
    offset = 0
    while chunk := os.pread(file.fileno(), _CHUNK_BYTES, offset):
        offset += len(chunk)
        yield chunk
    with job.lock:  # downloaded whole: the file goes (closed by the last reader); a later download generates it again
        if job.file is file:
            job.file = None


@route("GET", "/ad_accounts/{ad_account_id}/reports", "ads_analytics")
def get_report(request: Request) -> Response:
    ad_account_id = _require_ad_account(request)
    token = require(request.arg("token"), "token")
    extra = request.emulator.options.extra
    state = state_of(request.emulator)
    with state.lock:
        job = state.jobs.get(token)
        if job is None or job.ad_account_id != ad_account_id:
            return Response(body={"report_status": "DOES_NOT_EXIST", "url": None, "size": None})
        now = state.clock()
        if now - job.created_at > float(extra.get("report_ttl_seconds", 3600)):
            return Response(body={"report_status": "EXPIRED", "url": None, "size": None})
        job.polls += 1
        if job.outcome == "IN_PROGRESS" or job.polls <= int(extra.get("report_polls", 1)):
            return Response(body={"report_status": "IN_PROGRESS", "url": None, "size": None})
        if job.outcome != "FINISHED":
            return Response(body={"report_status": job.outcome, "url": None, "size": None})
    expires = int(now + float(extra.get("download_ttl_seconds", 300)))
    extension = job.body["report_format"].lower()
    url = f"{request.emulator.root_url}/_downloads/{job.token}.{extension}?expires={expires}"
    return Response(body={"report_status": "FINISHED", "url": url, "size": _report_size(request.emulator.dataset, job)})


def _storage_error(status: int, code: str, message: str) -> Response:
    """Errors as the cloud storage behind report links answers them: XML, not Pinterest JSON."""
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(status=status, body=xml.encode(), headers={"Content-Type": "application/xml"})


@route("GET", "/_downloads/{name}", None)
def download_report(request: Request) -> Response:
    token, _, extension = request.path_params["name"].partition(".")
    state = state_of(request.emulator)
    with state.lock:
        job = state.jobs.get(token)
        now = state.clock()
    if job is None or job.outcome != "FINISHED" or extension != job.body["report_format"].lower():
        return _storage_error(404, "NoSuchKey", "The specified key does not exist.")
    try:
        expires = int(request.arg("expires", "0"))
    except ValueError:
        expires = 0
    report_ttl = float(request.emulator.options.extra.get("report_ttl_seconds", 3600))
    if now > expires or now - job.created_at > report_ttl:
        return _storage_error(403, "AccessDenied", "Request has expired")
    content_type = "text/csv" if extension == "csv" else "application/json"
    file = _generated_file(request.emulator.dataset, job)
    return Response(body=_file_chunks(job, file), headers={"Content-Type": content_type})
