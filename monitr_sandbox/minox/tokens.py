"""Minox's OAuth2 server as emulated: authorization codes, one-hour access tokens and refresh
tokens, each grant given by a subscription's main user (so bound to one client number).

Token endpoint errors are RFC 6749's `{"error", "error_description"}`. Assumption (Minox's own
docs were not found): a refresh answers a new refresh token and the old one is then refused
(invalid_grant), as rotating OAuth servers do; the engine persists every rotation.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 3600  # "access token about 1 h" (API_FACTS.md section 10)


class OAuthError(Exception):
    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status

    def body(self) -> dict[str, str]:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class MinoxGrants(GrantStore):
    code_ttl = 600
    oauth_error = OAuthError
    code_refusals = {"unknown": "Authorization code is invalid or has been used.",
                     "expired": "Authorization code has expired.",
                     "redirect_uri": "Redirect URI does not match the authorization request."}

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {
            "client_number": consent["client_number"], "user": consent["user"],
            "scopes": consent["scopes"], "refresh_token": None, "revoked": False,
        }
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = secrets.token_urlsafe(40)
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        grant["refresh_token"] = secrets.token_urlsafe(40)
        self._on_change()
        return {"token_type": "Bearer", "expires_in": self._access_ttl(),
                "access_token": access, "refresh_token": grant["refresh_token"],
                "scope": " ".join(grant["scopes"])}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token:
                if grant["revoked"]:
                    raise OAuthError("invalid_grant", "The refresh token has been revoked.")
                return self._issue(grant_id)
        raise OAuthError("invalid_grant", "The refresh token is invalid.")

    def grant_of(self, access_token: str) -> dict[str, Any] | None:
        """The live grant behind an access token, or None (unknown, expired or revoked)."""
        record = self.data["access_tokens"].get(access_token)
        if record is None:
            return None
        grant = self.data["grants"][record["grant"]]
        if grant["revoked"] or self._clock() - record["issued_at"] >= self._access_ttl():
            return None
        return grant

    def introspect(self, access_token: str) -> dict[str, Any]:
        """RFC 7662's answer for a token, with the subscription it was granted for."""
        grant = self.grant_of(access_token)
        if grant is None:
            return {"active": False}
        record = self.data["access_tokens"][access_token]
        return {"active": True, "scope": " ".join(grant["scopes"]), "token_type": "Bearer",
                "exp": int(record["issued_at"] + self._access_ttl()),
                "iat": int(record["issued_at"]), "username": grant["user"],
                "client_number": grant["client_number"]}
