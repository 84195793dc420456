"""e-Boekhouden's session auth: POST /v1/session trades the API token for a short-lived session token,
sent as the whole Authorization header (no "Bearer"); DELETE /v1/session ends it.

Sources: swagger via NixySoftware/eboekhouden (docs/SessionApi.md, SessionRequest.md, Session.md;
start_session answers 400 Error or 403 SecurityError); matisup10/e-Boekhouden-MCP client.py
(a new session on 401, source pattern ^[\\w_ ]{1,10}$). The API token is never logged or put in
an error message.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from dlt.sources.helpers.requests.retry import Client

from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.eboekhouden.errors import error_code, error_reason
from monitr_pipeline.providers.eboekhouden.spec import SPEC

SOURCE = "MONITR"  # identifies our integration to e-Boekhouden support
# Start a new session this long before the current one expires, so no call races the expiry.
RENEW_MARGIN_SECONDS = 30
# Session answers that mean the token itself is refused (API_SESSION_003 missing, 004 expired);
# API_SESSION_001/002 (source) and DATA_01 (no body) would be our own mistakes.
_TOKEN_CODES = frozenset({"API_SESSION_003", "API_SESSION_004"})
_RETRY_STATUS = (429, 500, 502, 503, 504)


class ApiTokenRejected(ProviderError):
    """e-Boekhouden refused the API token: only a new token, entered by the user, helps.

    `status` is 401 (the credentials are not accepted) whatever HTTP status said so (400 with
    API_SESSION_004, 401, 403), so every caller can tell a refused login from other failures.
    """


class SessionAuth(requests.auth.AuthBase):
    """requests auth that opens a session lazily, renews it before expiry and once after a 401."""

    def __init__(self, api_token: str, base_url: str, http: requests.Session | None = None):
        if not api_token:
            raise ApiTokenRejected(f"{SPEC.name}: the integration has no API token; reconnect it",
                                   status=401, reason="no API token stored")
        self._api_token = api_token
        self._base_url = base_url.rstrip("/")
        # Its own retrying session: the session call honours Retry-After like every other call.
        self._http = http or Client(raise_for_status=False, status_codes=_RETRY_STATUS,
                                    request_max_attempts=5, respect_retry_after_header=True,
                                    request_max_retry_delay=120).session
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "SessionAuth(<API token hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self.session_token()
        request.register_hook("response", self._renew_after_401)
        return request

    def session_token(self) -> str:
        with self._lock:
            if self._token is None or time.time() >= self._expires_at - RENEW_MARGIN_SECONDS:
                self._open()
            return self._token  # type: ignore[return-value]

    def _renew_after_401(self, response: requests.Response, **send_kwargs: Any) -> requests.Response:
        """A 401 means the session ended (expired early, ended elsewhere): open a new one and send
        the request again, once. A second 401 is the provider's answer and goes to the caller."""
        if response.status_code != 401 or getattr(response.request, "_monitr_new_session", False):
            return response
        refused = response.request.headers.get("Authorization")
        with self._lock:
            if self._token in (None, refused):  # another thread may have renewed already
                self._open()
            token = self._token
        again = response.request.copy()
        again._monitr_new_session = True  # type: ignore[attr-defined]
        again.headers["Authorization"] = token
        response.close()
        answer = response.connection.send(again, **send_kwargs)
        answer.history.append(response)
        answer.request = again
        return answer

    def _open(self) -> None:
        response = self._http.post(f"{self._base_url}/v1/session",
                                   json={"accessToken": self._api_token, "source": SOURCE},
                                   headers={"Accept": "application/json"}, timeout=30)
        if response.status_code >= 400:
            raise session_refusal(response)
        try:
            body = response.json()
            token, expires_in = body["token"], float(body["expiresIn"])
        except (ValueError, KeyError, TypeError):
            raise ProviderError(f"{SPEC.name} answered POST /v1/session without a session token",
                                status=response.status_code, reason="malformed session response",
                                response=response) from None
        self._token, self._expires_at = str(token), time.time() + expires_in

    def close(self) -> None:
        """End the session (DELETE /v1/session); a session that already ended is fine."""
        with self._lock:
            token, self._token = self._token, None
        if token:
            try:
                self._http.delete(f"{self._base_url}/v1/session", headers={"Authorization": token},
                                  timeout=10)
            except requests.RequestException:
                pass  # it expires by itself


def session_refusal(response: requests.Response) -> ProviderError:
    """The error for a refused POST /v1/session, in e-Boekhouden's own words."""
    reason = error_reason(response)
    status = response.status_code
    if status in (401, 403) or (status == 400 and error_code(response) in _TOKEN_CODES):
        return ApiTokenRejected(
            f"{SPEC.name} refused the API token ({reason}); create a new API token in "
            "e-Boekhouden (Beheer > API-tokens) and reconnect the integration",
            status=401, reason=reason, response=response)
    return ProviderError(f"{SPEC.name} answered {status} on POST /v1/session: {reason}",
                         status=status, reason=reason, response=response)
