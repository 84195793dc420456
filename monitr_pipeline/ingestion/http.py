"""The HTTP client every provider uses: dlt's REST client with retries, Retry-After and quota pauses."""

from __future__ import annotations

import time
from typing import Any

import requests
from dlt.sources.helpers.requests.retry import Client
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.providers.adapter import ProviderAdapter

# 429 and 5xx are retried with backoff (Retry-After first); 4xx are not: Exact blocks an
# app/division/endpoint for an hour after 10 errors, so retrying a 401 or 404 only burns budget.
RETRY_STATUS = (429, 500, 502, 503, 504)


def provider_session(adapter: ProviderAdapter, *, max_attempts: int = 5,
                     backoff_factor: float = 1.0, max_retry_delay: float = 120.0) -> requests.Session:
    session = Client(
        raise_for_status=False,
        status_codes=RETRY_STATUS,
        request_max_attempts=max_attempts,
        request_backoff_factor=backoff_factor,
        request_max_retry_delay=max_retry_delay,
        respect_retry_after_header=True,
    ).session

    session.hooks["response"].append(quota_pause_hook(adapter))
    return session


def quota_pause_hook(adapter: ProviderAdapter):
    """A response hook that honours the provider's remaining-calls headers before the next call,
    not after a 429. (A request's own hooks replace the session's, so the engine adds it again.)"""

    def pause_at_quota(response: requests.Response, *_: Any, **__: Any) -> requests.Response:
        wait = adapter.seconds_to_wait(response)
        if wait > 0:
            time.sleep(wait)
        return response

    return pause_at_quota


def rest_client(adapter: ProviderAdapter, base_url: str, auth: requests.auth.AuthBase | None,
                session: requests.Session | None = None,
                headers: dict[str, str] | None = None) -> RESTClient:
    return RESTClient(
        base_url=base_url,
        headers={**adapter.default_headers, **(headers or {})},
        auth=auth,
        data_selector=adapter.data_selector,
        session=session or provider_session(adapter),
    )
