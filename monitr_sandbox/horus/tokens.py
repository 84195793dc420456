"""Horus's OAuth2 tokens as emulated: single-use codes, 1-hour access tokens, and refresh tokens
that live 30 days and rotate on every refresh (the one just used is void), as Falco's token
endpoint (Horus Software's) answers them. Plain JSON-able dicts, so a restarted emulator honours
what it issued."""

from __future__ import annotations

import secrets
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 3600
REFRESH_TOKEN_TTL = 30 * 24 * 3600
CODE_TTL = 300


class OAuthError(Exception):
    """A token-endpoint refusal: {"error", "error_description"} with HTTP 400 (401 for the app)."""

    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status


class TokenStore(GrantStore):
    code_ttl = CODE_TTL
    oauth_error = OAuthError
    code_refusals = {"unknown": "The authorization code is unknown or was used already.",
                     "expired": "The authorization code has expired.",
                     "redirect_uri": "The redirect_uri does not match the authorization request."}

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = secrets.token_hex(8)
        self.data["grants"][grant_id] = {"refresh_token": None, "refresh_issued_at": 0,
                                         "revoked": False}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        tokens = self.data["access_tokens"]
        for token in [t for t, r in tokens.items() if now - r["issued_at"] > self._access_ttl() + 3600]:
            del tokens[token]  # long expired: forgetting them keeps the state file small
        access = secrets.token_urlsafe(32)
        tokens[access] = {"grant": grant_id, "issued_at": now}
        grant["refresh_token"], grant["refresh_issued_at"] = secrets.token_urlsafe(32), now
        self._on_change()
        return {"access_token": access, "token_type": "Bearer", "expires_in": self._access_ttl(),
                "refresh_token": grant["refresh_token"],
                "refresh_token_expires_in": REFRESH_TOKEN_TTL}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token:
                if grant["revoked"]:
                    raise OAuthError("invalid_grant", "The refresh token was revoked.")
                if self._clock() - grant["refresh_issued_at"] > REFRESH_TOKEN_TTL:
                    raise OAuthError("invalid_grant", "The refresh token has expired.")
                return self._issue(grant_id)
        raise OAuthError("invalid_grant", "The refresh token is unknown or was used already.")

    def valid(self, access_token: str) -> bool:
        record = self.data["access_tokens"].get(access_token)
        return (record is not None and not self.data["grants"][record["grant"]]["revoked"]
                and self._clock() - record["issued_at"] < self._access_ttl())
