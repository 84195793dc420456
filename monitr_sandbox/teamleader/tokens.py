"""Teamleader's OAuth2 server as emulated: single-use codes (10 minutes), access tokens of an
hour, and single-use refresh tokens: each refresh answers a new pair and the refresh token sent
is spent (sent again, it is refused). Refusals in the shape of league/oauth2-server (assumption:
Teamleader's token endpoint is built on it) with RFC 6749's `error` that OAuth2 clients read."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 3600
CODE_TTL = 600


class OAuthError(Exception):
    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description or error, status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description,
                "message": self.description}


class TeamleaderGrants(GrantStore):
    code_ttl = CODE_TTL
    oauth_error = OAuthError
    code_refusals = {"unknown": "Authorization code has been revoked",
                     "expired": "Authorization code has expired",
                     "redirect_uri": "Invalid redirect URI"}

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {"user": consent.get("user"), "revoked": False,
                                         "refresh_token": None, "refreshes": 0}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        grant["refresh_token"] = f"def50200{secrets.token_hex(40)}"
        access = f"eyJ0eXAiOiJKV1Qi.{secrets.token_urlsafe(48)}"
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        return {"token_type": "Bearer", "expires_in": self._access_ttl(),
                "access_token": access, "refresh_token": grant["refresh_token"]}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token:
                if grant["revoked"]:
                    break
                grant["refreshes"] += 1
                return self._issue(grant_id)  # the one sent is spent: a new pair replaces it
        raise OAuthError("invalid_grant", "The refresh token is invalid.")

    def token_record(self, access_token: str) -> tuple[dict[str, Any] | None, str]:
        record = self.data["access_tokens"].get(access_token)
        if record is None or self.data["grants"][record["grant"]]["revoked"]:
            return None, "Access token is invalid"
        if self._clock() - record["issued_at"] >= self._access_ttl():
            return None, "Access token has expired"
        return self.data["grants"][record["grant"]], ""

    def refreshes(self) -> int:
        return sum(g["refreshes"] for g in self.data["grants"].values())
