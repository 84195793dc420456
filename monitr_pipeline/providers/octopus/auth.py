"""Octopus's two tokens: the OAuth access token (10 minutes), sent as the `Token` header on the
login's calls (the list of dossiers, connecting a dossier), and a dossier token (10 minutes)
obtained per dossier with it (POST /dossiers?dossierId=&localeId=) and sent as `dossierToken` on
every call of that dossier. Both are renewed when they lapse mid-import: the access token by the
integration's RefreshingBearerAuth (refreshed under its lock, saved at once), the dossier token
here, once, when a dossier call is refused with 401."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from monitr_pipeline.providers.adapter import ProviderError

# Octopus gives no expiry with a dossier token; it lives 10 minutes: renew it a little before.
DOSSIER_TOKEN_SECONDS = 600 - 30
LOCALE_ID = 1  # the locale of names in answers; 1 as in the public examples


class LoginToken:
    """The integration's access token, as the `Token` header Octopus wants (not a bearer)."""

    def __init__(self, integration: Any):
        self.integration = integration  # a RefreshingBearerAuth

    def token(self) -> str:
        return self.integration.access_token()

    def refreshed(self, rejected: str) -> str:
        return self.integration.refresh_rejected(rejected)

    def send(self, session: requests.Session, method: str, url: str, **kwargs: Any
             ) -> requests.Response:
        """A login call with the access token; a 401 refreshes it once and asks again."""
        token = self.token()
        answer = session.request(method, url, headers={"Token": token}, **kwargs)
        if answer.status_code == 401:
            answer = session.request(method, url, headers={"Token": self.refreshed(token)},
                                     **kwargs)
        return answer


class LoginAuth(requests.auth.AuthBase):
    """requests auth for the login's own calls (discovery): `Token`, refreshed once on a 401."""

    def __init__(self, integration: Any):
        self._login = LoginToken(integration)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        request.headers["Token"] = self._login.token()
        request.register_hook("response", self._again_after_refresh)
        return request

    def _again_after_refresh(self, response: requests.Response, **kwargs: Any
                             ) -> requests.Response:
        if response.status_code != 401 or getattr(response.request, "_octopus_again", False):
            return response
        retry = response.request.copy()
        retry._octopus_again = True  # type: ignore[attr-defined]
        retry.headers["Token"] = self._login.refreshed(response.request.headers["Token"])
        return _resend(response, retry, kwargs)


class DossierAuth(requests.auth.AuthBase):
    """requests auth for one dossier's calls: its dossier token, obtained on first use with the
    login's access token, renewed before its 10 minutes are up and once more if refused."""

    def __init__(self, integration: Any, api_url: str, dossier_id: str,
                 session: requests.Session, error_reason: Any):
        self.integration = integration
        self._login = LoginToken(integration)
        self._api_url, self._dossier_id = api_url, dossier_id
        self._session, self._error_reason = session, error_reason
        self._token: str | None = None
        self._obtained_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DossierAuth({self._dossier_id}, <tokens hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        request.headers["dossierToken"] = self.dossier_token()
        request.register_hook("response", self._again_with_new_dossier_token)
        return request

    def dossier_token(self, rejected: str | None = None) -> str:
        with self._lock:
            stale = time.monotonic() - self._obtained_at > DOSSIER_TOKEN_SECONDS
            if self._token is None or stale or self._token == rejected:
                self._token = self._connect()
                self._obtained_at = time.monotonic()
            return self._token

    def _connect(self) -> str:
        answer = self._login.send(self._session, "POST", f"{self._api_url}/dossiers",
                                  params={"dossierId": self._dossier_id, "localeId": LOCALE_ID})
        if answer.status_code >= 400:
            reason = self._error_reason(answer)
            raise ProviderError(f"Octopus refused a dossier token for dossier {self._dossier_id} "
                                f"({answer.status_code}): {reason}", status=answer.status_code,
                                reason=reason, response=answer)
        try:
            return answer.json()["Dossiertoken"]
        except (ValueError, KeyError, TypeError):
            raise ProviderError(f"Octopus answered no Dossiertoken for dossier "
                                f"{self._dossier_id}", status=answer.status_code,
                                response=answer) from None

    def _again_with_new_dossier_token(self, response: requests.Response, **kwargs: Any
                                      ) -> requests.Response:
        # An expired or unknown dossier token: a new one, and the same call once more. Never a
        # blind retry: with Octopus's low daily limits every refused call costs.
        if response.status_code != 401 or getattr(response.request, "_octopus_again", False):
            return response
        retry = response.request.copy()
        retry._octopus_again = True  # type: ignore[attr-defined]
        retry.headers["dossierToken"] = self.dossier_token(
            rejected=response.request.headers.get("dossierToken"))
        return _resend(response, retry, kwargs)


def _resend(response: requests.Response, retry: requests.PreparedRequest,
            kwargs: dict[str, Any]) -> requests.Response:
    response.content  # noqa: B018 - release the connection before reusing it
    response.close()
    again = response.connection.send(retry, **kwargs)
    again.history.append(response)
    again.request = retry
    return again
