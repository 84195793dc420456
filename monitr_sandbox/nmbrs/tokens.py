"""Nmbrs' identity service (IdentityServer) as emulated: authorization codes, one-hour access
tokens (assumed; not published) and refresh tokens that are single use (IdentityServer's
default OneTimeOnly: each refresh answers a new one and the old one is then refused). Token
endpoint errors are RFC 6749's {"error", "error_description"}."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 3600


class OAuthError(Exception):
    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status

    def body(self) -> dict[str, str]:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class NmbrsGrants(GrantStore):
    code_ttl = 300
    oauth_error = OAuthError

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {"user": consent["user"], "scopes": consent["scopes"],
                                         "refresh_token": None, "revoked": False}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = secrets.token_hex(32)
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        grant["refresh_token"] = secrets.token_hex(32)
        self._on_change()
        return {"token_type": "Bearer", "expires_in": self._access_ttl(),
                "access_token": access, "refresh_token": grant["refresh_token"],
                "scope": " ".join(grant["scopes"])}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token and not grant["revoked"]:
                return self._issue(grant_id)
        raise OAuthError("invalid_grant")

    def grant_of(self, access_token: str) -> dict[str, Any] | None:
        """The live grant behind an access token, or None (unknown, expired or revoked)."""
        record = self.data["access_tokens"].get(access_token)
        if record is None:
            return None
        grant = self.data["grants"][record["grant"]]
        if grant["revoked"] or self._clock() - record["issued_at"] >= self._access_ttl():
            return None
        return grant
