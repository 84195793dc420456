"""Minox's quirks: the tenant and administration in every path, the rate-limit headers, its
error bodies, discovery through token introspection, and GL lines read a fiscal year at a time."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.minox.paging import offset_pages
from monitr_pipeline.providers.minox.spec import SPEC, TRANSACTION_LINES, AdministrationRef
from monitr_pipeline.providers.spec import Endpoint

API = "/api/1"
# Minox books in euros and is Dutch only; its administration list names neither.
COUNTRY, CURRENCY = "NL", "EUR"
# What a fiscal year says of itself (the year list's `closed`): a closed year cannot change.
_YEARS = "minox_fiscal_years"


class MinoxAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        ref = AdministrationRef.parse(external_id)
        return f"{base_url}{API}/tenant/{ref.client_number}/"

    # --- rate limits ------------------------------------------------------------------------------
    def seconds_to_wait(self, response: requests.Response) -> float:
        # No call left in this window: wait for the window to end rather than earn a 429, whose
        # Retry-After is far longer (120 s in production).
        if response.headers.get("x-rate-limit-remaining", "").strip() != "0":
            return 0.0
        return _until_reset(response) or 0.0

    def retry_wait(self, response: requests.Response) -> float | None:
        # A 429 without Retry-After (none seen; it usually has one): the window's reset.
        return _until_reset(response) if response.status_code == 429 else None

    # --- errors -----------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def administration_gone(self, error: ProviderError) -> bool:
        reason = (error.reason or "").lower()
        return ((error.status == 404 and "administratie" in reason)
                or (error.status == 403 and "klantnummer" in reason))

    # --- discovery --------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The consent is the main user's, for one subscription: its client number is what token
        introspection answers; the administrations are what that subscription's list shows."""
        client_number = self.client_number(session, base_url)
        response = session.get(f"{base_url}{API}/tenant/{client_number}/administration",
                               headers=dict(self.default_headers), timeout=30)
        administrations = _json_answer(response, "the list of administrations")
        if not isinstance(administrations, list):
            raise ValueError("Minox's list of administrations is not a JSON list")
        return [Administration(f"{client_number}/{a['id']}", a.get("name") or str(a["id"]),
                               COUNTRY, CURRENCY) for a in administrations]

    def client_number(self, session: requests.Session, base_url: str) -> str:
        """The subscription (klantnummer) the integration's token was granted for: POST /inspect
        with the app's credentials (onetoweb/minox Meta::inspect). A token introspection calls
        inactive (expired early, or revoked) is refreshed once, as a 401 would be."""
        auth = session.auth
        token = auth.access_token()
        answer = self._inspect(session, base_url, token)
        if not answer.get("active"):
            answer = self._inspect(session, base_url, auth.refresh_rejected(token))
        if not answer.get("active") or answer.get("client_number") in (None, ""):
            raise ProviderError("Minox's token introspection names no active subscription "
                                "(client_number); reconnect the integration", status=401,
                                reason="inactive token")
        return str(answer["client_number"])

    def _inspect(self, session: requests.Session, base_url: str, token: str) -> dict[str, Any]:
        credentials = session.auth.store.load()
        response = session.post(
            f"{base_url}{API}/inspect", json={"token": token}, timeout=30,
            auth=requests.auth.HTTPBasicAuth(credentials["client_id"],
                                             credentials["client_secret"]),
            headers=dict(self.default_headers))
        answer = _json_answer(response, "token introspection")
        if not isinstance(answer, dict):
            raise ValueError("Minox's token introspection is not a JSON object")
        return answer

    # --- transaction lines, a fiscal year at a time (WINDOWED) ----------------------------------
    def fiscal_years(self, client: RESTClient, endpoint: Endpoint, read_before: Sequence[str],
                     run: ImportRunContext, hooks: dict[str, Any]) -> list[str]:
        """Every year not read before, and every year not closed (bookings still change there)."""
        years = self._years(client, run, hooks)
        return [year for year, closed in sorted(years.items())
                if year not in read_before or not closed]

    def year_lines(self, client: RESTClient, endpoint: Endpoint, window: str,
                   run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """Every transaction line of one fiscal year, page by page."""
        path = TRANSACTION_LINES.format(
            external_id=AdministrationRef.parse(run.entity.external_id), year=window)
        for page in client.paginate(path, params={"limit": endpoint.page_size, "offset": 0},
                                    paginator=offset_pages(endpoint), data_selector="$",
                                    hooks=hooks):
            yield list(page)

    def _years(self, client: RESTClient, run: ImportRunContext,
               hooks: dict[str, Any]) -> dict[str, bool]:
        if _YEARS not in run.provider_state:
            listing = replace(self.spec.endpoint("fiscal_periods"), records=None)
            request = endpoint_request(self.spec, listing, run.entity.external_id)
            years: dict[str, bool] = {}
            for page in self.transport.pages(client, request, hooks, run):
                for year in page:
                    if not isinstance(year, dict) or not str(year.get("year", "")).isdigit():
                        raise ValueError(f"a fiscal year without a year: {year!r:.80}")
                    years[str(year["year"])] = year.get("closed") is True
            run.provider_state[_YEARS] = years
        return run.provider_state[_YEARS]


def _until_reset(response: requests.Response) -> float | None:
    """Seconds until x-rate-limit-reset (epoch milliseconds), at least 0; None if absent."""
    raw = response.headers.get("x-rate-limit-reset", "").strip()
    if not raw.isdigit():
        return None
    return max(int(raw) / 1000 - time.time(), 0.0)


def _json_answer(response: requests.Response, what: str) -> Any:
    if response.status_code >= 400:
        reason = error_reason(response)
        raise ProviderError(f"Minox answered {response.status_code} on {what}: {reason}",
                            status=response.status_code, reason=reason, response=response)
    try:
        return response.json()
    except ValueError:
        raise ValueError(f"Minox's answer on {what} is not JSON") from None


def error_reason(response: requests.Response) -> str:
    """Minox's own words: {"message"}, the token endpoint's {"error", "error_description"}, or a
    bare JSON value (onetoweb/minox reads one as the message)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if isinstance(body, dict):
        if body.get("message"):
            return str(body["message"])[:300]
        if body.get("error"):
            return ": ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))
        return json.dumps(body)[:300]
    if isinstance(body, str):
        return body[:300]
    return response.text[:300]
