"""HubSpot's OAuth2 server as emulated: authorization codes, 30-minute access tokens, and refresh
tokens that do not rotate (a refresh answers the same refresh token), each grant for the one
portal (hub_id) the installing user chose.

Token endpoint errors: HubSpot's own {"status", "message", "correlationId"} (status
BAD_REFRESH_TOKEN, BAD_AUTH_CODE, BAD_CLIENT_ID, BAD_REDIRECT_URI), with RFC 6749's "error" and
"error_description" beside them (assumption: standard OAuth2 clients read an invalid_grant
there)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 1800  # expires_in of HubSpot's access tokens
APP_ID = 3120417  # the sandbox app's id as token info names it

_STATUSES = {"invalid_grant": "BAD_REFRESH_TOKEN", "invalid_client": "BAD_CLIENT_ID",
             "unsupported_grant_type": "BAD_GRANT_TYPE", "invalid_request": "BAD_REQUEST"}


class OAuthError(Exception):
    def __init__(self, error: str, description: str | None = None, status: int = 400,
                 hubspot_status: str | None = None):
        super().__init__(error)
        self.error, self.description, self.status = error, description, status
        self.hubspot_status = hubspot_status or _STATUSES.get(error, "BAD_REQUEST")

    def body(self) -> dict[str, str]:
        message = self.description or self.error
        return {"status": self.hubspot_status, "message": message,
                "correlationId": str(uuid.uuid4()), "error": self.error,
                "error_description": message}


class HubSpotGrants(GrantStore):
    code_ttl = 600
    oauth_error = OAuthError
    code_refusals = {"unknown": "missing or invalid auth code",
                     "expired": "auth code has expired",
                     "redirect_uri": "redirect_uri does not match the authorization request"}

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {
            "hub_id": consent["hub_id"], "user": consent["user"], "scopes": consent["scopes"],
            "refresh_token": f"eu1-{uuid.uuid4()}", "revoked": False,
        }
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = f"CK{secrets.token_urlsafe(48)}"
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        return {"token_type": "bearer", "expires_in": self._access_ttl(),
                "access_token": access, "refresh_token": grant["refresh_token"]}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if refresh_token and grant["refresh_token"] == refresh_token:
                if grant["revoked"]:
                    raise OAuthError("invalid_grant", "refresh token has been revoked")
                return self._issue(grant_id)
        raise OAuthError("invalid_grant", "missing or unknown refresh token")

    def token_record(self, access_token: str) -> tuple[dict[str, Any] | None, str]:
        """The live grant behind an access token and, when there is none, why: "unknown" or
        "expired" (HubSpot says an expired token expired, in its 401)."""
        record = self.data["access_tokens"].get(access_token)
        if record is None:
            return None, "unknown"
        grant = self.data["grants"][record["grant"]]
        if grant["revoked"]:
            return None, "unknown"
        if self._clock() - record["issued_at"] >= self._access_ttl():
            return None, "expired"
        return grant, ""

    def seconds_left(self, access_token: str) -> int:
        record = self.data["access_tokens"][access_token]
        return int(record["issued_at"] + self._access_ttl() - self._clock())
