"""Xero quirks: the tenant header, per-endpoint envelopes and paging, nested records, quotas, errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import (
    BasePaginator,
    PageNumberPaginator,
    SinglePagePaginator,
)

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint
from monitr_pipeline.providers.xero import wire
from monitr_pipeline.providers.xero.spec import SPEC

TENANT_HEADER = "Xero-Tenant-Id"
# request_params can only return query parameters; `pages` moves this one into the
# If-Modified-Since header Xero wants it in.
_MODIFIED_SINCE_PARAM = "__if_modified_since"
# Xero publishes no reset time for its minute window: a full minute is always enough.
_MINUTE_WINDOW_SECONDS = 60.0


class JournalOffsetPaginator(BasePaginator):
    """/Journals?offset=N returns up to 100 journals numbered above N; a short page is the last."""

    def __init__(self, page_size: int):
        super().__init__()
        self.offset, self.page_size = 0, page_size

    def init_request(self, request: requests.Request) -> None:
        self.offset = int(request.params.get("offset") or 0)

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        journals = data or []
        if len(journals) < self.page_size:
            self._has_next_page = False
            return
        numbers = [journal.get("JournalNumber") if isinstance(journal, Mapping) else None
                   for journal in journals]
        if not all(isinstance(number, int) for number in numbers):
            raise ValueError("a journal without an integer JournalNumber")
        self.offset = max(numbers)

    def update_request(self, request: requests.Request) -> None:
        request.params["offset"] = self.offset


@dataclass(frozen=True)
class _Envelope:
    """Where an endpoint's records sit in its response, how it pages, and how records become rows."""

    key: str
    rows: Callable[[list[Any]], list[dict[str, Any]]] = list
    paged: bool = False


_ENVELOPES = {
    "journal_lines": _Envelope("Journals", wire.journal_lines),
    "accounts": _Envelope("Accounts"),
    "tracking_options": _Envelope("TrackingCategories", wire.tracking_options),
    "invoices": _Envelope("Invoices", wire.invoices, paged=True),
    "organisation": _Envelope("Organisations"),
    "fixed_assets": _Envelope("items", wire.assets, paged=True),
}


def if_modified_since(value: datetime) -> str:
    """The header value: ISO 8601 in UTC with milliseconds, as in Xero's OpenAPI example."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


class XeroAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # Endpoint paths carry their API root (api.xro/2.0 or assets.xro/1.0); the tenant travels
        # in a header.
        return f"{base_url}/"

    def tenant_headers(self, external_id: str) -> dict[str, str]:
        return {TENANT_HEADER: external_id}

    def paginator(self, endpoint: Endpoint) -> BasePaginator:
        if endpoint.table == "journal_lines":
            return JournalOffsetPaginator(endpoint.page_size)
        if _ENVELOPES[endpoint.table].paged:
            return PageNumberPaginator(base_page=1, page_param="page",
                                       total_path="pagination.pageCount")
        return SinglePagePaginator()

    def initial_cursor(self, endpoint: Endpoint) -> Any:
        # Journal numbers start at 1; invoices have no cursor until the first import found some.
        return 0 if endpoint.table == "journal_lines" else None

    def request_params(self, endpoint: Endpoint, cursor_value: Any | None) -> dict[str, Any]:
        params: dict[str, Any] = dict(endpoint.params)
        if endpoint.table == "journal_lines":
            params["offset"] = int(cursor_value or 0)
        if _ENVELOPES[endpoint.table].paged:
            params.update(page=1, pageSize=endpoint.page_size)
        if endpoint.table == "invoices":
            if cursor_value is None:
                params["Statuses"] = "AUTHORISED"  # the first import: what is outstanding now
            else:  # later ones: whatever changed since, in any status (paid, voided, deleted)
                params[_MODIFIED_SINCE_PARAM] = if_modified_since(cursor_value)
        return params

    def pages(self, client: RESTClient, endpoint: Endpoint, params: dict[str, Any],
              hooks: dict[str, Any]) -> Iterator[list[Any]]:
        params = dict(params)
        modified_since = params.pop(_MODIFIED_SINCE_PARAM, None)
        headers = {"If-Modified-Since": modified_since} if modified_since else None
        envelope = _ENVELOPES[endpoint.table]
        for page in client.paginate(endpoint.path, params=params, headers=headers,
                                    paginator=self.paginator(endpoint),
                                    data_selector=envelope.key, hooks=hooks):
            # An empty page must still be the promised envelope, or a broken body would read as
            # "nothing changed".
            if not page and envelope.key not in _json_object(page.response):
                raise ValueError(f"the response has no {envelope.key!r}")
            yield envelope.rows(list(page))

    def parse_row(self, endpoint: Endpoint, row: Mapping[str, Any]) -> dict[str, Any]:
        return {name: wire.typed(name, row.get(name), data_type)
                for name, data_type in endpoint.columns.items()}

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


def _json_object(response: requests.Response) -> Mapping[str, Any]:
    body = response.json()
    if not isinstance(body, Mapping):
        raise ValueError("the response is not a JSON object")
    return body


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
