"""QuickBooks Online quirks: the query language, change data capture, the ledger report, Faults, one
company per consent."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.quickbooks import cdc, general_ledger
from monitr_pipeline.providers.quickbooks.ledger_months import LedgerMonths
from monitr_pipeline.providers.quickbooks.query import query_pages, updated_at
from monitr_pipeline.providers.quickbooks.spec import SPEC
from monitr_pipeline.providers.quickbooks.wire import (
    describe_fault,
    fault_of,
    field_value,
    typed_value,
    xml_fault_of,
)
from monitr_pipeline.providers.spec import Endpoint, LoadMode

# Intuit ignores minor versions below 75 since 2025 (python-quickbooks defaults to >= 75 since).
MINOR_VERSION = "75"
# On a first import, changes since a little before it began: deletions during the full read count.
CDC_FIRST_MARGIN = timedelta(hours=1)
REALM_CREDENTIAL = "realm_id"
_QUERY_TARGET = re.compile(r"FROM\s+(\w+).*?STARTPOSITION\s+(\d+)", re.IGNORECASE | re.DOTALL)


class QuickBooksAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # One consent is one company: the realmId (the entity's external id) is in every path.
        return f"{base_url}/v3/company/{external_id}/"

    def callback_credentials(self, callback_url: str) -> dict[str, Any]:
        realm = parse_qs(urlsplit(callback_url).query).get("realmId")
        if not realm:
            raise ValueError("the QuickBooks consent redirect carries no realmId")
        return {REALM_CREDENTIAL: realm[0]}

    def now(self) -> datetime:
        return datetime.now(UTC)

    def initial_cursor(self, endpoint: Endpoint) -> Any:
        # Query endpoints and the ledger read everything the first time. The CDC feed only has to
        # see changes from the first import on (it could not page through a company's history).
        if endpoint.mode is LoadMode.DELETIONS:
            return self.now() - CDC_FIRST_MARGIN
        return None

    def request_params(self, endpoint: Endpoint, cursor_value: Any | None) -> dict[str, Any]:
        params: dict[str, Any] = dict(endpoint.params)
        if endpoint.mode is LoadMode.DELETIONS:
            # A feed idle for 30 days keeps an old cursor: nothing older is kept by Intuit anyway.
            params["changedSince"] = max(cursor_value, self.now() - cdc.LOOKBACK)
        elif cursor_value is not None:
            params["since"] = cursor_value
        return params

    def pages(self, client: RESTClient, endpoint: Endpoint, params: dict[str, Any],
              hooks: dict[str, Any]) -> Iterator[list[Any]]:
        if endpoint.mode is LoadMode.DELETIONS:
            yield from self._changes(client, endpoint, params, hooks)
            return
        if endpoint.path == general_ledger.PATH:
            def get(path: str, query: dict[str, Any], context: str) -> dict[str, Any]:
                return self._get(client, path, query, hooks, context)

            # The cursor is the moment up to which the last import saw every change.
            yield from LedgerMonths(get, self.now()).pages(params.get("since"))
            return
        entity = params["entity"]

        def fetch(query: str) -> list[Any]:
            body = self._get(client, endpoint.path, {"query": query}, hooks, context=query)
            found = body.get("QueryResponse")
            rows = found.get(entity, []) if isinstance(found, Mapping) else None
            if not isinstance(rows, list):
                raise ValueError(f"{query}: no QueryResponse list of {entity}")
            return rows

        yield from query_pages(fetch, entity, params.get("where", ""), params.get("since"),
                               endpoint.page_size)

    def _changes(self, client: RESTClient, endpoint: Endpoint, params: dict[str, Any],
                 hooks: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """CDC responses flattened to one row per object. A full response (1000 objects) may have
        left changes out, so the next call starts from its latest change."""
        since: datetime = params["changedSince"]
        while True:
            query = {"entities": params["entities"], "changedSince": cdc.since_param(since)}
            body = self._get(client, endpoint.path, query, hooks, context=f"cdc since {since}")
            rows = cdc.change_rows(body)
            yield rows
            latest = max((updated_at(row) for row in rows), default=since)
            if len(rows) < cdc.MAX_OBJECTS or latest <= since:
                return
            since = latest

    def _get(self, client: RESTClient, path: str, params: dict[str, Any],
             hooks: dict[str, Any], context: str) -> dict[str, Any]:
        response = client.get(path, params={**params, "minorversion": MINOR_VERSION}, hooks=hooks)
        return _json_answer(self, response, context)

    def parse_row(self, endpoint: Endpoint, row: Mapping[str, Any]) -> dict[str, Any]:
        return {name: typed_value(name, field_value(row, name), data_type)
                for name, data_type in endpoint.columns.items()}

    # A 429 (ThrottleExceeded: 500 requests a minute per realm, 10 at once) carries no Retry-After,
    # so the shared backoff (1, 2, 4, 8 s) would spend every retry inside the same minute. Waiting
    # the window out once lets the retry succeed.
    throttle_wait_seconds = 60.0

    def retry_wait(self, response: requests.Response) -> float | None:
        return self.throttle_wait_seconds if response.status_code == 429 else None

    def administration_gone(self, error: ProviderError) -> bool:
        # 3100 ApplicationAuthorizationFailed: the token is fine but not for this company (deleted,
        # subscription ended, or the consenting user lost access). Expired tokens answer 401 3200.
        return error.status == 403 and "ApplicationAuthorizationFailed" in (error.reason or "")

    def error_reason(self, response: requests.Response) -> str:
        try:
            errors = fault_of(response.json())
        except ValueError:
            errors = xml_fault_of(response.text)
        reason = describe_fault(errors) if errors else (response.text[:300] or response.reason)
        reading = _what_was_read(response.request.url) if response.request is not None else None
        return f"{reason} (reading {reading})" if reading else reason

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """There is no list of companies: a consent is given for one, whose realmId the redirect
        carried (kept with the credentials); this reads that company's name, country, currency."""
        realm = session.auth.store.load().get(REALM_CREDENTIAL)
        if not realm:
            raise ValueError("the QuickBooks credentials hold no realm_id; reconnect the integration")
        company_url = self.tenant_base_url(base_url, realm)

        def read(resource: str, entity: str) -> dict[str, Any]:
            response = session.get(f"{company_url}{resource}", params={"minorversion": MINOR_VERSION},
                                   headers=dict(self.default_headers), timeout=30)
            return _json_answer(self, response, resource)[entity]

        company = read(f"companyinfo/{realm}", "CompanyInfo")
        preferences = read("preferences", "Preferences")
        currency = field_value(preferences, "CurrencyPrefs.HomeCurrency.value")
        return [Administration(realm, company["CompanyName"], company.get("Country"), currency)]


