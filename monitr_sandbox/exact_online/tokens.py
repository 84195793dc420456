"""Exact's OAuth2 token rules: single-use codes, rotating single-use refresh tokens, refresh throttling.

The store is plain JSON-able dicts so the sandbox can persist it and a restarted emulator honours
refresh tokens it issued before (API_FACTS.md section 1, DESIGN_NOTES failure mode 1).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from monitr_sandbox.grants import GrantStore

AUTH_CODE_TTL = 180  # seconds; codes are single use
REFRESH_TOKEN_TTL = 30 * 24 * 3600  # an unused refresh token expires after 30 days
REFRESH_WINDOW = 30  # a refresh is allowed only in the last 30 s of the access token (or after)
_USED_KEPT = 500


class OAuthError(Exception):
    """A token-endpoint refusal: rendered as {"error", "error_description"} with HTTP 400."""

    def __init__(self, error: str, description: str):
        super().__init__(f"{error}: {description}")
        self.error, self.description = error, description


def _token(prefix: str) -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}"


class TokenStore(GrantStore):
    code_ttl = AUTH_CODE_TTL
    oauth_error = OAuthError
    code_refusals = {
        "unknown": "The authorization code is invalid or was already used.",
        "expired": "The authorization code has expired.",
        "redirect_uri": "The redirect_uri does not match the authorization request.",
    }

    def new_code(self) -> str:
        return _token("code!")

    def grant_for(self, consent: dict[str, Any]) -> dict[str, str]:
        return self.new_grant()

    # --- grants and tokens ----------------------------------------------------------------------
    def new_grant(self) -> dict[str, str]:
        """A consent: its first refresh token and access token."""
        grant_id = _token("grant-")
        self.data["grants"][grant_id] = {"revoked": False, "refresh_token": None,
                                         "refresh_issued_at": 0.0, "used_refresh_tokens": [],
                                         "access_issued_at": 0.0}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, str]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        if grant["refresh_token"]:
            # Remember recent ones to answer "Old refresh token used." (bounded: one a refresh).
            grant["used_refresh_tokens"] = [*grant["used_refresh_tokens"][-(_USED_KEPT - 1):],
                                            grant["refresh_token"]]
        grant["refresh_token"] = _token("refresh!")
        grant["refresh_issued_at"] = now
        grant["access_issued_at"] = now
        access = _token("access!")
        self._prune(now)
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        return {"access_token": access, "token_type": "bearer", "expires_in": str(self._access_ttl()),
                "refresh_token": grant["refresh_token"]}

    def _prune(self, now: float) -> None:
        # Expired access tokens answer 401 whether known or not; forgetting them keeps the file small.
        tokens = self.data["access_tokens"]
        for token in [t for t, record in tokens.items() if now - record["issued_at"] > self._access_ttl() + 3600]:
            del tokens[token]

    def _grant_of(self, refresh_token: str) -> tuple[str, dict, bool] | None:
        """(grant id, grant, whether the token is the grant's current one)."""
        for grant_id, grant in self.data["grants"].items():
            if refresh_token == grant["refresh_token"]:
                return grant_id, grant, True
            if refresh_token in grant["used_refresh_tokens"]:
                return grant_id, grant, False
        return None

    def refresh(self, refresh_token: str) -> dict[str, str]:
        now = self._clock()
        found = self._grant_of(refresh_token)
        if found is None:
            raise OAuthError("invalid_grant", "The refresh token is invalid.")
        grant_id, grant, current = found
        if grant["revoked"]:
            raise OAuthError("invalid_grant", "The refresh token has been revoked.")
        if not current:
            raise OAuthError("invalid_grant", "Old refresh token used.")
        expires_at = grant["refresh_issued_at"] + REFRESH_TOKEN_TTL
        if now > expires_at:
            raise OAuthError("invalid_request", f"The refresh token expired at {_shown(expires_at)} "
                                                f"and it is now {_shown(now)}.")
        if now - grant["access_issued_at"] < self._access_ttl() - REFRESH_WINDOW:
            # Exact refuses early refreshes (since July 2021); the refresh token stays valid.
            raise OAuthError("invalid_request", "The access token is still valid: a new one can be "
                                                f"requested only in its last {REFRESH_WINDOW} seconds.")
        return self._issue(grant_id)

    def access_valid(self, access_token: str) -> bool:
        record = self.data["access_tokens"].get(access_token)
        if record is None or self.data["grants"][record["grant"]]["revoked"]:
            return False
        return self._clock() - record["issued_at"] < self._access_ttl()

    def expire_access_tokens(self) -> None:
        """Also lifts the refresh throttle, which counts from the grant's last access token."""
        aged = self._clock() - self._access_ttl() - 1
        for grant in self.data["grants"].values():
            grant["access_issued_at"] = min(grant["access_issued_at"], aged)
        super().expire_access_tokens()


def _shown(epoch: float) -> str:
    # Exact's message shows US-style local times, e.g. "10/11/2022 9:18:20 PM".
    return datetime.fromtimestamp(epoch).strftime("%m/%d/%Y %I:%M:%S %p")
