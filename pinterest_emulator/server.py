"""The HTTP server: ``Emulator`` owns the dataset and runtime state; ``_Handler`` serves one request.

Per API request (``/v5/...``): latency, fault injection, bearer auth (not for ``/oauth/token``),
rate limits, then the route's handler. Routes registered with category None (report downloads)
are served at the root without auth; a storage host's faults (``DOWNLOAD_FAULT_KINDS``) reach
them too. ``/_emulator/...`` admin routes are neither counted nor faulted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import logging
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

import orjson

import pinterest_emulator.auth  # noqa: F401  (registers POST /oauth/token)
import pinterest_emulator.entities  # noqa: F401  (registers the entity routes)
from pinterest_emulator.auth import TokenStore
from pinterest_emulator.dataset import Dataset
from pinterest_emulator.faults import FaultInjector
from pinterest_emulator.limits import RateLimiter
from pinterest_emulator.observability import DROPPED, LoggedRequest, RequestLog
from pinterest_emulator.options import EmulatorOptions
from pinterest_emulator.routing import ApiError, Request, Response, Route, match

API_PREFIX = "/v5"
OAUTH_TEMPLATE = "/oauth/token"
OPTIONAL_ENDPOINT_MODULES = ("pinterest_emulator.analytics", "pinterest_emulator.reports")
FAULT_ANSWERS = {
    "429": ("application/json", {"code": 8, "message": "This request exceeded a rate limit."}),
    "500": ("application/json", {"code": 500, "message": "Internal server error."}),
    # load balancers answer 502/503 themselves, with a text body
    "502": ("text/plain", b"upstream connect error or disconnect/reset before headers"),
    "503": ("text/plain", b"Service Unavailable"),
}
# What a file host can do to a download (no API error bodies, no rate limits).
DOWNLOAD_FAULT_KINDS = frozenset({"500", "502", "503", "drop", "truncate", "cut", "slow"})

logger = logging.getLogger(__name__)


def _import_optional_endpoint_modules() -> None:
    for name in OPTIONAL_ENDPOINT_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


_import_optional_endpoint_modules()


class Emulator:
    """A local Pinterest API v5; ``with Emulator(...) as emu`` serves it in a background thread."""

    def __init__(self, profile: str = "small", seed: int = 1, port: int = 0,
                 options: EmulatorOptions | None = None):
        self.profile = profile
        self.seed = seed
        self.options = options or EmulatorOptions()
        self.options.validate()
        self.dataset = Dataset(profile, seed, self.today())
        self.tokens = TokenStore(self.options)
        self.rate_limiter = RateLimiter()
        self.faults = FaultInjector(self._fault_seed())
        self.log = RequestLog()
        self.reports: Any = None  # set lazily by the reports module
        self._requested_port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._touches = 0

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> "Emulator":
        server = _Server(("127.0.0.1", self._requested_port), _Handler)
        server.emulator = self
        self._server = server
        # a short poll interval keeps stop() quick
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="pinterest-emulator",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- addresses and credentials --------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + API_PREFIX

    @property
    def credentials(self) -> dict[str, str]:
        return {"client_id": self.options.client_id, "client_secret": self.options.client_secret,
                "refresh_token": self.options.refresh_token}

    def issue_access_token(self) -> str:
        """A valid bearer token without the OAuth round trip (for tests of single endpoints)."""
        return self.tokens.issue_access_token()[0]

    # ---- time ------------------------------------------------------------------------------

    def today(self) -> dt.date:
        if self.options.today:
            return dt.date.fromisoformat(self.options.today)
        return dt.datetime.now(dt.timezone.utc).date()

    def now_epoch(self) -> int:
        """Now, on the emulator's ``today`` (later than every generated timestamp)."""
        now = dt.datetime.now(dt.timezone.utc)
        return int(dt.datetime.combine(self.today(), now.time(), dt.timezone.utc).timestamp())

    # ---- observability and control ---------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        return self.log.stats()

    @property
    def request_log(self) -> list[LoggedRequest]:
        return self.log.entries()

    def reset_stats(self) -> None:
        self.log.reset()

    def configure(self, **changes: Any) -> EmulatorOptions:
        self.options.update(**changes)
        if "rate_limits" in changes:
            self.rate_limiter.reset()
        if {"fault_seed", "fault_rate", "fault_kinds"} & changes.keys():
            self.faults.reseed(self._fault_seed())
        return self.options

    def touch(self, stream: str, count: int) -> dict[str, list[str]]:
        """Mark ``count`` entities per ad account of ``stream`` as updated now (incremental tests)."""
        self._touches += 1
        return self.dataset.touch(stream, count, self.now_epoch(), self._touches)

    def _fault_seed(self) -> int:
        return self.seed if self.options.fault_seed is None else self.options.fault_seed

    # ---- admin HTTP routes -----------------------------------------------------------------

    def admin(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        payload = json.loads(body) if body.strip() else {}
        if (method, path) == ("GET", "/_emulator/stats"):
            return 200, self.stats()
        if (method, path) == ("GET", "/_emulator/log"):
            limit = int(query["limit"][-1]) if "limit" in query else None
            return 200, {"entries": self.log.as_json(limit)}
        if (method, path) == ("POST", "/_emulator/reset"):
            self.reset_stats()
            return 200, {"reset": True}
        if (method, path) == ("POST", "/_emulator/config"):
            return 200, dataclasses.asdict(self.configure(**payload))
        if (method, path) == ("POST", "/_emulator/touch"):
            return 200, {"touched": self.touch(payload["stream"], int(payload.get("count", 1)))}
        return 404, {"code": 404, "message": f"Unknown admin route {method} {path}"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256
    emulator: Emulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # one buffered write per answer and no Nagle delay: keep-alive round trips stay sub-millisecond
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # the request log replaces stderr lines
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _dispatch(self) -> None:
        emulator = self.server.emulator
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith("/_emulator/"):
            self._serve_admin(url.path, query, body)
            return
        started = time.time()
        found, is_api = self._match(url.path)
        fault = None
        if found is None:
            response = Response(404, {"code": 404, "message": f"No route for {self.command} {url.path}"})
        elif is_api:
            fault = self._choose_fault(found[0], url)
            response = self._api_response(found[0], found[1], url.path, query, body, fault)
        else:
            fault = self._choose_fault(found[0], url, allowed=DOWNLOAD_FAULT_KINDS)
            response = self._api_response(found[0], found[1], url.path, query, body, fault, authenticated=False)
        # logged before answering, so a client holding the answer also finds it in the log
        emulator.log.record(LoggedRequest(
            method=self.command, route=found[0].template if found else None, path=url.path, query=query,
            status=DROPPED if response is None else response.status,
            category=found[0].category if found else None, timestamp=started,
            duration_ms=round((time.time() - started) * 1000, 3), fault=fault,
        ))
        if response is None:
            self._drop_connection()
        else:
            self._send_response(response, cut=fault if fault in ("truncate", "cut") else None)

    def _match(self, path: str) -> tuple[tuple[Route, dict[str, str]] | None, bool]:
        is_api = path == API_PREFIX or path.startswith(API_PREFIX + "/")
        found = match(self.command, path[len(API_PREFIX):] if is_api else path)
        if found is not None and (found[0].category is not None) != is_api:
            found = None  # API routes live under /v5 only; downloads only outside it
        return found, is_api

    def _choose_fault(self, route: Route, url: Any, allowed: frozenset[str] | None = None) -> str | None:
        emulator = self.server.emulator
        if emulator.options.latency_ms:
            time.sleep(emulator.options.latency_ms / 1000)
        request_line = f"{self.command} {url.path}" + (f"?{url.query}" if url.query else "")
        return emulator.faults.choose(emulator.options, request_line, route.template == OAUTH_TEMPLATE, allowed)

    def _api_response(self, route: Route, params: dict[str, str], path: str, query: dict[str, list[str]],
                      body: bytes, fault: str | None, authenticated: bool = True) -> Response | None:
        """The answer to a call, or None when a "drop" fault closes the connection instead."""
        emulator = self.server.emulator
        if fault == "drop":
            return None
        if fault in FAULT_ANSWERS:
            return _fault_response(fault)
        if fault == "slow":
            time.sleep(emulator.options.slow_ms / 1000)
        if not authenticated:
            return self._call(route, params, path, query, body)
        try:
            if route.template != OAUTH_TEMPLATE:
                emulator.tokens.check_bearer(self.headers.get("Authorization"))
            rate_headers = emulator.rate_limiter.admit(route.category, emulator.options.rate_limits)
        except ApiError as error:
            return _error_response(error)
        response = self._call(route, params, path, query, body)
        response.headers = {**rate_headers, **response.headers}
        return response

    def _call(self, route: Route, params: dict[str, str], path: str, query: dict[str, list[str]],
              body: bytes) -> Response:
        request = Request(method=self.command, path=path, path_params=params, query=query,
                          headers=dict(self.headers.items()), body=body, emulator=self.server.emulator)
        try:
            return route.handler(request)
        except ApiError as error:
            return _error_response(error)
        except Exception:  # a bug in a handler must not kill the connection silently
            logger.error("handler %s failed:\n%s", route.template, traceback.format_exc())
            return Response(500, {"code": 500, "message": "Emulator handler error: " + traceback.format_exc(limit=1)})

    def _serve_admin(self, path: str, query: dict[str, list[str]], body: bytes) -> None:
        try:
            status, payload = self.server.emulator.admin(self.command, path, query, body)
        except (ValueError, KeyError, TypeError) as error:
            status, payload = 400, {"code": 1, "message": f"Invalid admin request: {error!r}"}
        self._send_response(Response(status, payload))

    # ---- writing responses -----------------------------------------------------------------

    def _send_response(self, response: Response, cut: str | None = None) -> None:
        """Send the answer; a ``cut`` fault sends half its body: "truncate" promises the whole length and
        closes the connection (an incomplete read), "cut" announces the half it sends (a complete answer
        whose body is cut off)."""
        headers = dict(response.headers)
        body = response.body
        if isinstance(body, (bytes, bytearray)):
            headers.setdefault("Content-Type", "application/octet-stream")
        elif body is None or isinstance(body, (dict, list, str, int, float, bool)):
            body = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)  # C speed: analytics answers reach 100 MB
            headers.setdefault("Content-Type", "application/json")
        elif cut:  # a streamed body has no Content-Length; collect it to cut it
            body = b"".join(body)
        self.send_response(response.status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(body, (bytes, bytearray)):
            if cut == "cut":
                body = body[: len(body) // 2]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if cut == "truncate":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self._drop_connection()
            elif self.command != "HEAD":
                self.wfile.write(body)
        else:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._write_chunked(body)

    def _write_chunked(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def _drop_connection(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fault_response(kind: str) -> Response:
    content_type, body = FAULT_ANSWERS[kind]
    headers = {"Content-Type": content_type}
    if kind == "429":
        headers["X-RateLimit-Reset"] = "1"
    return Response(int(kind), body, headers)


def _error_response(error: ApiError) -> Response:
    return Response(error.status, {"code": error.code, "message": error.message}, dict(error.headers))
