"""SOAP 1.1 (ASMX-style services): an envelope per call, the access token in a SOAP header (or,
where the provider wants it, in the operation's own parameters), the administration in SOAP
headers or parameters, faults and failures inside a 200 raised as ProviderError, XML read into rows.

An endpoint declares a SOAP call as: `path` the service (/webservices/finder.asmx), `method` the
operation (Search), `params` the operation's arguments (a dict value becomes ArrayOfString
name/value pairs), `headers` the SOAP header entries ({"CompanyCode": "{external_id}"}). Where the
service lives and which token to send are the provider's (`service_url`, `access_token`).
Operations that page with firstRow/maxRows and answer TotalRows are followed to the end.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape

import requests

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import ProviderError

ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first child with this local name, whatever its namespace."""
    if element is None:
        return None
    return next((item for item in element if local(item.tag) == name), None)


def parse_xml(text: str | bytes, what: str) -> ET.Element:
    """ValueError (the engine's 'malformed page') for anything that is not well-formed XML.
    The standard library's parser does not fetch external entities."""
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"{what} is not well-formed XML ({exc})") from None


def fault_of(text: str | bytes) -> tuple[str, str] | None:
    """(faultcode, faultstring) when the body is a SOAP fault."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    fault = child(child(root, "Body"), "Fault")
    if fault is None:
        return None
    return ((child(fault, "faultcode").text or "") if child(fault, "faultcode") is not None else "",
            (child(fault, "faultstring").text or "").strip()
            if child(fault, "faultstring") is not None else "")


def failed_messages(document: ET.Element) -> list[str]:
    """A result document that says it failed: result="0" on the root, with the msg of every
    element marked msgtype="error" (empty when it succeeded)."""
    if document.get("result") != "0":
        return []
    messages = [item.get("msg", "") for item in document.iter() if item.get("msgtype") == "error"]
    return messages or ["the request failed (result=\"0\") without a message"]


def _value(name: str, value: Any) -> str:
    if isinstance(value, Mapping):
        pairs = "".join(f"<ArrayOfString><string>{escape(str(k))}</string><string>"
                        f"{escape(str(v))}</string></ArrayOfString>" for k, v in value.items())
        return f"<{name}>{pairs}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


def envelope(namespace: str, operation: str, params: Mapping[str, Any],
             headers: Mapping[str, Any]) -> str:
    """The request envelope; no soap:Header at all when there are no header entries."""
    header = "".join(_value(name, value) for name, value in headers.items() if value is not None)
    body = "".join(_value(name, value) for name, value in params.items() if value is not None)
    header_part = (f'<soap:Header><Header xmlns="{namespace}">{header}</Header></soap:Header>'
                   if header else "")
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENVELOPE_NS}">'
            f'{header_part}'
            f'<soap:Body><{operation} xmlns="{namespace}">{body}</{operation}></soap:Body>'
            "</soap:Envelope>")


class SoapTransport:
    def __init__(self, namespace: str, *, token_header: str | None = None,
                 token_parameter: Callable[[str], str] | None = None,
                 service_url: Callable[[Any, ImportRunContext | None], str],
                 access_token: Callable[[Any], str],
                 refresh_token: Callable[[Any, str], str],
                 token_rejected: Callable[[str], bool],
                 provider: str):
        if (token_header is None) == (token_parameter is None):
            raise ValueError("the token travels in a SOAP header or in a parameter: name one")
        self.namespace = namespace
        self.token_header = token_header  # the SOAP header entry the token travels in, or
        # path (the service) -> the operation's first parameter it travels in instead (a session
        # id some services spell sessionID and others sessionId)
        self.token_parameter = token_parameter
        self.service_url = service_url  # (client, run) -> the host serving this login's services
        self.access_token = access_token  # client -> the current access token
        self.refresh_token = refresh_token  # (client, rejected token) -> a new access token
        self.token_rejected = token_rejected  # faultstring -> whether it rejects the token
        self.provider = provider

    # --- one call ---------------------------------------------------------------------------
    def call(self, client: Any, run: ImportRunContext | None, path: str, operation: str,
             params: Mapping[str, Any], headers: Mapping[str, Any], hooks: Mapping[str, Any],
             what: str) -> ET.Element:
        """The operation's response element (<OperationResponse>); a fault raises ProviderError,
        a body that is no SOAP envelope raises ValueError."""
        session: requests.Session = client.session
        url = f"{self.service_url(client, run).rstrip('/')}{path}"
        token = self.access_token(client)
        for attempt in (1, 2):
            if self.token_parameter is not None:
                body = envelope(self.namespace, operation,
                                {self.token_parameter(path): token, **params}, headers)
            else:
                body = envelope(self.namespace, operation, params,
                                {self.token_header: token, **headers})
            response = session.post(url, data=body.encode("utf-8"), headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{self.namespace}{operation}"'})
            fault = fault_of(response.content) if response.status_code >= 400 else None
            if fault and attempt == 1 and self.token_rejected(fault[1]):
                token = self.refresh_token(client, token)  # expired early or revoked: once
                continue
            break
        for hook in hooks.get("response", ()):
            hook(response)  # the engine's: quota pauses, and ProviderError for HTTP errors
        if response.status_code >= 400:  # no hooks given (discovery)
            raise ProviderError(f"{self.provider} answered {response.status_code} on {what}: "
                                f"{fault[1] if fault else response.text[:300]}",
                                status=response.status_code,
                                reason=fault[1] if fault else None, response=response)
        root = parse_xml(response.content, f"the answer to {what}")
        answer = child(child(root, "Body"), f"{operation}Response")
        if answer is None:
            raise ValueError(f"the answer to {what} has no {operation}Response")
        return answer

    def string_result(self, answer: ET.Element, operation: str, what: str,
                      response: requests.Response | None = None) -> ET.Element:
        """An XML-in-a-string result (<OperationResult>...</OperationResult>), parsed; one that
        says it failed (result="0") raises ProviderError with its messages."""
        result = child(answer, f"{operation}Result")
        if result is None or not (result.text or "").strip():
            raise ValueError(f"the answer to {what} has no {operation}Result")
        document = parse_xml(result.text, f"the result of {what}")
        messages = failed_messages(document)
        if messages:
            reason = "; ".join(messages)
            raise ProviderError(f"{self.provider} refused {what}: {reason}", status=200,
                                reason=reason, response=response)
        return document

    # --- declared endpoints ---------------------------------------------------------------------
    def pages(self, client: Any, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        params = dict(request.params)
        operation, what = request.method, f"{request.path} {request.method}"
        paged = "firstRow" in params and "maxRows" in params
        while True:
            answer = self.call(client, run, request.path, operation, params, request.headers,
                               hooks, what)
            if operation.endswith("XmlString"):
                yield [self.string_result(answer, operation, what)]
                return
            rows, total = self.array_rows(answer, what)
            if paged and rows:
                # The options the rows were found with belong to them (a dimension's type).
                options = next((v for v in params.values() if isinstance(v, Mapping)), {})
                rows = [{**row, **options} for row in rows]
            yield rows
            if not paged or not rows:
                return
            params["firstRow"] = int(params["firstRow"]) + int(params["maxRows"])
            if total is not None and params["firstRow"] > total:
                return

    def array_rows(self, answer: ET.Element, what: str) -> tuple[list[dict[str, str]], int | None]:
        """A finder-style answer: <Result> messages, then data with TotalRows, Columns/string and
        Items/ArrayOfString; rows keyed by the column names."""
        result = next((item for item in answer if local(item.tag).endswith("Result")), None)
        errors = [child(message, "Text").text or "" for message in (result if result is not None else [])
                  if child(message, "Type") is not None
                  and (child(message, "Type").text or "").lower() == "error"
                  and child(message, "Text") is not None]
        if errors:
            reason = "; ".join(errors)
            raise ProviderError(f"{self.provider} refused {what}: {reason}", status=200,
                                reason=reason)
        data = child(answer, "data")
        if data is None:
            raise ValueError(f"the answer to {what} has no data")
        columns = [item.text or "" for item in (child(data, "Columns") or [])]
        total = child(data, "TotalRows")
        rows = [dict(zip(columns, [(value.text or "") for value in item], strict=False))
                for item in (child(data, "Items") or [])]
        return rows, int(total.text) if total is not None and (total.text or "").isdigit() else None


def browse_rows(document: ET.Element) -> list[dict[str, str]]:
    """A browse result: one row per <tr>, its <td field=...> values and its <key> as key.*."""
    rows = []
    for line in document.findall("tr"):
        row = {td.get("field", ""): td.text or "" for td in line.findall("td")}
        for item in (line.find("key") if line.find("key") is not None else []):
            row[f"key.{item.tag}"] = item.text or ""
        rows.append(row)
    return rows


def element_rows(document: ET.Element, text_field: str = "code") -> list[dict[str, str]]:
    """A list result (<offices><office name=...>NLA0001</office>): each child's attributes, its
    text under `text_field`."""
    return [{**item.attrib, text_field: (item.text or "").strip()} for item in document]
