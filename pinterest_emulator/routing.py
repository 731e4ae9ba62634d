"""Route table shared by every endpoint module of the emulator.

Endpoint modules register handlers with ``@route(method, path, category)``; the server matches
the request path (after the ``/v5`` prefix), enforces auth, rate limits and faults, then calls
the handler with a ``Request`` and serialises the ``Response`` it returns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable


class ApiError(Exception):
    """An error answered with Pinterest's error body ``{"code": code, "message": message}``."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass
class Request:
    method: str
    path: str
    path_params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    emulator: Any  # the running Emulator: .dataset, .today(), .base_url, .options, .reports

    def json(self) -> Any:
        if not self.body:
            raise ApiError(400, 1, "Request body is required")
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise ApiError(400, 1, f"Invalid JSON body: {error}") from error

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def list_arg(self, name: str) -> list[str]:
        """A list parameter, accepting both repeated keys and comma-separated values."""
        items: list[str] = []
        for value in self.query.get(name, []):
            items.extend(part for part in value.split(",") if part)
        return items


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes, or an iterable of bytes (streamed)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    template: str
    category: str | None  # x-ratelimit-category; None for routes outside the API (downloads, admin)
    handler: Callable[[Request], Response]


ROUTES: list[Route] = []


def route(method: str, template: str, category: str | None) -> Callable:
    """Register a handler for ``template`` such as ``/ad_accounts/{ad_account_id}/campaigns``."""
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"

    def register(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        ROUTES.append(Route(method.upper(), re.compile(regex), template, category, handler))
        return handler

    return register


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for candidate in ROUTES:
        if candidate.method == method.upper():
            found = candidate.pattern.match(path)
            if found:
                return candidate, found.groupdict()
    return None

