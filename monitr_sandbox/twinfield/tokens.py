"""Twinfield's OAuth2/OpenID tokens: single-use codes, 1-hour access tokens (php-twinfield readme),
refresh tokens (scope offline_access) that stay valid across refreshes.

Plain JSON-able dicts, so the sandbox persists them and a restarted emulator honours its tokens.
"""

from __future__ import annotations

import secrets
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 3600
CODE_TTL = 300


class OAuthError(Exception):
    """A token-endpoint refusal, rendered as {"error": ...} with HTTP 400 (IdentityServer style)."""

    def __init__(self, error: str, description: str | None = None):
        super().__init__(error)
        self.error, self.description = error, description


class TokenStore(GrantStore):
    code_ttl = CODE_TTL
    oauth_error = OAuthError  # IdentityServer refuses a code with the bare error

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        return self.new_grant(consent["scopes"])

    def new_grant(self, scopes: list[str]) -> dict[str, Any]:
        grant_id = secrets.token_hex(8)
        refresh = secrets.token_hex(32) if "offline_access" in scopes else None
        self.data["grants"][grant_id] = {"scopes": scopes, "refresh_token": refresh,
                                         "revoked": False}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        grant = self.data["grants"][grant_id]
        access = secrets.token_hex(32)
        now = self._clock()
        tokens = self.data["access_tokens"]
        for token in [t for t, r in tokens.items() if now - r["issued_at"] > self._access_ttl() + 3600]:
            del tokens[token]  # long expired: forgetting them keeps the state file small
        tokens[access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        body = {"access_token": access, "token_type": "Bearer", "expires_in": self._access_ttl(),
                "scope": " ".join(grant["scopes"])}
        if grant["refresh_token"]:
            body["refresh_token"] = grant["refresh_token"]
        return body

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token and not grant["revoked"]:
                return self._issue(grant_id)
        raise OAuthError("invalid_grant")

    def validate(self, access_token: str) -> dict[str, Any] | None:
        """The token's record with its expiry, or None when unknown, expired or revoked."""
        record = self.data["access_tokens"].get(access_token)
        if record is None or self.data["grants"][record["grant"]]["revoked"]:
            return None
        expires = record["issued_at"] + self._access_ttl()
        if self._clock() >= expires:
            return None
        return {**record, "exp": int(expires), "scopes": self.data["grants"][record["grant"]]["scopes"]}
