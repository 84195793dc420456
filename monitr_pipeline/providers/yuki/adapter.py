"""Yuki's quirks: a session from the access key, faults for stale sessions, administrations out
of reach and a spent call budget; the administration asked once per import; GL transactions and
periods read in fiscal-year windows (its values are its spec's wire format)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import dlt
import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.transports.soap import fault_of
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint
from monitr_pipeline.providers.yuki import spec as settings
from monitr_pipeline.providers.yuki.planning import plan_years
from monitr_pipeline.providers.yuki.session import AccessKeyAuth
from monitr_pipeline.providers.yuki.spec import SPEC
from monitr_pipeline.providers.yuki.transport import YukiSoap

CURRENCY = "EUR"  # Yuki books in euro (NL and BE)
# The administrations' calendar: Amsterdam (Brussels keeps the same time).
_ZONE = ZoneInfo("Europe/Amsterdam")
_ADMINISTRATIONS = "yuki.administrations"
_CALLS_PER_WINDOW = "yuki.calls_per_window"  # in the endpoint's dlt state: window -> calls
_NO_ACCESS = "access to administration"


class YukiAdapter(ProviderAdapter):
    spec = SPEC
    credential_fields = ("access_key",)
    calls_per_import = settings.CALLS_PER_IMPORT
    new_years_per_import = settings.NEW_YEARS_PER_IMPORT
    default_headers: Mapping[str, str] = {}

    def __init__(self) -> None:
        self.transport = YukiSoap(lambda: self.calls_per_import)

    def today(self) -> date:
        return datetime.now(_ZONE).date()

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return base_url  # the administration is a parameter of every call

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> AccessKeyAuth:
        return AccessKeyAuth(str(credentials.get("access_key") or ""), base_url)

    # --- errors ---------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        fault = fault_of(response.content)
        return fault[1] if fault else response.text[:300]

    def retryable(self, response: requests.Response) -> bool:
        # A SOAP fault is Yuki's answer (a stale session, which the transport renews; a key, an
        # administration or a budget refused; a bad request), and asking again would spend the
        # domain's daily budget on the same answer: only answers without one (a gateway's 502,
        # 503 or 504, a 429) are asked again.
        return fault_of(response.content) is None

    def administration_gone(self, error: ProviderError) -> bool:
        return _NO_ACCESS in (error.reason or "").lower()

    # --- discovery and the administration ------------------------------------------------------
    def _administrations(self, client: Any, run: ImportRunContext | None,
                         hooks: Mapping[str, Any]) -> list[dict[str, str]]:
        cached = run.provider_state.get(_ADMINISTRATIONS) if run is not None else None
        if cached is None:
            request = endpoint_request(self.spec, self.spec.endpoint("administrations"), "")
            cached = self.transport.rows(client, run, request, hooks, what="Administrations")
            if run is not None:
                run.provider_state[_ADMINISTRATIONS] = cached
        return cached

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        client = SimpleNamespace(session=session, base_url=base_url, auth=session.auth)
        return [Administration(row["ID"], row.get("Name") or row["ID"],
                               (row.get("Country") or None), CURRENCY)
                for row in self._administrations(client, None, {})]

    def administration(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                       run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        """The administration's own row of the domain's list (asked once per import)."""
        yield [self._own(client, run, hooks)]

    def _own(self, client: Any, run: ImportRunContext, hooks: Mapping[str, Any]) -> dict:
        external_id = run.entity.external_id
        for row in self._administrations(client, run, hooks):
            if row.get("ID") == external_id:
                return row
        reason = f"no {_NO_ACCESS} {external_id} (not among the domain's administrations)"
        raise ProviderError(f"{run.entity}: {self.spec.name} lists {reason}", status=None,
                            reason=reason)

    def _years(self, client: Any, run: ImportRunContext, hooks: Mapping[str, Any]
               ) -> list[int]:
        """The administration's fiscal years (calendar years) from its start to this year."""
        started = (self._own(client, run, hooks).get("StartDate") or "")[:4]
        this_year = self.today().year
        first = int(started) if started.isdigit() else this_year - 1
        return list(range(min(first, this_year), this_year + 1))

    # --- GL transactions and periods: fiscal-year windows -----------------------------------------
    def fiscal_years(self, client: Any, endpoint: Endpoint, read_before: Sequence[str],
                     run: ImportRunContext, hooks: dict[str, Any]) -> list[str]:
        """The open years every import, and closed years not read before as far as this
        import's share of the daily budget goes (planning.py)."""
        years = self._years(client, run, hooks)
        budget = self.transport.budget(run)
        calls_left = budget.limit - budget.spent - settings.CALLS_BESIDES_WINDOWS
        return plan_years(years, self.today().year, read_before,
                          dlt.current.resource_state().get(_CALLS_PER_WINDOW, {}), calls_left,
                          self.new_years_per_import)

    def transactions_of_year(self, client: Any, endpoint: Endpoint, window: str,
                             run: ImportRunContext, hooks: dict[str, Any]
                             ) -> Iterator[list[dict]]:
        request = endpoint_request(self.spec, endpoint, run.entity.external_id, param_overrides={
            "StartDate": f"{window}-01-01", "EndDate": f"{window}-12-31"})
        yield from _counted(window, self.transport.pages(client, request, hooks, run))

    def periods_of_year(self, client: Any, endpoint: Endpoint, window: str,
                        run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        request = endpoint_request(self.spec, endpoint, run.entity.external_id,
                                   param_overrides={"yearID": window})
        rows = self.transport.rows(client, run, request, hooks, what=f"GetPeriodDateTable {window}")
        yield from _counted(window, iter([[{**row, "id": _period_id(row)} for row in rows]]))


def _counted(window: str, pages: Iterator[list[dict]]) -> Iterator[list[dict]]:
    """The window's pages; once all are read, how many calls they took is kept in the endpoint's
    state (committed with the load) for the next import's plan."""
    calls = 0
    for page in pages:
        calls += 1
        yield page
    dlt.current.resource_state().setdefault(_CALLS_PER_WINDOW, {})[window] = calls


def _period_id(row: Mapping[str, str]) -> str:
    """<year>-<period>, or '' (a missing key the engine names) when either is not a number."""
    year, period = str(row.get("Year", "")), str(row.get("PeriodNumber", ""))
    return f"{year}-{int(period):02d}" if year.isdigit() and period.isdigit() else ""
