"""Mutable state of the analytics and report endpoints, kept on the emulator (``emulator.reports``).

Holds the async report jobs, the count of analytics calls (for injected transient errors) and the
clock report expiry is measured with (tests may replace it).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .routing import ApiError, Request

_CREATE_LOCK = threading.Lock()


@dataclass
class ReportJob:
    token: str
    ad_account_id: str
    body: dict  # the validated request body, defaults filled in
    today: str  # the emulator's date when the job was created: the report data is frozen to it
    conversion_revision: int
    created_at: float
    outcome: str  # FINISHED, FAILED, CANCELLED, EXPIRED or IN_PROGRESS (stuck)
    polls: int = 0
    size: int | None = None
    # the generated file, between the poll that reports its size and its first whole download
    file: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class AnalyticsState:
    clock: Callable[[], float] = time.time
    lock: threading.Lock = field(default_factory=threading.Lock)
    jobs: dict[str, ReportJob] = field(default_factory=dict)
    jobs_created: int = 0
    analytics_calls: int = 0

    def next_analytics_call(self) -> int:
        """Number the analytics calls from 1, across threads."""
        with self.lock:
            self.analytics_calls += 1
            return self.analytics_calls


def state_of(emulator: Any) -> AnalyticsState:
    """The emulator's analytics state, created on first use."""
    if emulator.reports is None:
        with _CREATE_LOCK:
            if emulator.reports is None:
                emulator.reports = AnalyticsState()
    return emulator.reports


def inject_transient_error(request: Request) -> None:
    """Fail the first ``analytics_transient_errors`` analytics calls with a retryable error."""
    extra = request.emulator.options.extra
    budget = int(extra.get("analytics_transient_errors", 0) or 0)
    if budget <= 0 or state_of(request.emulator).next_analytics_call() > budget:
        return
    if extra.get("analytics_transient_error", "retry_after") == "code_12":
        raise ApiError(400, 12, "The request could not be completed due to a transient error. Please retry.")
    seconds = int(extra.get("analytics_retry_after_seconds", 1))
    raise ApiError(400, 1, f"Retry after {seconds} seconds")
