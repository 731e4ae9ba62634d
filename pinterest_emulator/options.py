"""Runtime options of the emulator; every field can be changed while it runs (``Emulator.configure``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

DEFAULT_CLIENT_ID = "emulator-client-id"
DEFAULT_CLIENT_SECRET = "emulator-client-secret"
DEFAULT_REFRESH_TOKEN = "emulator-refresh-token"

# "truncate": the connection closes before the promised body ends; "cut": a complete answer (its
# Content-Length matches) whose JSON body is cut off halfway.
FAULT_KINDS = ("429", "500", "502", "503", "drop", "truncate", "cut", "slow")
ROLES = ("ADMIN", "ANALYST")


@dataclass
class TargetedFault:
    """Answer the next ``count`` requests whose ``METHOD /path`` matches ``pattern`` with ``kind``."""

    pattern: str  # regex searched in "GET /v5/ad_accounts/1/campaigns?..." (query string included)
    kind: str  # one of FAULT_KINDS
    count: int = 1


@dataclass
class EmulatorOptions:
    # data
    today: str | None = None  # "YYYY-MM-DD"; None means the real current UTC date
    no_catalog: bool = False  # the user has no catalog: product groups answer 409 code 4182
    role: str = "ADMIN"  # "ANALYST" cannot read boards or pins (403 code 29)

    # OAuth
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    refresh_token: str = DEFAULT_REFRESH_TOKEN
    access_token_ttl_seconds: int = 2_592_000
    access_token_early_expiry_seconds: float = 0.0  # a server clock ahead: tokens die this long before expires_in
    refresh_token_ttl_seconds: int = 5_184_000  # continuous refresh tokens live 60 days
    strict_refresh_rotation: bool = False  # a used refresh token stops working
    revoke_refresh_tokens: bool = False  # every refresh attempt fails

    # rate limits: category (or "*" for all API calls) -> (calls, window_seconds); empty = unlimited
    rate_limits: dict[str, tuple[int, float]] = field(default_factory=dict)

    # network emulation and fault injection (API routes only)
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fault_kinds: list[str] = field(default_factory=lambda: ["429", "500", "503"])
    fault_seed: int | None = None  # None: the dataset seed
    slow_ms: float = 2000.0  # how long a "slow" fault sleeps
    fault_oauth: bool = True  # False exempts POST /oauth/token from random faults
    fail_next: list[TargetedFault] = field(default_factory=list)

    # options of other endpoint modules (reports: report_polls, report_fail_mode, ...)
    extra: dict[str, Any] = field(default_factory=dict)

    def update(self, **changes: Any) -> None:
        """Set known fields (normalising JSON shapes); unknown names land in ``extra``.

        All or nothing: invalid changes raise ValueError and leave the options as they were.
        """
        known = {f.name for f in dataclasses.fields(self)}
        candidate = dataclasses.replace(self, extra=dict(self.extra))
        for name, value in changes.items():
            if name == "extra":
                candidate.extra.update(value)
            elif name in known:
                setattr(candidate, name, _normalise(name, value))
            else:
                candidate.extra[name] = value
        candidate.validate()
        self.__dict__.update(candidate.__dict__)

    def validate(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {self.role!r}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be within [0, 1]")
        for kind in list(self.fault_kinds) + [fault.kind for fault in self.fail_next]:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")


def _normalise(name: str, value: Any) -> Any:
    """Accept the shapes JSON and the CLI produce (lists for tuples, dicts for dataclasses)."""
    if name == "rate_limits":
        return {category: (int(calls), float(window)) for category, (calls, window) in value.items()}
    if name == "fault_kinds":
        return [str(kind) for kind in (value.split(",") if isinstance(value, str) else value)]
    if name == "fail_next":
        return [_targeted_fault(entry) for entry in value]
    return value


def _targeted_fault(entry: Any) -> TargetedFault:
    if isinstance(entry, TargetedFault):
        return entry
    if isinstance(entry, dict):
        return TargetedFault(entry["pattern"], str(entry["kind"]), int(entry.get("count", 1)))
    pattern, kind, *rest = entry
    return TargetedFault(pattern, str(kind), int(rest[0]) if rest else 1)
