"""SOAP 1.1 as Yuki's ASMX services speak it: the operation and its parameters in, results
(inline XML, or an XML document escaped inside the result string) and soap:Faults out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
YUKI_NS = "http://www.theyukicompany.com/"
CONTENT_TYPE = "text/xml; charset=utf-8"


class SoapFault(Exception):
    """Rendered as a soap:Fault with HTTP 500, as ASMX services answer every failed call."""

    def __init__(self, message: str, code: str = "soap:Server"):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class SoapCall:
    operation: str
    params: dict[str, str] = field(default_factory=dict)  # child name (exact case) -> text

    def param(self, name: str) -> str:
        """A required parameter; ASMX binds a missing one as null, which Yuki refuses."""
        value = self.params.get(name)
        if value is None:
            raise SoapFault(f"Parameter {name} is missing or empty.", "soap:Client")
        return value


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_call(body: bytes) -> SoapCall:
    try:
        envelope = ET.fromstring(body)
    except ET.ParseError as exc:
        raise SoapFault(f"Server was unable to read request. ---> There is an error in XML "
                        f"document: {exc}.", "soap:Client") from None
    content = next((part for part in envelope if _local(part.tag) == "Body"), None)
    if _local(envelope.tag) != "Envelope" or content is None or len(content) == 0:
        raise SoapFault("The request is not a SOAP envelope with a body.", "soap:Client")
    operation = content[0]
    return SoapCall(_local(operation.tag),
                    {_local(item.tag): (item.text or "").strip() for item in operation})


def _envelope(body: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_NS}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>")


def fault_body(fault: SoapFault) -> str:
    return _envelope(f"<soap:Fault><faultcode>{fault.code}</faultcode>"
                     f"<faultstring>{escape(fault.message)}</faultstring><detail /></soap:Fault>")


def element(name: str, record: dict[str, str], attributes: tuple[str, ...] = ()) -> str:
    """<name attr="..."><field>text</field>...</name>: the named fields as attributes."""
    attrs = "".join(f" {key}={quoteattr(record[key])}" for key in attributes)
    fields = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in record.items()
                     if key not in attributes)
    return f"<{name}{attrs}>{fields}</{name}>"


def inline_result(operation: str, xml: str) -> str:
    return _envelope(f'<{operation}Response xmlns="{YUKI_NS}"><{operation}Result>{xml}'
                     f"</{operation}Result></{operation}Response>")


def string_result(operation: str, document: str) -> str:
    """The result as a string holding an XML document (escaped), as several Yuki methods answer."""
    return inline_result(operation, escape(document))
