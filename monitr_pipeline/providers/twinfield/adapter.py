"""Twinfield's quirks: SOAP on the cluster its token validation names, faults for bad tokens and
offices, and browse reads in yearperiod windows (its values, text with YYYYMMDD dates, are its
spec's wire format)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from types import SimpleNamespace
from typing import Any

import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.transports.soap import SoapTransport, browse_rows, element_rows, fault_of
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint
from monitr_pipeline.providers.twinfield.spec import NAMESPACE, PROCESS_XML, SPEC

_VALIDATION = "/auth/authentication/connect/accesstokenvalidation"
_CLUSTER, _PERIODS = "twinfield_cluster", "twinfield_periods"


def _token_rejected(faultstring: str) -> bool:
    return "token" in faultstring.lower()


def _auth(client: Any) -> Any:
    """The integration's RefreshingBearerAuth: a RESTClient's own, else its session's."""
    return getattr(client, "auth", None) or client.session.auth


def _access_token(client: Any) -> str:
    return _auth(client).access_token()


def _refreshed(client: Any, rejected: str) -> str:
    # RefreshingBearerAuth refreshes on a 401; Twinfield rejects a token with a SOAP fault (HTTP
    # 500), so the refresh is asked for here, the same way (under the integration's lock, saved).
    return _auth(client).refresh_rejected(rejected)


def _cluster(client: Any, run: ImportRunContext | None) -> str:
    """The cluster serving this login (`twf.clusterUrl`), asked once a run: it may move."""
    state = run.provider_state if run is not None else {}
    if _CLUSTER not in state:
        url, token = f"{client.base_url.rstrip('/')}{_VALIDATION}", _access_token(client)
        answer = client.session.get(url, params={"token": token})
        if answer.status_code == 400:  # invalid or expired early: refresh once
            answer = client.session.get(url, params={"token": _refreshed(client, token)})
        if answer.status_code >= 400:
            raise ProviderError(f"Twinfield refused the access token ({answer.status_code}): "
                                f"{answer.text[:200]}", status=answer.status_code,
                                reason=answer.text[:200], response=answer)
        try:
            state[_CLUSTER] = answer.json()["twf.clusterUrl"]
        except (ValueError, KeyError):
            raise ProviderError("Twinfield's token validation named no twf.clusterUrl",
                                status=answer.status_code, response=answer) from None
    return state[_CLUSTER]


class TwinfieldAdapter(ProviderAdapter):
    spec = SPEC
    transport = SoapTransport(NAMESPACE, token_header="AccessToken", service_url=_cluster,
                              access_token=_access_token, refresh_token=_refreshed,
                              token_rejected=_token_rejected, provider=SPEC.name)

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return base_url  # the login host; the cluster is found per run

    # --- errors ---------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        fault = fault_of(response.content)
        return fault[1] if fault else response.text[:300]

    def retryable(self, response: requests.Response) -> bool:
        # A fault about the token, the office or the request (soap:Client) says the same however
        # often it is asked: it is read at once (a token fault is refreshed by the transport).
        fault = fault_of(response.content) if response.status_code == 500 else None
        return not (fault and ("Toegang geweigerd" in fault[1] or "Client" in fault[0]))

    def administration_gone(self, error: ProviderError) -> bool:
        return "geen toegang tot company" in (error.reason or "").lower()

    # --- discovery ------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        client = SimpleNamespace(session=session, base_url=base_url)
        answer = self.transport.call(client, None, PROCESS_XML, "ProcessXmlString",
                                     {"xmlRequest": "<list><type>offices</type></list>"}, {}, {},
                                     "the list of offices")
        offices = self.transport.string_result(answer, "ProcessXmlString", "the list of offices")
        return [Administration(row["code"], row.get("name") or row["code"])
                for row in element_rows(offices)]

    # --- browse reads ---------------------------------------------------------------------------
    def browse_windows(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                       run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        """Browse `endpoint.params['browse']` a window at a time: a closed year in one read, an
        open year period by period. An incremental read after the first reads the open periods
        only (new lines and reversals land there; closed ones cannot change)."""
        code, office = endpoint.params["browse"], run.entity.external_id
        headers = {name: value.format(external_id=office) for name, value in endpoint.headers.items()}
        incremental = cursor_value is not None
        for low, high in self._windows(client, run, hooks, open_only=incremental):
            what = f"browse {code} {low}-{high}"
            answer = self.transport.call(client, run, PROCESS_XML, "ProcessXmlString",
                                         {"xmlRequest": _browse_request(code, endpoint, low, high)},
                                         headers, hooks, what)
            document = self.transport.string_result(answer, "ProcessXmlString", what)
            if document.tag != "browse":
                raise ValueError(f"the result of {what} is <{document.tag}>, not a browse")
            yield [_short(row) for row in browse_rows(document)]

    def _windows(self, client: Any, run: ImportRunContext, hooks: dict[str, Any], *,
                 open_only: bool) -> list[tuple[str, str]]:
        periods = run.provider_state.get(_PERIODS)
        if periods is None:
            periods_endpoint = self.spec.endpoint("periods")
            request = endpoint_request(self.spec, periods_endpoint, run.entity.external_id)
            periods = [row for page in self.transport.pages(client, request, hooks, run)
                       for row in page]
            run.provider_state[_PERIODS] = periods
        years: dict[str, list[tuple[str, bool]]] = {}
        for row in periods:
            year = row["Jaar/periode"][:4]
            years.setdefault(year, []).append((row["Jaar/periode"], row.get("Status") != "closed"))
        windows = []
        for year, rows in sorted(years.items()):
            if any(is_open for _, is_open in rows):
                windows += [(p, p) for p, is_open in sorted(rows) if is_open]
            elif not open_only:
                windows.append((f"{year}/00", f"{year}/99"))
        return windows


_COLUMNS = ("fin.trs.head.office", "fin.trs.head.yearperiod", "fin.trs.head.year",
            "fin.trs.head.period", "fin.trs.head.code", "fin.trs.head.number",
            "fin.trs.head.status", "fin.trs.head.date", "fin.trs.head.curcode",
            "fin.trs.head.relation", "fin.trs.head.relationname", "fin.trs.head.inpdate",
            "fin.trs.head.modified", "fin.trs.line.line")


def _browse_request(code: str, endpoint: Endpoint, low: str, high: str) -> str:
    """<columns code=...>: the yearperiod window as a between filter, the endpoint's fields."""
    root = ET.Element("columns", code=code)
    wanted = {field.rsplit(".", 1)[-1]: field for field in _COLUMNS}
    for name in endpoint.columns:
        if name != "id":
            wanted.setdefault(name, f"fin.trs.{'head' if name in _HEAD_ONLY else 'line'}.{name}")
    for name, field in wanted.items():
        if name not in endpoint.columns:
            continue
        column = ET.SubElement(root, "column")
        ET.SubElement(column, "field").text = field
        if name == "yearperiod":
            ET.SubElement(column, "operator").text = "between"
            ET.SubElement(column, "from").text = low
            ET.SubElement(column, "to").text = high
    return ET.tostring(root, encoding="unicode")


_HEAD_ONLY = {"office", "officename", "year", "period", "yearperiod", "code", "number", "status",
              "date", "curcode", "relation", "relationname", "inpdate", "modified", "username",
              "origin"}


def _short(row: Mapping[str, str]) -> dict[str, str]:
    short = {field.rsplit(".", 1)[-1]: value.strip() for field, value in row.items()
             if not field.startswith("key.")}
    office, code = row.get("key.office", short.get("office", "")), row.get("key.code", "")
    short["id"] = f"{office}/{code}/{row.get('key.number', '')}/{row.get('key.line', '')}"
    short.setdefault("line", row.get("key.line", ""))
    return short
