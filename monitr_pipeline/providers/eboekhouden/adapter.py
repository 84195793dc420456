"""e-Boekhouden quirks: session auth, error bodies, and mutation rows read only when
new or possibly changed (mutation_reads.py); its pages and outstanding items are declared in
spec.py."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import dlt
import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.eboekhouden.errors import error_reason
from monitr_pipeline.providers.eboekhouden.mutation_reads import MutationReads
from monitr_pipeline.providers.eboekhouden.session import SessionAuth
from monitr_pipeline.providers.eboekhouden.spec import PAGE_SIZE, SPEC
from monitr_pipeline.providers.spec import Endpoint

# e-Boekhouden books in euro only; the API names no currency anywhere.
CURRENCY = "EUR"
# Its administrations are Dutch: "today" (the recent window, the weekly full pass) is Dutch too.
_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# run.provider_state key of one import's mutation reads, from mutation_versions to mutation_rows.
_READS = "eboekhouden.mutation_reads"


class EBoekhoudenAdapter(ProviderAdapter):
    spec = SPEC

    def today(self) -> date:
        return datetime.now(_TIMEZONE).date()

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # The API token picks the administration; there is nothing to put in the URL.
        return f"{base_url}/"

    # mutation_rows (VERSIONED), declared readers: the versions, then the rows they asked for ------
    def mutation_versions(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                          run: ImportRunContext, hooks: dict[str, Any]
                          ) -> Iterator[list[dict[str, str]]]:
        """Mutation rows' versions: the list, then the details of new and possibly changed
        mutations. What this run read is kept in the run for mutation_rows."""
        request = endpoint_request(self.spec, endpoint, run.entity.external_id)
        reads = MutationReads(client, request, hooks, dlt.current.resource_state(), self.today())
        run.provider_state[f"{_READS}.{endpoint.table}"] = reads
        yield reads.versions()

    def mutation_rows(self, client: RESTClient, endpoint: Endpoint, keys: Sequence[Any],
                      run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The rows of these keys, from the details just read (no call for those)."""
        reads = run.provider_state.get(f"{_READS}.{endpoint.table}")
        if reads is None:
            raise RuntimeError(f"{endpoint.table}: rows asked for before the versions were read")
        yield reads.rows(keys)

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> SessionAuth:
        return SessionAuth(credentials.get("api_token", ""), base_url)

    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The administration of the API token (GET /v1/administration)."""
        found: list[Administration] = []
        offset = 0
        while True:
            response = session.get(f"{base_url}/v1/administration",
                                   params={"limit": PAGE_SIZE, "offset": offset},
                                   headers=dict(self.default_headers), timeout=30)
            if response.status_code >= 400:
                reason = error_reason(response)
                raise ProviderError(f"{SPEC.name} answered {response.status_code} on "
                                    f"/v1/administration: {reason}",
                                    status=response.status_code, reason=reason)
            items = response.json().get("items") or []
            found += [Administration(str(a["guid"]), a.get("company") or str(a["guid"]),
                                     None, CURRENCY) for a in items]
            if len(items) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
        if isinstance(session.auth, SessionAuth):
            session.auth.close()
        return found

    def check_api_token(self, base_url: str, api_token: str) -> None:
        """Open and end a session: raises ApiTokenRejected, in e-Boekhouden's words, for a bad token."""
        auth = SessionAuth(api_token, self.base_url(None, base_url))
        auth.session_token()
        auth.close()
