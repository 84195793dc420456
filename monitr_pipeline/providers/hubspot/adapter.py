"""HubSpot's quirks: the portal implied by the token (discovered through token info), the
X-HubSpot-RateLimit-* headers, its error bodies, and deals read through search in windows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.hubspot.search import DealSearch
from monitr_pipeline.providers.hubspot.spec import DEAL_PROPERTIES, SPEC, epoch_ms
from monitr_pipeline.providers.spec import Endpoint

# "The search endpoints return at most 10,000 results for any given query."
SEARCH_RESULT_CAP = 10_000
# Search allows about 5 calls a second per portal: at most 4 a second from one import.
SEARCH_INTERVAL_SECONDS = 0.25
# Longest pause for a spent ten-second window (its -Interval-Milliseconds).
_MAX_WINDOW_SECONDS = 10.0


class HubSpotAdapter(ProviderAdapter):
    spec = SPEC
    search_cap = SEARCH_RESULT_CAP
    search_interval = SEARCH_INTERVAL_SECONDS

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # One token reaches one portal: no portal in paths or headers.
        return f"{base_url}/"

    # --- rate limits -------------------------------------------------------------------------------
    def seconds_to_wait(self, response: requests.Response) -> float:
        headers = response.headers
        if headers.get("X-HubSpot-RateLimit-Remaining", "").strip() == "0":
            interval = headers.get("X-HubSpot-RateLimit-Interval-Milliseconds", "10000").strip()
            return min(int(interval) / 1000 if interval.isdigit() else _MAX_WINDOW_SECONDS,
                       _MAX_WINDOW_SECONDS)
        if headers.get("X-HubSpot-RateLimit-Secondly-Remaining", "").strip() == "0":
            return 1.0
        return 0.0

    def retry_wait(self, response: requests.Response) -> float | None:
        # A 429 without Retry-After: the window its policy names (ten seconds, or a second).
        if response.status_code != 429:
            return None
        try:
            policy = str(response.json().get("policyName", ""))
        except (ValueError, AttributeError):
            policy = ""
        return _MAX_WINDOW_SECONDS if "TEN_SECONDLY" in policy else 1.0

    # --- errors ---------------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:300] or response.reason
        if not isinstance(body, dict):
            return response.text[:300]
        message = str(body.get("message") or body.get("error_description") or body)[:300]
        category = body.get("category") or body.get("status")
        return f"{message} ({category})" if category and category != "error" else message

    # --- discovery ----------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The one portal the token was installed in (token info's hub_id; hub_domain is its
        account name), with its company currency from the account details."""
        auth = session.auth
        token = auth.access_token()
        response = self._token_info(session, base_url, token)
        if response.status_code == 404:
            # A token HubSpot no longer knows (expired early): refreshed once.
            response = self._token_info(session, base_url, auth.refresh_rejected(token))
        info = _json_answer(self, response, "token info")
        details = _json_answer(self, session.get(f"{base_url}/account-info/v3/details",
                                                 headers=dict(self.default_headers), timeout=30),
                               "the account details")
        if info.get("hub_id") in (None, ""):
            raise ValueError("HubSpot's token info names no hub_id")
        return [Administration(str(info["hub_id"]), str(info.get("hub_domain") or info["hub_id"]),
                               None, details.get("companyCurrency"))]

    def _token_info(self, session: requests.Session, base_url: str, token: str
                    ) -> requests.Response:
        # The token is the path (the endpoint needs no Authorization); through the session for
        # its retry policy.
        return session.get(f"{base_url}/oauth/v1/access-tokens/{token}",
                           headers=dict(self.default_headers), timeout=30)

    # --- deals through search -----------------------------------------------------------------------
    def search_deals(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                     run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        start = cursor_value if cursor_value is not None else self.initial_cursor(endpoint)
        search = DealSearch(client, endpoint.path, DEAL_PROPERTIES, endpoint.page_size,
                            self.search_cap, hooks, self.search_interval)
        yield from search.pages(int(epoch_ms(start)))


def _json_answer(adapter: ProviderAdapter, response: requests.Response, what: str
                 ) -> dict[str, Any]:
    if response.status_code >= 400:
        reason = adapter.error_reason(response)
        raise ProviderError(f"HubSpot answered {response.status_code} on {what}: {reason}",
                            status=response.status_code, reason=reason, response=response)
    try:
        answer = response.json()
    except ValueError:
        raise ValueError(f"HubSpot's answer on {what} is not JSON") from None
    if not isinstance(answer, dict):
        raise ValueError(f"HubSpot's answer on {what} is not a JSON object")
    return answer
