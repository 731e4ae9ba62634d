"""Fault injection: targeted faults first (``fail_next``), then random ones from a seeded generator."""

from __future__ import annotations

import random
import re
import threading

from pinterest_emulator.options import EmulatorOptions


class FaultInjector:
    def __init__(self, seed: int):
        self._lock = threading.Lock()
        self._rng = random.Random(seed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng = random.Random(seed)

    def choose(self, options: EmulatorOptions, request_line: str, is_oauth: bool,
               allowed: frozenset[str] | None = None) -> str | None:
        """The fault kind for this request (``request_line`` is "GET /v5/path?query"), or None; with
        ``allowed`` (downloads), only those kinds, and a random fault of another kind is none."""
        with self._lock:
            for fault in options.fail_next:
                if fault.count > 0 and re.search(fault.pattern, request_line) and (allowed is None or fault.kind in allowed):
                    fault.count -= 1
                    if fault.count == 0:
                        options.fail_next.remove(fault)
                    return fault.kind
            if options.fault_rate <= 0 or not options.fault_kinds or (is_oauth and not options.fault_oauth):
                return None
            if self._rng.random() < options.fault_rate:
                kind = self._rng.choice(options.fault_kinds)
                return kind if allowed is None or kind in allowed else None
        return None
