"""Nmbrs' quirks: the company list as discovery, its {title, detail, code} errors, and which of
them say the login no longer sees a company."""

from __future__ import annotations

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.nmbrs.spec import PAGE_SIZE, SPEC

API = "/api"
# Nmbrs is Dutch payroll: euros, the Netherlands; its company list names neither.
COUNTRY, CURRENCY = "NL", "EUR"
# The codes (assumed) of a company the login may no longer read, or that is gone.
_COMPANY_GONE = ("CompanyAccessDenied", "CompanyNotFound")


class NmbrsAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}{API}/"

    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def administration_gone(self, error: ProviderError) -> bool:
        return error.status in (403, 404) and any(
            code in (error.reason or "") for code in _COMPANY_GONE)

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """Every company the login sees (GET /api/companies, page by page)."""
        found: list[Administration] = []
        page, pages = 1, 1
        while page <= pages:
            response = session.get(f"{base_url}{API}/companies",
                                   params={"pageNumber": page, "pageSize": PAGE_SIZE},
                                   headers=dict(self.default_headers), timeout=30)
            if response.status_code >= 400:
                reason = error_reason(response)
                raise ProviderError(f"Nmbrs answered {response.status_code} on the company "
                                    f"list: {reason}", status=response.status_code,
                                    reason=reason, response=response)
            body = response.json()
            found += [Administration(str(c["companyId"]), c.get("name") or str(c["companyId"]),
                                     COUNTRY, CURRENCY) for c in body["data"]]
            pages = int(body.get("pagination", {}).get("totalPages") or 1)
            page += 1
        return found


def error_reason(response: requests.Response) -> str:
    """Nmbrs' own words: {title, detail, code} as "code: detail" (the title alone when that is
    all); the identity service's {error, error_description}; else the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if not isinstance(body, dict):
        return response.text[:300]
    if body.get("detail") or body.get("title"):
        words = body.get("detail") or body.get("title")
        return f"{body['code']}: {words}"[:300] if body.get("code") else str(words)[:300]
    if body.get("error"):
        return ": ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))
    return response.text[:300]
