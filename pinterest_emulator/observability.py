"""A thread-safe log of API requests and the counters derived from it."""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

MAX_LOG_ENTRIES = 200_000  # the log keeps the most recent entries; counters count everything

DROPPED = 0  # status recorded when a "drop" fault closed the connection without an answer


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    route: str | None  # route template, None when no route matched
    path: str
    query: dict[str, list[str]]
    status: int
    category: str | None
    timestamp: float
    duration_ms: float
    fault: str | None

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.route or '<unmatched>'}"


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: collections.deque[LoggedRequest] = collections.deque(maxlen=MAX_LOG_ENTRIES)
        self._reset_counters()

    def _reset_counters(self) -> None:
        self._total = 0
        self._by_route: collections.Counter[str] = collections.Counter()
        self._by_category: collections.Counter[str] = collections.Counter()
        self._by_status: collections.Counter[str] = collections.Counter()
        self._by_fault: collections.Counter[str] = collections.Counter()
        self._since = time.time()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)
            self._total += 1
            self._by_route[entry.route_key] += 1
            self._by_category[entry.category or "none"] += 1
            self._by_status[str(entry.status)] += 1
            if entry.fault:
                self._by_fault[entry.fault] += 1

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._reset_counters()

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "by_route": dict(self._by_route),
                "by_category": dict(self._by_category),
                "by_status": dict(self._by_status),
                "by_fault": dict(self._by_fault),
                "since": self._since,
            }

    def as_json(self, limit: int | None = None) -> list[dict]:
        entries = self.entries()
        if limit is not None:
            entries = entries[-limit:]
        return [dict(asdict(entry), route_key=entry.route_key) for entry in entries]
