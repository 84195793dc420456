"""Moneybird quirks: the administration in the path, RateLimit-* headers and
`{"error": ...}` bodies (its pages, lists and synchronization API are declared in spec.py)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.moneybird.spec import SPEC

# The window is five minutes: a longer wait than one window means something else is wrong.
_MAX_THROTTLE_SECONDS = 310.0


class MoneybirdAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}/api/v2/{external_id}/"

    def seconds_to_wait(self, response: requests.Response) -> float:
        """Pause when the window's last call is spent, until RateLimit-Reset (epoch seconds)."""
        try:
            remaining = int(response.headers["RateLimit-Remaining"])
            reset = float(response.headers["RateLimit-Reset"])
        except (KeyError, ValueError):
            return 0.0
        if remaining > 0:
            return 0.0
        return min(max(reset - time.time(), 0.0), _MAX_THROTTLE_SECONDS)

    def error_reason(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:300] or response.reason
        return _error_message(body) or response.text[:300] or response.reason

    def administration_gone(self, error: ProviderError) -> bool:
        # An administration deleted, or no longer shared with the user, answers like an unknown
        # one: 404 with the symbolic code administration_id: not_found.
        return error.status == 404 and "administration_id: not_found" in (error.reason or "")

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        url = f"{base_url}/api/v2/administrations.json"
        response = session.get(url, headers=dict(self.default_headers), timeout=30)
        if response.status_code >= 400:
            reason = self.error_reason(response)
            raise ProviderError(f"{self.spec.name} answered {response.status_code} on {url}: {reason}",
                                status=response.status_code, reason=reason, response=response)
        return [Administration(str(a["id"]), a["name"], a.get("country"), a.get("currency"))
                for a in response.json()]


def _error_message(body: Any) -> str:
    """`{"error": "..."}`, `{"error": {"field": ["..."]}}`, `{"errors": [...]}` or a bare string
    (a 429 answers "Retry later"); a `symbolic` object's codes follow in brackets."""
    if isinstance(body, str):
        return body
    if not isinstance(body, Mapping):
        return ""
    error = body.get("error", body.get("errors"))
    if isinstance(error, Mapping):
        message = "; ".join(f"{field}: {_listed(problems)}" for field, problems in error.items())
    elif isinstance(error, list):
        message = "; ".join(map(str, error))
    else:
        message = "" if error is None else str(error)
    symbolic = body.get("symbolic")
    if isinstance(symbolic, Mapping) and symbolic:
        codes = "; ".join(f"{field}: {_listed(code)}" for field, code in symbolic.items())
        message = f"{message} ({codes})" if message else codes
    return message


def _listed(problems: Any) -> str:
    return ", ".join(map(str, problems)) if isinstance(problems, list) else str(problems)
