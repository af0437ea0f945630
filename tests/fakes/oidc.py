"""A fake OpenID Connect provider on 127.0.0.1: discovery document, authorize (a tiny sign-in form),
token (authorization code + PKCE S256, client_secret_basic or _post) and JWKS, with RS256-signed id_tokens.

It is what Streamlit's `st.login` (Authlib) talks to in the sign-in tests:
    with FakeOIDC() as idp:
        idp.email = "ana@example.com"        # what the sign-in form is pre-filled with
        idp.email_verified = False           # the id_token's email_verified claim (default True)
        ... secrets.toml: server_metadata_url = f"{idp.url}/.well-known/openid-configuration"
`idp.requests` lists (method, path) of every request; `idp.issued` the id_token claims it signed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.fakes.server import LocalServer

CLIENT_ID = "trend-studio-test"
CLIENT_SECRET = "oidc-test-secret-8c1f2e"


class FakeOIDC(LocalServer):
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.email = "ana@example.com"
        self.name = "Ana Test"
        self.email_verified: bool | None = True
        """The id_token's `email_verified` claim; None leaves the claim out (as some providers do)."""
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
        self.requests: list[tuple[str, str]] = []
        self.issued: list[dict[str, Any]] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._serve(_handler(self))

    # -- endpoints ----------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def authorize_form(self, query: dict[str, str]) -> tuple[int, str]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, "<p>unknown client or response type</p>"
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        return 200, (
            "<!doctype html><title>Fake identity provider</title><h1>Fake identity provider</h1>"
            f'<form method="post" action="/approve">{hidden}'
            f'<label>E-mail <input name="login_email" value="{html.escape(self.email)}"></label>'
            '<button type="submit">Continue</button></form>'
        )

    def approve(self, form: dict[str, str]) -> str:
        """The user confirmed: a one-time code for the client's redirect_uri."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = {**form, "issued": time.time()}
        params = {"code": code, "state": form.get("state", "")}
        return f"{form['redirect_uri']}?{urlencode(params)}"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        if grant.get("code_challenge"):
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if challenge != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        email = grant.get("login_email") or self.email
        claims = {
            "iss": self.url,
            "sub": hashlib.sha256(email.encode()).hexdigest()[:16],
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "email": email,
            "name": self.name,
        }
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        self.issued.append(claims)
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 600,
            "scope": grant.get("scope", "openid"),
            "id_token": id_token,
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}


def _handler(fake: FakeOIDC) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, body: Any) -> None:
            self._reply(status, json.dumps(body).encode(), "application/json")

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            fake.requests.append(("GET", parts.path))
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, fake.discovery())
            elif parts.path == "/jwks":
                self._json(200, fake.jwks())
            elif parts.path == "/authorize":
                status, page = fake.authorize_form(query)
                self._reply(status, page.encode(), "text/html; charset=utf-8")
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            fake.requests.append(("POST", parts.path))
            form = self._form()
            if parts.path == "/approve":
                self._reply(302, b"", "text/plain", {"Location": fake.approve(form)})
            elif parts.path == "/token":
                self._json(*fake.token(form, self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler
