"""OAuth: ``POST /oauth/token`` (refresh-token grant with HTTP Basic client credentials) and bearer checks.

Choices where the spec only documents a generic error: wrong or missing client credentials answer
401 code 2 "Authentication failed."; an unknown, expired, used (strict rotation) or revoked refresh
token answers 401 code 283, as Pinterest does (shared/NOTES.md). ``access_token_early_expiry_seconds``
stands for a server clock ahead of the client's: tokens stop working that long before their expires_in.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from urllib.parse import parse_qs

from pinterest_emulator.options import EmulatorOptions
from pinterest_emulator.routing import ApiError, Request, Response, route

DEFAULT_SCOPE = "ads:read boards:read pins:read user_accounts:read catalogs:read"


def authentication_failed() -> ApiError:
    return ApiError(401, 2, "Authentication failed.")


class TokenStore:
    """Issued access tokens and live refresh tokens with their expiry times (epoch seconds)."""

    def __init__(self, options: EmulatorOptions):
        self._options = options
        self._lock = threading.Lock()
        self._access: dict[str, float] = {}
        self._refresh: dict[str, float] = {options.refresh_token: time.time() + options.refresh_token_ttl_seconds}

    def issue_access_token(self) -> tuple[str, int]:
        ttl = self._options.access_token_ttl_seconds
        token = "pina_" + secrets.token_urlsafe(32)
        with self._lock:
            self._access[token] = time.time() + ttl - self._options.access_token_early_expiry_seconds
        return token, ttl

    def check_bearer(self, authorization: str | None) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        with self._lock:
            expiry = self._access.get(token.strip()) if scheme.lower() == "bearer" else None
        if expiry is None or expiry <= time.time():
            raise authentication_failed()

    def rotate(self, refresh_token: str) -> tuple[str, int]:
        """Exchange a live refresh token for a new one (continuous refresh rotates on every call)."""
        options = self._options
        now = time.time()
        with self._lock:
            expiry = self._refresh.get(refresh_token)
            if options.revoke_refresh_tokens or expiry is None or expiry <= now:
                raise ApiError(401, 283, "The authorization grant is invalid")  # Pinterest's answer (shared/NOTES.md)
            if options.strict_refresh_rotation:
                del self._refresh[refresh_token]
            new_token = "pinr_" + secrets.token_urlsafe(32)
            self._refresh[new_token] = now + options.refresh_token_ttl_seconds
        return new_token, options.refresh_token_ttl_seconds


def _check_client(request: Request) -> None:
    options = request.emulator.options
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    try:
        client_id, _, client_secret = base64.b64decode(encoded.strip()).decode().partition(":")
    except ValueError:
        raise authentication_failed() from None
    if scheme.lower() != "basic" or (client_id, client_secret) != (options.client_id, options.client_secret):
        raise authentication_failed()


@route("POST", "/oauth/token", "org_read")
def oauth_token(request: Request) -> Response:
    _check_client(request)
    form = {name: values[-1] for name, values in parse_qs(request.body.decode(errors="replace")).items()}
    grant_type = form.get("grant_type")
    if grant_type != "refresh_token":
        raise ApiError(400, 1, f"Unsupported grant_type {grant_type!r}: the emulator serves the refresh_token grant")
    if not form.get("refresh_token"):
        raise ApiError(400, 1, "Missing parameter 'refresh_token'")
    tokens: TokenStore = request.emulator.tokens
    refresh_token, refresh_ttl = tokens.rotate(form["refresh_token"])
    access_token, access_ttl = tokens.issue_access_token()
    return Response(body={
        "access_token": access_token,
        "token_type": "bearer",
        "expires_in": access_ttl,
        "scope": form.get("scope") or DEFAULT_SCOPE,
        "response_type": "refresh_token",
        "refresh_token": refresh_token,
        "refresh_token_expires_in": refresh_ttl,
        "refresh_token_expires_at": int(time.time()) + refresh_ttl,
    })
