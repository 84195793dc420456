"""Yuki's SOAP: the engine's SOAP transport with the session id as the operation's first
parameter (its name per service), every call counted against the daily budget, and results read
as records wherever they are: inline XML or an XML document inside the result string, one record
or many (a lone record is a list of one)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.transports.soap import SoapTransport, child, local, parse_xml
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.yuki.budget import CallBudget, budget_fault
from monitr_pipeline.providers.yuki.spec import NAMESPACE, SESSION_PARAMETER, SPEC

_BUDGET = "yuki.budget"


def auth_of(client: Any) -> Any:
    """The integration's AccessKeyAuth: a RESTClient's own, else its session's."""
    return getattr(client, "auth", None) or client.session.auth


def stale_session(faultstring: str) -> bool:
    text = faultstring.lower()
    return "session" in text and ("invalid" in text or "expired" in text)


def result_document(answer: ET.Element, operation: str, what: str) -> ET.Element:
    """<OperationResult>: itself when it holds elements, else the XML document its text is."""
    result = child(answer, f"{operation}Result")
    if result is None:
        raise ValueError(f"the answer to {what} has no {operation}Result")
    if len(result) or not (result.text or "").strip().startswith("<"):
        return result
    return parse_xml(result.text.strip(), f"the result of {what}")


def records(document: ET.Element, element: str | None) -> list[dict[str, str]]:
    """Every <element> below the document: its attributes and its childless children's text."""
    if not element:
        raise ValueError("no record element named (the endpoint's data_selector)")
    return [{**item.attrib, **{local(field.tag): (field.text or "").strip()
                               for field in item if len(field) == 0}}
            for item in document.iter() if local(item.tag) == element]


class YukiSoap(SoapTransport):
    def __init__(self, calls_per_import: Callable[[], int]):
        super().__init__(
            NAMESPACE, token_parameter=lambda path: SESSION_PARAMETER.get(path, "sessionID"),
            service_url=lambda client, run: client.base_url,
            access_token=lambda client: auth_of(client).session_id(client.session),
            refresh_token=self._renew,
            token_rejected=stale_session, provider=SPEC.name)
        self.calls_per_import = calls_per_import  # () -> the share of one import

    @staticmethod
    def _renew(client: Any, rejected: str) -> str:
        """A new session for a stale one; the call is then asked again, which counts too."""
        auth = auth_of(client)
        session_id = auth.renew(client.session, rejected)
        if auth.on_call is not None:
            auth.on_call("the call asked again with a new session")
        return session_id

    def budget(self, run: ImportRunContext | None) -> CallBudget | None:
        if run is None:
            return None
        if _BUDGET not in run.provider_state:
            run.provider_state[_BUDGET] = CallBudget(self.calls_per_import(), str(run.entity))
        return run.provider_state[_BUDGET]

    def call(self, client: Any, run: ImportRunContext | None, path: str, operation: str,
             params: Mapping[str, Any], headers: Mapping[str, Any], hooks: Mapping[str, Any],
             what: str) -> ET.Element:
        budget = self.budget(run)
        auth = auth_of(client)
        if budget is not None:
            budget.spend(what)
            auth.on_call = budget.spend  # an Authenticate (first, or after a stale session)
        try:
            return super().call(client, run, path, operation, params, headers, hooks, what)
        except ProviderError as error:
            if budget is not None and budget_fault(error.reason):
                raise budget.domain_spent(what, error.reason or "") from None
            raise
        finally:
            auth.on_call = None

    def rows(self, client: Any, run: ImportRunContext | None, request: EndpointRequest,
             hooks: Mapping[str, Any], params: Mapping[str, Any] | None = None,
             what: str | None = None) -> list[dict[str, str]]:
        """One call's records (the request's data_selector names their element)."""
        what = what or f"{request.path} {request.method}"
        answer = self.call(client, run, request.path, request.method,
                           {**request.params, **(params or {})}, request.headers, hooks, what)
        return records(result_document(answer, request.method, what), request.data_selector)

    def pages(self, client: Any, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        """A declared call; one that pages with startRecord/numberOfRecords is followed until
        a page comes back short."""
        params = dict(request.params)
        paged = "startRecord" in params and "numberOfRecords" in params
        while True:
            window = (f" {params['StartDate']} to {params['EndDate']}"
                      if params.get("StartDate") and params.get("EndDate") else "")
            what = f"{request.path} {request.method}{window}" + (
                f" from record {params['startRecord']}" if paged else "")
            rows = self.rows(client, run, request, hooks, params, what)
            yield rows
            if not paged or len(rows) < int(params["numberOfRecords"]):
                return
            params["startRecord"] = int(params["startRecord"]) + int(params["numberOfRecords"])
