"""SOAP 1.1 as Twinfield's ASMX services speak it: request envelopes in, results and faults out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
TWF_NS = "http://www.twinfield.com/"
_SOAP_TYPE = "text/xml; charset=utf-8"


class SoapFault(Exception):
    """Rendered as a soap:Fault with HTTP 500, as ASMX services answer every failed call."""

    def __init__(self, message: str, code: str = "soap:Server", status: int = 500):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass
class SoapRequest:
    operation: str  # the body's first element: ProcessXmlString, Search, ...
    headers: dict[str, str] = field(default_factory=dict)  # AccessToken, CompanyCode
    params: dict[str, ET.Element] = field(default_factory=dict)  # the operation's child elements

    def text(self, name: str, default: str | None = None) -> str | None:
        element = self.params.get(name)
        return default if element is None else (element.text or "")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_request(body: bytes) -> SoapRequest:
    try:
        envelope = ET.fromstring(body)
    except ET.ParseError as exc:
        raise SoapFault(f"Server was unable to read request. ---> There is an error in XML "
                        f"document: {exc}.", "soap:Client") from None
    if _local(envelope.tag) != "Envelope":
        raise SoapFault("The request is not a SOAP envelope.", "soap:Client")
    headers: dict[str, str] = {}
    for part in envelope:
        if _local(part.tag) == "Header":
            for header in part:
                for item in header:
                    headers[_local(item.tag)] = (item.text or "").strip()
    body_element = next((part for part in envelope if _local(part.tag) == "Body"), None)
    if body_element is None or len(body_element) == 0:
        raise SoapFault("The SOAP envelope has no body.", "soap:Client")
    operation = body_element[0]
    return SoapRequest(_local(operation.tag), headers,
                       {_local(child.tag): child for child in operation})


def envelope(body: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>")


def fault_body(fault: SoapFault) -> str:
    return envelope(f"<soap:Fault><faultcode>{fault.code}</faultcode>"
                    f"<faultstring>{escape(fault.message)}</faultstring><detail /></soap:Fault>")


def string_result(operation: str, xml_text: str) -> str:
    """ProcessXmlString's answer: the result document as an escaped string."""
    return envelope(f'<{operation}Response xmlns="{TWF_NS}"><{operation}Result>'
                    f"{escape(xml_text)}</{operation}Result></{operation}Response>")


CONTENT_TYPE = _SOAP_TYPE
