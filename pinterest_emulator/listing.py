"""Query-parameter validation and bookmark paging, answering bad input the way Pinterest does (400, code 1)."""

from __future__ import annotations

import base64
import json
import re
from typing import Iterable, Sequence

from pinterest_emulator.routing import ApiError, Request, Response

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 250
NUMERIC_ID = re.compile(r"^\d+$")


def invalid(message: str) -> ApiError:
    return ApiError(400, 1, message)


def page_size(request: Request) -> int:
    raw = request.arg("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit():
        raise invalid(f"Parameter 'page_size' was not numeric (was {raw})")
    size = int(raw)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid(f"Parameter 'page_size' must be between 1 and {MAX_PAGE_SIZE} (was {size})")
    return size


def paginate(request: Request, items: Sequence[dict], limit: int | None = None) -> Response:
    """One page of ``items`` and the bookmark of the next; ``limit`` caps how deep paging may go."""
    size = page_size(request)
    offset = _bookmark_offset(request)
    if offset > len(items) or (limit is not None and offset >= limit):
        raise invalid("Invalid bookmark: paging beyond the end of the list")
    end = offset + size
    if limit is not None:
        end = min(end, limit)
    more = end < len(items) and (limit is None or end < limit)
    bookmark = _encode_bookmark(request.path, end) if more else None
    return Response(body={"items": list(items[offset:end]), "bookmark": bookmark})


def _encode_bookmark(path: str, offset: int) -> str:
    token = json.dumps({"p": path, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def _bookmark_offset(request: Request) -> int:
    raw = request.arg("bookmark")
    if not raw:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        offset = decoded["o"]
        valid = decoded["p"] == request.path and isinstance(offset, int) and offset >= 0
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid:
        raise invalid(f"Invalid bookmark: {raw}")
    return offset


def enum_arg(request: Request, name: str, allowed: Iterable[str], default: str | None = None) -> str | None:
    value = request.arg(name, default)
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise invalid(f"Invalid value for parameter '{name}': '{value}' is not one of {', '.join(allowed)}")
    return value


def enum_list(request: Request, name: str, allowed: Iterable[str], default: Sequence[str] = (),
              max_items: int | None = None) -> list[str]:
    values = _limited_list(request, name, max_items) or list(default)
    allowed = tuple(allowed)
    for value in values:
        if value not in allowed:
            raise invalid(f"Invalid value for parameter '{name}': '{value}' is not one of {', '.join(allowed)}")
    return values


def id_list(request: Request, name: str, max_items: int) -> list[str]:
    values = _limited_list(request, name, max_items)
    for value in values:
        numeric_id(value, name)
    return values


def _limited_list(request: Request, name: str, max_items: int | None) -> list[str]:
    values = request.list_arg(name)
    if max_items is not None and len(values) > max_items:
        raise invalid(f"Parameter '{name}' accepts at most {max_items} values (got {len(values)})")
    return values


def numeric_id(value: str | None, name: str) -> str | None:
    if value is not None and (not NUMERIC_ID.match(value) or len(value) > 18):
        raise invalid(f"'{name}' value '{value}' must match the pattern: ^\\d+$")
    return value


def bool_arg(request: Request, name: str, default: bool) -> bool:
    raw = request.arg(name)
    if raw is None:
        return default
    if raw.lower() not in ("true", "false"):
        raise invalid(f"Parameter '{name}' must be true or false (was {raw})")
    return raw.lower() == "true"


def ordered(items: Sequence[dict], request: Request) -> Sequence[dict]:
    """Items (held in ascending id order) in the spec's ``order``; ASCENDING when absent (no default given)."""
    order = enum_arg(request, "order", ("ASCENDING", "DESCENDING"), "ASCENDING")
    return items[::-1] if order == "DESCENDING" else items
