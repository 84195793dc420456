"""eBlinqx Fiscaal's quirks: the X-Api-Key header, the company list as discovery (with the
Monitr entity each company is linked to), linking companies to our entities, and its errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.eblinqx.errors import error_reason
from monitr_pipeline.providers.eblinqx.spec import LANGUAGE, SPEC

API = "/api/accounting-package"
# eBlinqx Fiscaal serves Dutch companies; its company list names no country or currency.
COUNTRY, CURRENCY = "NL", "EUR"


class ApiKeyAuth(requests.auth.AuthBase):
    """`X-Api-Key: <key>` on every call (the key is never printed)."""

    def __init__(self, api_key: str):
        if not api_key:
            raise ProviderError(f"{SPEC.name}: the integration has no API key; reconnect it",
                                status=401, reason="no API key stored")
        self._api_key = api_key

    def __repr__(self) -> str:
        return "ApiKeyAuth(<API key hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["X-Api-Key"] = self._api_key
        return request


class EBlinqxAdapter(ProviderAdapter):
    spec = SPEC
    credential_fields = ("api_key",)
    default_headers = {"Accept": "application/json", "Accept-Language": LANGUAGE}
    # Companies carry monitrClientId: the Monitr entity they are linked to.
    links_entities = True

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}{API}/"

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> ApiKeyAuth:
        return ApiKeyAuth(str(credentials.get("api_key") or ""))

    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def administration_gone(self, error: ProviderError) -> bool:
        # A company no longer linked to the account is not found on its own paths (assumed).
        return error.status == 404

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """Every company of the account (GET /api/accounting-package/companies), with the Monitr
        entity it is linked to, if any (monitrClientId)."""
        response = session.get(f"{base_url}{API}/companies", headers=dict(self.default_headers),
                               timeout=30)
        self._raise_for(response, "GET", "companies")
        companies = response.json()
        if not isinstance(companies, list):
            raise ValueError(f"{SPEC.name}: the company list is not a list")
        return [Administration(str(c["id"]), c.get("name") or str(c["id"]), COUNTRY, CURRENCY,
                               entity_hint=c.get("monitrClientId") or None)
                for c in companies]

    def link_entities(self, session: requests.Session, base_url: str,
                      links: Sequence[tuple[Administration, str]]) -> None:
        """POST /api/accounting-package/companies [{id, monitrClientId}]: one call for all."""
        body = [{"id": administration.external_id, "monitrClientId": reference}
                for administration, reference in links]
        response = session.post(f"{base_url}{API}/companies", json=body,
                                headers=dict(self.default_headers), timeout=30)
        self._raise_for(response, "POST", "companies")

    def _raise_for(self, response: requests.Response, method: str, path: str) -> None:
        if response.status_code >= 400:
            reason = error_reason(response)
            raise ProviderError(f"{SPEC.name} answered {response.status_code} on {method} "
                                f"{API}/{path}: {reason}", status=response.status_code,
                                reason=reason, response=response)
