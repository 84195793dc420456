"""Xero quirks: the tenant header, quotas and errors (its envelopes, paging and
nested records are declared in spec.py)."""

from __future__ import annotations

from collections.abc import Mapping

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.xero.spec import SPEC

TENANT_HEADER = "Xero-Tenant-Id"
# Xero publishes no reset time for its minute window: a full minute is always enough.
_MINUTE_WINDOW_SECONDS = 60.0


class XeroAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # Endpoint paths carry their API root (api.xro/2.0 or assets.xro/1.0); the tenant travels
        # in a header.
        return f"{base_url}/"

    def tenant_headers(self, external_id: str) -> dict[str, str]:
        return {TENANT_HEADER: external_id}

    def seconds_to_wait(self, response: requests.Response) -> float:
        # The tenant's (or the app's) minute quota is spent: wait the minute out rather than earn a
        # 429. A spent daily quota is not waited for; its 429 names the problem.
        for header in ("X-MinLimit-Remaining", "X-AppMinLimit-Remaining"):
            if response.headers.get(header) == "0":
                return _MINUTE_WINDOW_SECONDS
        return 0.0

    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def administration_gone(self, error: ProviderError) -> bool:
        # A valid token with a tenant id the consent no longer connects (organisation deleted or
        # disconnected from the app) answers 403 AuthenticationUnsuccessful; a scope the consent
        # lacks answers 403 AuthorizationUnsuccessful instead.
        return error.status == 403 and "AuthenticationUnsuccessful" in (error.reason or "")

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The organisations this consent connected (GET /connections); practices are skipped."""
        response = session.get(f"{base_url}/connections", headers=dict(self.default_headers),
                               timeout=30)
        if response.status_code >= 400:
            reason = error_reason(response)
            raise ProviderError(f"Xero answered {response.status_code} on /connections: {reason}",
                                status=response.status_code, reason=reason, response=response)
        return [Administration(c["tenantId"], c["tenantName"]) for c in response.json()
                if c.get("tenantType") == "ORGANISATION"]


def error_reason(response: requests.Response) -> str:
    """Xero's own words from whichever error shape it answered with."""
    if response.status_code == 429:
        problem = response.headers.get("X-Rate-Limit-Problem", "unknown")
        return (f"rate limit exceeded ({problem} limit); retry after "
                f"{response.headers.get('Retry-After', '?')} s")
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if not isinstance(body, Mapping):
        return response.text[:300]
    if "Title" in body or "Detail" in body:  # problem details (401, 403, 404)
        return ": ".join(str(body[k]) for k in ("Title", "Detail") if body.get(k))
    if "Message" in body:  # the Accounting API's Error (400 validation)
        messages = [error["Message"] for element in body.get("Elements") or []
                    for error in element.get("ValidationErrors") or [] if "Message" in error]
        return "; ".join([body["Message"], *messages])
    if "title" in body or "detail" in body:  # the Assets API's Error
        return ": ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    if "error" in body:  # the identity service (token endpoint)
        return ": ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))
    return response.text[:300]
