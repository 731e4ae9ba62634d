"""Per-category rate limits with fixed windows, answered like Pinterest: 429, code 8, X-RateLimit-Reset."""

from __future__ import annotations

import math
import threading
import time

from pinterest_emulator.routing import ApiError

ALL_CATEGORIES = "*"  # a quota under this key counts every API call


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # quota key -> (window start, calls in it)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def admit(self, category: str, quotas: dict[str, tuple[int, float]]) -> dict[str, str]:
        """Count one call of ``category``; raise 429 when a quota is used up. Returns the rate headers."""
        keys = [key for key in (category, ALL_CATEGORIES) if key in quotas]
        now = time.time()
        with self._lock:
            states = [(key, *self._current(key, quotas[key], now)) for key in keys]
            for key, start, used in states:
                calls, window = quotas[key]
                if used >= calls:
                    reset = max(1, math.ceil(start + window - now))
                    raise ApiError(429, 8, "This request exceeded a rate limit. This can happen if the client exceeds "
                                   "one of the published rate limits within a short time window.",
                                   _headers(calls, 0, reset))
            for key, start, used in states:
                self._windows[key] = (start, used + 1)
        if not states:
            return {}
        key, start, used = states[0]
        calls, window = quotas[key]
        return _headers(calls, calls - used - 1, max(1, math.ceil(start + window - now)))

    def _current(self, key: str, quota: tuple[int, float], now: float) -> tuple[float, int]:
        start, used = self._windows.get(key, (now, 0))
        if now >= start + quota[1]:
            return now, 0
        return start, used


def _headers(limit: int, remaining: int, reset_seconds: int) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset_seconds)}
