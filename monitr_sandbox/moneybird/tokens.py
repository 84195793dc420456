"""Moneybird's OAuth2 tokens, Doorkeeper-style: single-use codes, refresh tokens that rotate on use,
and access tokens that do not expire (Nango's Moneybird guide: "Access tokens currently do not
expire"; the token response has no expires_in). Tests may still expire or revoke them.

Plain JSON-able dicts, so the sandbox persists them and a restarted emulator honours its tokens.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from monitr_sandbox.grants import GrantStore

CODE_TTL = 600  # Doorkeeper's default authorization code lifetime (10 minutes)
_INVALID_GRANT = ("The provided authorization grant is invalid, expired, revoked, does not match the "
                  "redirection URI used in the authorization request, or was issued to another client.")


class OAuthError(Exception):
    """A token-endpoint refusal, rendered as {"error", "error_description"}."""

    def __init__(self, error: str, description: str = _INVALID_GRANT, status: int = 400):
        super().__init__(f"{error}: {description}")
        self.error, self.description, self.status = error, description, status


def _token() -> str:
    return secrets.token_hex(32)  # Doorkeeper tokens are opaque hex strings


class TokenStore(GrantStore):
    code_ttl = CODE_TTL
    oauth_error = OAuthError  # Doorkeeper words every refusal of a code alike

    def __init__(self, data: dict[str, Any], *, clock: Callable[[], float],
                 on_change: Callable[[], None]):
        # Access tokens have no lifetime: a test expires them with a flag.
        super().__init__(data, clock=clock, access_ttl=lambda: 0, on_change=on_change)

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        return self.new_grant(consent["scopes"])

    def new_grant(self, scopes: list[str]) -> dict[str, Any]:
        """A consent: its first access and refresh token (the token endpoint's JSON answer)."""
        grant_id = secrets.token_hex(8)
        self.data["grants"][grant_id] = {"scopes": scopes, "refresh_token": None, "revoked": False}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        grant = self.data["grants"][grant_id]
        grant["refresh_token"] = _token()
        access = _token()
        self.data["access_tokens"][access] = {"grant": grant_id, "expired": False}
        self._on_change()
        return {"access_token": access, "token_type": "bearer",
                "refresh_token": grant["refresh_token"], "scope": " ".join(grant["scopes"]),
                "created_at": int(self._clock())}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """A refresh token works once: the answer carries its successor."""
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token and not grant["revoked"]:
                return self._issue(grant_id)
        raise OAuthError("invalid_grant")

    def grant_of(self, access_token: str) -> tuple[str, list[str]] | None:
        """(grant id, scopes) of a valid access token; None when unknown, expired or revoked."""
        record = self.data["access_tokens"].get(access_token)
        if record is None or record["expired"]:
            return None
        grant = self.data["grants"][record["grant"]]
        return None if grant["revoked"] else (record["grant"], grant["scopes"])

    def expire_access_tokens(self) -> None:
        for record in self.data["access_tokens"].values():
            record["expired"] = True
        self._on_change()
