"""Yuki's login: the WebServiceAccessKey a user creates in Yuki (per user and domain) is traded
for a session id by Accounting.asmx Authenticate(accessKey); the session id then travels as a
parameter of every call (the SOAP transport adds it). A session lasts about a day; a stale or
invalid session answers a fault, and one new Authenticate follows (the transport's refresh).

Sources: API_FACTS.md section 6; a TypeScript Yuki connector (Authenticate on Accounting.asmx,
AuthenticateResult is the session id); yuki-php-wrapper (InvalidSessionIDException). The access
key is never logged or put in an error message.
"""

from __future__ import annotations

import threading
from typing import Any

import requests

from monitr_pipeline.ingestion.transports.soap import child, envelope, fault_of, parse_xml
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.yuki.spec import ACCOUNTING, NAMESPACE, SPEC


class AccessKeyRejected(ProviderError):
    """Yuki refused the access key: only a new key, entered by the user, helps (status 401)."""


class AccessKeyAuth(requests.auth.AuthBase):
    """The integration's access key and the session opened with it. It changes nothing in an HTTP
    request (Yuki wants the session id in the SOAP body); the transport asks it for the id."""

    def __init__(self, access_key: str, base_url: str):
        if not access_key:
            raise AccessKeyRejected(f"{SPEC.name}: the integration has no access key; reconnect it",
                                    status=401, reason="no access key stored")
        self._access_key = access_key
        self.base_url = base_url.rstrip("/")
        self._session_id: str | None = None
        self._lock = threading.Lock()
        # Called with the number of calls an Authenticate spends (the daily budget counts it).
        self.on_call: Any = None

    def __repr__(self) -> str:
        return "AccessKeyAuth(<access key hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request

    def session_id(self, http: requests.Session) -> str:
        with self._lock:
            if self._session_id is None:
                self._session_id = self._authenticate(http)
            return self._session_id

    def renew(self, http: requests.Session, rejected: str) -> str:
        """A new session after Yuki called `rejected` stale (once per rejected id: another call
        may have renewed it already)."""
        with self._lock:
            if self._session_id in (None, rejected):
                self._session_id = self._authenticate(http)
            return self._session_id

    def _authenticate(self, http: requests.Session) -> str:
        if self.on_call is not None:
            self.on_call("Authenticate")
        body = envelope(NAMESPACE, "Authenticate", {"accessKey": self._access_key}, {})
        response = http.post(f"{self.base_url}{ACCOUNTING}", data=body.encode("utf-8"), headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NAMESPACE}Authenticate"'})
        fault = fault_of(response.content) if response.status_code >= 400 else None
        if fault is not None and "access key" in fault[1].lower():
            raise AccessKeyRejected(
                f"{SPEC.name} refused the access key ({fault[1]}); create a new "
                "WebServiceAccessKey in Yuki and reconnect the integration",
                status=401, reason=fault[1], response=response)
        if response.status_code >= 400:
            reason = fault[1] if fault else response.text[:300]
            raise ProviderError(f"{SPEC.name} answered {response.status_code} on Authenticate: "
                                f"{reason}", status=response.status_code, reason=reason,
                                response=response)
        root = parse_xml(response.content, "the answer to Authenticate")
        result = child(child(child(root, "Body"), "AuthenticateResponse"), "AuthenticateResult")
        session_id = (result.text or "").strip() if result is not None else ""
        if not session_id:
            raise ProviderError(f"{SPEC.name} answered Authenticate without a session id",
                                status=response.status_code, reason="no AuthenticateResult",
                                response=response)
        return session_id
