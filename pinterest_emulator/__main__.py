"""``python -m pinterest_emulator``: serve the emulator on 127.0.0.1 until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from pinterest_emulator.dataset import PROFILES
from pinterest_emulator.options import FAULT_KINDS, ROLES, EmulatorOptions
from pinterest_emulator.server import Emulator


def _rate_limit(text: str) -> tuple[str, tuple[int, float]]:
    """``ads_analytics=300/60`` -> ("ads_analytics", (300, 60.0))."""
    try:
        category, quota = text.split("=", 1)
        calls, window = quota.split("/", 1)
        return category, (int(calls), float(window))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected CATEGORY=CALLS/SECONDS, got {text!r}") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pinterest_emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", help="YYYY-MM-DD; default: the current UTC date")
    parser.add_argument("--role", choices=ROLES, default="ADMIN")
    parser.add_argument("--no-catalog", action="store_true", help="the user has no catalog")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--faults", default="429,500,503", help=f"comma-separated among {','.join(FAULT_KINDS)}")
    parser.add_argument("--fault-seed", type=int)
    parser.add_argument("--no-oauth-faults", action="store_true", help="never inject faults into /oauth/token")
    parser.add_argument("--rate-limit", type=_rate_limit, action="append", default=[],
                        metavar="CATEGORY=CALLS/SECONDS", help="repeatable; category '*' counts every call")
    parser.add_argument("--access-token-ttl", type=int, default=2_592_000, help="seconds")
    parser.add_argument("--strict-refresh-rotation", action="store_true")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> EmulatorOptions:
    options = EmulatorOptions(
        today=args.today, role=args.role, no_catalog=args.no_catalog, latency_ms=args.latency_ms,
        fault_rate=args.fault_rate, fault_kinds=[kind for kind in args.faults.split(",") if kind],
        fault_seed=args.fault_seed, fault_oauth=not args.no_oauth_faults, rate_limits=dict(args.rate_limit),
        access_token_ttl_seconds=args.access_token_ttl, strict_refresh_rotation=args.strict_refresh_rotation,
    )
    options.validate()
    return options


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        options = options_from(args)
    except ValueError as error:
        sys.exit(f"error: {error}")
    emulator = Emulator(profile=args.profile, seed=args.seed, port=args.port, options=options).start()
    print(f"Pinterest API emulator ({args.profile}, seed {args.seed}) serving {emulator.base_url}", flush=True)
    print(json.dumps({"base_url": emulator.base_url, "root_url": emulator.root_url,
                      "credentials": emulator.credentials}), flush=True)
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly on `kill` as on Ctrl-C
    # a job started in the background (`cmd &` in a script) inherits SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
