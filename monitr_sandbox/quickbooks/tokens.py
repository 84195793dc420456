"""Intuit's OAuth2 token rules: single-use codes, a consent bound to one company, hourly access
tokens, a refresh token whose value changes (at most daily) and must then be the one used.

Sources: API_FACTS.md section 4; IntuitDeveloper OAuth2-Dotnet_UsingSDK Tokens.md (expires_in
3600, x_refresh_token_expires_in ~100 days rolling, "always store the latest refresh token").
Plain JSON-able dicts, so a restarted emulator honours what it issued before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from monitr_sandbox.grants import GrantStore

AUTH_CODE_TTL = 300
REFRESH_TOKEN_TTL = 8_726_400  # x_refresh_token_expires_in as Intuit sends it (101 days)
_SUPERSEDED_KEPT = 100


class OAuthError(Exception):
    """A token-endpoint refusal, rendered as {"error", "error_description"}."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(f"{error}: {description}")
        self.error, self.description, self.status = error, description, status


def _token(prefix: str) -> str:
    return f"{prefix}{secrets.token_urlsafe(48)}"


class IntuitTokens(GrantStore):
    code_ttl = AUTH_CODE_TTL
    oauth_error = OAuthError
    code_refusals = {
        "unknown": "The authorization code is invalid or expired.",
        "expired": "The authorization code is invalid or expired.",
        "redirect_uri": "redirect_uri does not match the authorization request.",
    }

    def __init__(self, data: dict[str, Any], *, clock: Callable[[], float],
                 access_ttl: Callable[[], int], rotate_after: Callable[[], int],
                 on_change: Callable[[], None]):
        super().__init__(data, clock=clock, access_ttl=access_ttl, on_change=on_change)
        self._rotate_after = rotate_after

    def new_code(self) -> str:
        return _token("AB11")

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        return self.new_grant(consent["realm"])

    def new_grant(self, realm: str) -> dict[str, Any]:
        """A consent for one company: its first refresh and access tokens."""
        grant_id = _token("grant-")
        self.data["grants"][grant_id] = {"realm": realm, "revoked": False, "refresh_token": None,
                                         "refresh_issued_at": 0.0, "superseded": []}
        self._rotate(grant_id)
        return self._answer(grant_id)

    def _rotate(self, grant_id: str) -> None:
        grant = self.data["grants"][grant_id]
        if grant["refresh_token"]:
            grant["superseded"] = [*grant["superseded"][-(_SUPERSEDED_KEPT - 1):],
                                   grant["refresh_token"]]
        grant["refresh_token"] = _token("RT1-")
        grant["refresh_issued_at"] = self._clock()

    def _answer(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = _token("eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..")
        tokens = self.data["access_tokens"]
        for stale in [t for t, r in tokens.items() if now - r["issued_at"] > self._access_ttl() + 3600]:
            del tokens[stale]  # expired ones answer 401 whether known or not
        tokens[access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        remaining = int(grant["refresh_issued_at"] + REFRESH_TOKEN_TTL - now)
        return {"token_type": "bearer", "access_token": access, "expires_in": self._access_ttl(),
                "refresh_token": grant["refresh_token"], "x_refresh_token_expires_in": remaining}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token == grant["refresh_token"]:
                break
            if refresh_token in grant["superseded"]:
                raise OAuthError("invalid_grant", "Incorrect or invalid refresh token: a newer one "
                                                  "was issued.")
        else:
            raise OAuthError("invalid_grant", "Incorrect or invalid refresh token.")
        now = self._clock()
        if grant["revoked"] or now - grant["refresh_issued_at"] > REFRESH_TOKEN_TTL:
            raise OAuthError("invalid_grant", "The refresh token is expired or revoked.")
        if now - grant["refresh_issued_at"] >= self._rotate_after():
            self._rotate(grant_id)
        return self._answer(grant_id)

    def realm_of(self, access_token: str) -> str | None:
        """The company a valid access token may read; None when it is unknown, expired or revoked."""
        record = self.data["access_tokens"].get(access_token)
        if record is None or self._clock() - record["issued_at"] >= self._access_ttl():
            return None
        grant = self.data["grants"][record["grant"]]
        return None if grant["revoked"] else grant["realm"]
