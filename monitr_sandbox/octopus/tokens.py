"""Octopus's tokens as emulated: OAuth2 access tokens of 10 minutes and refresh tokens of 60 days
(login.octopus.be/manual/octopus-webservice/api/using_an_oauth_token), and dossier tokens of 10
minutes obtained per dossier with an access token (.../api/dossier_token). The refresh token is
kept across refreshes until it expires (the manual says nothing of rotation). State is JSON-able
dicts, so a restarted emulator honours what it issued."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from monitr_sandbox.grants import GrantStore

ACCESS_TOKEN_TTL = 600
REFRESH_TOKEN_TTL = 60 * 24 * 3600
DOSSIER_TOKEN_TTL = 600
AUTH_CODE_TTL = 300


class OAuthError(Exception):
    """A token-endpoint refusal, rendered as {"error", "error_description"} with HTTP 400."""

    def __init__(self, error: str, description: str | None = None):
        super().__init__(error)
        self.error, self.description = error, description


class OctopusTokens(GrantStore):
    code_ttl = AUTH_CODE_TTL
    oauth_error = OAuthError
    code_refusals = {"unknown": "Invalid authorization code",
                     "expired": "Authorization code expired",
                     "redirect_uri": "Invalid redirect uri"}

    def __init__(self, data: dict[str, Any], **kwargs: Any):
        super().__init__(data, **kwargs)
        data.setdefault("dossier_tokens", {})

    def grant_for(self, consent: dict[str, Any]) -> dict[str, Any]:
        grant_id = str(uuid.uuid4())
        self.data["grants"][grant_id] = {"revoked": False, "refresh_token": secrets.token_hex(24),
                                         "refresh_issued_at": self._clock()}
        return self._issue(grant_id)

    def _issue(self, grant_id: str) -> dict[str, Any]:
        now = self._clock()
        grant = self.data["grants"][grant_id]
        access = str(uuid.uuid4())
        self.data["access_tokens"] = {t: r for t, r in self.data["access_tokens"].items()
                                      if now - r["issued_at"] <= self._access_ttl() + 3600}
        self.data["access_tokens"][access] = {"grant": grant_id, "issued_at": now}
        self._on_change()
        return {"access_token": access, "token_type": "bearer", "expires_in": self._access_ttl(),
                "refresh_token": grant["refresh_token"], "scope": "webservice"}

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        for grant_id, grant in self.data["grants"].items():
            if grant["refresh_token"] != refresh_token:
                continue
            if grant["revoked"]:
                raise OAuthError("invalid_grant", "Refresh token revoked")
            if self._clock() - grant["refresh_issued_at"] > REFRESH_TOKEN_TTL:
                raise OAuthError("invalid_grant", "Refresh token expired")
            return self._issue(grant_id)
        raise OAuthError("invalid_grant", "Invalid refresh token")

    def access_state(self, token: str) -> str:
        """'valid', 'expired' or 'invalid' (unknown or revoked)."""
        record = self.data["access_tokens"].get(token)
        if record is None or self.data["grants"][record["grant"]]["revoked"]:
            return "invalid"
        return "valid" if self._clock() - record["issued_at"] < self._access_ttl() else "expired"

    # --- dossier tokens -------------------------------------------------------------------------
    def issue_dossier_token(self, dossier_id: str) -> str:
        now = self._clock()
        tokens = self.data["dossier_tokens"]
        for token in [t for t, r in tokens.items()
                      if now - r["issued_at"] > DOSSIER_TOKEN_TTL + 3600]:
            del tokens[token]
        token = secrets.token_urlsafe(32)
        tokens[token] = {"dossier": dossier_id, "issued_at": now}
        self._on_change()
        return token

    def dossier_token_state(self, token: str, dossier_id: str) -> str:
        record = self.data["dossier_tokens"].get(token)
        if record is None or record["dossier"] != dossier_id:
            return "invalid"
        return "valid" if self._clock() - record["issued_at"] < DOSSIER_TOKEN_TTL else "expired"

    def expire_dossier_tokens(self) -> None:
        aged = self._clock() - DOSSIER_TOKEN_TTL - 1
        for record in self.data["dossier_tokens"].values():
            record["issued_at"] = min(record["issued_at"], aged)
        self._on_change()
