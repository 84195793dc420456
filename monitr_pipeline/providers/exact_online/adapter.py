"""Exact Online quirks: OData JSON, sync Timestamps, quotas (its `/Date(ms)/` values in Amsterdam
wall time are its spec's wire format)."""

from __future__ import annotations

import time
from typing import Any

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.exact_online.spec import SPEC

# Never sleep longer than a minutely window: a longer wait means the daily quota, which is an error.
_MAX_THROTTLE_SECONDS = 65.0


class ExactOnlineAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}/api/v1/{external_id}/"

    def seconds_to_wait(self, response: requests.Response) -> float:
        remaining = response.headers.get("X-RateLimit-Minutely-Remaining")
        reset_ms = response.headers.get("X-RateLimit-Minutely-Reset")
        if remaining is None or reset_ms is None or int(remaining) > 0:
            return 0.0
        wait = int(reset_ms) / 1000.0 - time.time()
        return min(max(wait, 0.0), _MAX_THROTTLE_SECONDS)

    def administration_gone(self, error: ProviderError) -> bool:
        # A division the user lost access to (or that was deleted) answers 403 with this Reason.
        return error.status == 403 and "NoDivisionAccess" in (error.reason or "")

    def error_reason(self, response: requests.Response) -> str:
        reason_header = response.headers.get("Reason")
        try:
            message = response.json()["error"]["message"]["value"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:300] or response.reason
        return f"{message} ({reason_header})" if reason_header else message

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """Divisions the login can see: Me gives the current division, which lists the others."""
        me = _get_json(self, session, f"{base_url}/api/v1/current/Me",
                       {"$select": "CurrentDivision,UserName"})
        current = me["d"]["results"][0]["CurrentDivision"]
        url = f"{base_url}/api/v1/{current}/system/Divisions"
        params: dict[str, Any] | None = {"$select": "Code,Description,Country,Currency"}
        divisions: list[Administration] = []
        while url:
            page = _get_json(self, session, url, params)
            divisions += [
                Administration(str(d["Code"]), d["Description"], d.get("Country"), d.get("Currency"))
                for d in page["d"]["results"]
            ]
            url, params = page["d"].get("__next"), None
        return divisions


def _get_json(adapter: ProviderAdapter, session: requests.Session, url: str,
              params: dict[str, Any] | None) -> dict[str, Any]:
    response = session.get(url, params=params, headers=dict(adapter.default_headers), timeout=30)
    if response.status_code >= 400:
        raise ProviderError(
            f"{adapter.spec.name} answered {response.status_code} on {url.split('?')[0]}: "
            f"{adapter.error_reason(response)}",
            status=response.status_code,
            reason=adapter.error_reason(response),
        )
    return response.json()
