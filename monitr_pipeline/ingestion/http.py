"""The HTTP client every provider uses: dlt's REST client on one retry policy (Retry-After first)
and a pause when a successful answer says the provider's quota is spent."""

from __future__ import annotations

import logging
import time
from email.utils import mktime_tz, parsedate_tz
from typing import Any

import requests
from dlt.sources.helpers.requests.session import Session
from dlt.sources.helpers.rest_client import RESTClient
from requests.exceptions import ChunkedEncodingError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_any,
    retry_if_exception_type,
    retry_if_result,
    wait_exponential,
)

from monitr_pipeline.ingestion.responses import mount_parsed_once
from monitr_pipeline.locking import LONG_WAIT_SECONDS
from monitr_pipeline.providers.adapter import ProviderAdapter

log = logging.getLogger(__name__)

# 429 and 5xx are retried with backoff (Retry-After first); 4xx are not: Exact blocks an
# app/division/endpoint for an hour after 10 errors, so retrying a 401 or 404 only burns budget.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
RETRY_EXCEPTIONS = (requests.ConnectionError, requests.Timeout, ChunkedEncodingError)
REQUEST_TIMEOUT_SECONDS = 60


def pause(seconds: float) -> None:
    """Every wait between calls (Retry-After, backoff, a spent quota) goes through here."""
    time.sleep(seconds)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date (RFC 9110 10.2.3); 0 and a
    date in the past mean at once; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    parsed = parsedate_tz(value)
    if parsed is None:
        return None
    return max(mktime_tz(parsed) - time.time(), 0.0)


def _response_of(state: RetryCallState) -> requests.Response | None:
    if state.outcome is None:
        return None
    error = state.outcome.exception()
    if error is not None:
        return getattr(error, "response", None)
    result = state.outcome.result()
    return result if isinstance(result, requests.Response) else None


class ProviderRetry:
    """The one retry policy: which answers are retried, how long to wait, and saying so.

    Waits what Retry-After says when the answer carries it; else the provider's own throttle
    window where it has one (QuickBooks' 429 has no Retry-After); else exponential backoff. A
    Retry-After beyond `max_delay` (a daily quota) is not waited for: the error is raised.
    """

    def __init__(self, adapter: ProviderAdapter, label: str, *, max_attempts: int = 5,
                 backoff_factor: float = 1.0, max_delay: float = 120.0):
        self.adapter = adapter
        self.label = label
        self.max_attempts = max_attempts
        self.max_delay = max_delay
        self._backoff = wait_exponential(multiplier=backoff_factor, max=max_delay)

    def _retryable_answer(self, result: Any) -> bool:
        return (isinstance(result, requests.Response) and result.status_code in RETRY_STATUS
                and self.adapter.retryable(result))

    def _retryable_error(self, state: RetryCallState) -> bool:
        response = _response_of(state)
        return (response is not None and response.status_code in RETRY_STATUS
                and self.adapter.retryable(response))

    def wait(self, state: RetryCallState) -> float:
        # Asked by `stop` and then by tenacity for the same attempt: decided once.
        decided = getattr(state, "_monitr_wait", None)
        if decided is None or decided[0] != state.attempt_number:
            decided = state._monitr_wait = (state.attempt_number, self._decide_wait(state))
        return decided[1]

    def _decide_wait(self, state: RetryCallState) -> float:
        response = _response_of(state)
        if response is not None:
            told = retry_after_seconds(response.headers.get("Retry-After"))
            if told is not None:
                return told
            own = self.adapter.retry_wait(response)
            if own is not None:
                return own
        return self._backoff(state)

    def stop(self, state: RetryCallState) -> bool:
        return state.attempt_number >= self.max_attempts or self.wait(state) > self.max_delay

    def before_sleep(self, state: RetryCallState) -> None:
        seconds = state.next_action.sleep if state.next_action else 0.0
        if seconds <= LONG_WAIT_SECONDS:
            return
        response = _response_of(state)
        answer = (f"{response.status_code} on {response.request.path_url.split('?')[0]}"
                  if response is not None and response.request is not None
                  else type(state.outcome.exception()).__name__)
        log.info("%s: %s answered %s; waiting %.0f s before try %d of %d", self.label,
                 self.adapter.spec.name, answer, seconds, state.attempt_number + 1,
                 self.max_attempts)

    def retrying(self) -> Retrying:
        return Retrying(
            retry=retry_any(retry_if_result(self._retryable_answer),
                            retry_if_exception_type(RETRY_EXCEPTIONS), self._retryable_error),
            wait=self.wait,
            stop=self.stop,
            before_sleep=self.before_sleep,
            sleep=lambda seconds: pause(seconds),
            reraise=True,
            # Out of tries on an answer (not an error): hand the last answer back to the caller.
            retry_error_callback=lambda state: state.outcome.result(),
        )


def provider_session(adapter: ProviderAdapter, label: str | None = None, *,
                     max_attempts: int = 5, backoff_factor: float = 1.0,
                     max_retry_delay: float = 120.0) -> requests.Session:
    """A requests session with the provider retry policy and the quota pause; `label` names who
    the calls are for (an entity, an integration) in what is logged about waits."""
    label = label or adapter.spec.name
    session = mount_parsed_once(Session(timeout=REQUEST_TIMEOUT_SECONDS, raise_for_status=False))
    policy = ProviderRetry(adapter, label, max_attempts=max_attempts,
                           backoff_factor=backoff_factor, max_delay=max_retry_delay)
    session.send = policy.retrying().wraps(session.send)  # type: ignore[method-assign]
    session.hooks["response"].append(quota_pause_hook(adapter, label))
    return session


def quota_pause_hook(adapter: ProviderAdapter, label: str):
    """A response hook that honours the provider's remaining-calls headers before the next call,
    not after a 429: only a successful answer can say the budget is spent (an error answer's
    wait is the retry policy's). A request's own hooks replace the session's, so the engine adds
    it again."""

    def pause_at_quota(response: requests.Response, *_: Any, **__: Any) -> requests.Response:
        if response.status_code >= 400:
            return response
        wait = adapter.seconds_to_wait(response)
        if wait > LONG_WAIT_SECONDS:
            log.info("%s: %s quota spent for now; pausing %.0f s", label, adapter.spec.name, wait)
        if wait > 0:
            pause(wait)
        return response

    return pause_at_quota


def rest_client(adapter: ProviderAdapter, base_url: str, auth: requests.auth.AuthBase | None,
                session: requests.Session | None = None,
                headers: dict[str, str] | None = None, label: str | None = None) -> RESTClient:
    return RESTClient(
        base_url=base_url,
        headers={**adapter.default_headers, **(headers or {})},
        auth=auth,
        data_selector=adapter.spec.data_selector or "$",
        session=session or provider_session(adapter, label),
    )
