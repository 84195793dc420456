"""QuickBooks Online quirks: the ledger report and change data capture (read by the methods the
spec names as readers), Faults, one company per consent. The query language is
declared (spec.py, query.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.values import field_values
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.quickbooks import cdc, general_ledger
from monitr_pipeline.providers.quickbooks.ledger_months import LedgerMonths
from monitr_pipeline.providers.quickbooks.query import updated_at
from monitr_pipeline.providers.quickbooks.spec import SPEC
from monitr_pipeline.providers.quickbooks.wire import (
    describe_fault,
    fault_of,
    json_answer,
    xml_fault_of,
)
from monitr_pipeline.providers.spec import Endpoint

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

    # Readers (spec.py `reader`): what no declaration can say --------------------------------------
    def ledger_months(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                      run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The ledger's month rows; the cursor is the moment up to which the last import saw
        every change (None: a full pass)."""
        def get(path: str, query: dict[str, Any], context: str) -> dict[str, Any]:
            return self._get(client, path, query, hooks, context)

        yield from LedgerMonths(get, self.now()).pages(cursor_value)

    def changes(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """CDC responses flattened to one row per object. A full response (1000 objects) may have
        left changes out, so the next call starts from its latest change."""
        since = self.changed_since(cursor_value)
        while True:
            query = {**endpoint.params, "changedSince": cdc.since_param(since)}
            body = self._get(client, endpoint.path, query, hooks, context=f"cdc since {since}")
            rows = cdc.change_rows(body)
            yield rows
            latest = max((updated_at(row) for row in rows), default=since)
            if len(rows) < cdc.MAX_OBJECTS or latest <= since:
                return
            since = latest

    def changed_since(self, cursor_value: datetime) -> datetime:
        return cdc.changed_since(cursor_value, self.now())

    def _get(self, client: RESTClient, path: str, params: dict[str, Any],
             hooks: dict[str, Any], context: str) -> dict[str, Any]:
        response = client.get(path, params={**params, **self.spec.params}, hooks=hooks)
        return json_answer(response, context, self.error_reason)

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
            response = session.get(f"{company_url}{resource}", params=dict(self.spec.params),
                                   headers=dict(self.default_headers), timeout=30)
            return json_answer(response, resource, self.error_reason)[entity]

        company = read(f"companyinfo/{realm}", "CompanyInfo")
        preferences = read("preferences", "Preferences")
        currency = field_values([preferences], "CurrencyPrefs.HomeCurrency.value")[0]
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
