"""e-Boekhouden's API tokens and the short-lived session tokens made from them (POST /v1/session).

API tokens are what a user creates in the UI (Beheer > API-tokens) and pastes into Monitr: kept in
the sandbox state so a restarted emulator still honours them. Session tokens live in memory: a
client holds one for at most `ttl` seconds (the real lifetime was not found; 3600 s is ours).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

# SessionRequest.source: "^[\w_ ]{1,10}$" (API_FACTS.md section 7; MCP client _normalize_session_source).
_SOURCE = re.compile(r"^[\w ]{1,10}$")


class SessionRefused(Exception):
    """POST /v1/session refused: rendered as e-Boekhouden's Error (400) or SecurityError (403)."""

    def __init__(self, status: int, code: str | None, title: str, message: str | None = None):
        super().__init__(f"{status} {code}: {title}")
        self.status, self.code, self.title, self.message = status, code, title, message


class SessionStore:
    def __init__(self, data: dict[str, Any], *, clock: Callable[[], float], ttl: Callable[[], int],
                 on_change: Callable[[], None]):
        # data = {"api_tokens": {token: {"revoked": bool, "expired": bool}}} (persisted)
        self.data = data
        data.setdefault("api_tokens", {})
        self._sessions: dict[str, dict[str, Any]] = {}
        self._clock, self._ttl, self._on_change = clock, ttl, on_change

    # --- API tokens (the user's side) -----------------------------------------------------------
    def issue_api_token(self) -> str:
        token = secrets.token_hex(32)  # shown once in the UI; 64 hex characters here
        self.data["api_tokens"][token] = {"revoked": False, "expired": False}
        self._on_change()
        return token

    def current_api_token(self) -> str | None:
        live = [t for t, r in self.data["api_tokens"].items() if not r["revoked"] and not r["expired"]]
        return live[-1] if live else None

    def revoke_api_tokens(self) -> None:
        """The user deleted the token in the UI: its sessions end too."""
        for record in self.data["api_tokens"].values():
            record["revoked"] = True
        self._sessions.clear()
        self._on_change()

    def expire_api_tokens(self) -> None:
        """The token's end date passed (tokens can be created with one)."""
        for record in self.data["api_tokens"].values():
            record["expired"] = True
        self._on_change()

    # --- sessions (the API's side) --------------------------------------------------------------
    def start(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise SessionRefused(400, "DATA_01", "No content body provided.")
        source = body.get("source")
        if not source:
            raise SessionRefused(400, "API_SESSION_001", "Source is missing.")
        if not isinstance(source, str) or not _SOURCE.match(source):
            raise SessionRefused(400, "API_SESSION_002", "Source does not match pattern.")
        access_token = body.get("accessToken")
        if not access_token:
            raise SessionRefused(400, "API_SESSION_003", "Access token is missing or empty.")
        record = self.data["api_tokens"].get(access_token)
        if record is not None and record["expired"] and not record["revoked"]:
            raise SessionRefused(400, "API_SESSION_004", "Access token has expired.")
        if record is None or record["revoked"]:
            # The real wording for an unknown or deleted token was not found; this one is ours.
            raise SessionRefused(403, None, "Invalid access token.",
                                 "The access token is unknown or has been deleted.")
        token = secrets.token_urlsafe(32)
        self._sessions[token] = {"issued_at": self._clock(), "api_token": access_token}
        return {"token": token, "expiresIn": self._ttl()}

    def valid(self, session_token: str) -> bool:
        session = self._sessions.get(session_token)
        if session is None:
            return False
        if self._clock() - session["issued_at"] >= self._ttl():
            del self._sessions[session_token]
            return False
        return True

    def end(self, session_token: str) -> bool:
        return self._sessions.pop(session_token, None) is not None

    def expire_sessions(self) -> None:
        self._sessions.clear()

    @property
    def open_sessions(self) -> int:
        return len(self._sessions)