def _what_was_read(url: str) -> str | None:
    """The entity and position of a query, or the report and window, a failed request asked for."""
    parts = urlsplit(url)
    args = parse_qs(parts.query)
    target = _QUERY_TARGET.search(args.get("query", [""])[0])
    if target:
        return f"{target[1]} from position {target[2]}"
    if parts.path.endswith(general_ledger.PATH) and "start_date" in args and "end_date" in args:
        return f"{general_ledger.REPORT} {args['start_date'][0]}..{args['end_date'][0]}"
    return None


def _json_answer(adapter: QuickBooksAdapter, response: requests.Response, context: str
                 ) -> dict[str, Any]:
    """The JSON object an answer carries. An error status, or a Fault even with HTTP 200 (QBO
    sends some that way), raises ProviderError; a body that is no JSON object, ValueError."""
    try:
        body = response.json()
    except ValueError as exc:
        if response.status_code < 400:
            raise ValueError(f"{context}: {exc}") from None
        body = None
    errors = fault_of(body)
    if errors or response.status_code >= 400:
        reason = describe_fault(errors) if errors else adapter.error_reason(response)
        raise ProviderError(f"{adapter.spec.name} answered {response.status_code} on {context}: "
                            f"{reason}", status=response.status_code, reason=reason,
                            response=response)
    if not isinstance(body, dict):
        raise ValueError(f"{context}: the body is not a JSON object")
    return body
