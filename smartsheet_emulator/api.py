"""The API over a World: auth, access checks and dispatch through the route table (`routes.py`), with no HTTP
transport."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl

from .access import Access
from .params import parse_id
from .protocol import ApiError, Request, Response, error_body, not_found
from .routes import ROUTES
from .world import TokenGrant

__all__ = ["Api", "ApiError", "Request", "Response", "error_body"]


class Api(Access):
    """Answers requests against one World."""

    def endpoint_of(self, request: Request) -> str:
        for method, pattern, name, _ in ROUTES:
            if method == request.method and pattern.match(request.path):
                return name
        return f"{request.method} (unknown)"

    def handle(self, request: Request) -> Response:
        endpoint = self.endpoint_of(request)
        try:
            if request.method == "POST" and request.path.rstrip("/") == "/token":
                return Response(200, self._oauth_token(request), endpoint)
            grant = self._authenticate(request)
            for method, pattern, name, handler in ROUTES:
                match = pattern.match(request.path)
                if method == request.method and match:
                    raw_id = match.groupdict().get("id")
                    with self.world.lock:
                        body = handler(self, grant, request, parse_id(raw_id) if raw_id else 0)
                    return Response(200, body, name)
            raise not_found()
        except ApiError as error:
            return Response(error.status, error_body(error.code, error.message), endpoint)

    # ----- auth ----------------------------------------------------------------------------
    def _authenticate(self, request: Request) -> TokenGrant:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            raise ApiError(401, 1001, "An Access Token is required.")
        grant = self.world.tokens.get(header[7:].strip())
        if grant is None:
            raise ApiError(401, 1002, "Your Access Token is invalid.")
        if grant.expired:
            raise ApiError(401, 1003, "Your Access Token has expired.")
        return grant

    def _oauth_token(self, request: Request) -> dict[str, Any]:
        """`POST /token` (docs/smartsheet-api.md "OAuth"): `grant_type` authorization_code (with `code`) or
        refresh_token (with `refresh_token`), and the client's secret either as `client_secret` in plain text or as
        `hash = sha256(client_secret + "|" + code or refresh_token)`. Codes and refresh tokens are single-use."""
        form = dict(request.query)
        if request.body:
            form.update(dict(parse_qsl(request.body.decode("utf-8"))))
        client = self.world.oauth_clients.get(form.get("client_id", ""))
        grant_type = form.get("grant_type")
        given = form.get("code" if grant_type == "authorization_code" else "refresh_token", "")
        pending = client.auth_codes if client and grant_type == "authorization_code" else client.refresh_tokens if client else {}
        if grant_type not in ("authorization_code", "refresh_token") or client is None or given not in pending:
            raise ApiError(400, 1116, "Invalid authorization code, refresh token or client.")
        secret_ok = form.get("client_secret") == client.client_secret
        hash_ok = form.get("hash") == hashlib.sha256(f"{client.client_secret}|{given}".encode()).hexdigest()
        if not (secret_ok or hash_ok):
            raise ApiError(400, 1116, "Invalid hash.")
        user = pending.pop(given)
        access = f"access-{self.world.new_id()}"
        new_refresh = f"refresh-{self.world.new_id()}"
        self.world.add_token(access, user)
        client.refresh_tokens[new_refresh] = user
        return {"token_type": "bearer", "access_token": access, "refresh_token": new_refresh, "expires_in": 604799}
