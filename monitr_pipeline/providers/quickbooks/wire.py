"""QuickBooks Online wire formats: how its values are written, and the Fault bodies errors come in."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.etree import ElementTree

import requests

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.adapter import ProviderError

NAME = "QuickBooks Online"
_XML_NAMESPACE = re.compile(r"^\{[^}]*\}")


# QBO writes times with the offset of Intuit's (Pacific) clock, e.g. 2015-06-29T12:33:57-07:00: a
# time without one is not QBO's. Money arrives as JSON numbers; nested values (JournalEntry.Line)
# are kept whole as json, and dotted fields (MetaData.LastUpdatedTime) read nested objects.
WIRE = WireFormat(timestamps_need_zone=True)


# --- Faults ---------------------------------------------------------------------------------------
def fault_of(body: Any) -> list[dict[str, Any]] | None:
    """The errors of a JSON Fault, in either of QBO's spellings: `{"Fault": {"Error": [{"Message",
    "Detail", "code"}], "type"}}` from the API, `{"fault": {"error": [{"message", ...}]}}` from its
    authentication layer (401/403). None when the body is not a Fault."""
    if not isinstance(body, Mapping):
        return None
    fault = body.get("Fault") or body.get("fault")
    if not isinstance(fault, Mapping):
        return None
    errors = fault.get("Error") or fault.get("error") or []
    fault_type = fault.get("type")
    return [{"message": error.get("Message") or error.get("message"),
             "detail": error.get("Detail") or error.get("detail"),
             "code": str(error.get("code") or ""), "type": fault_type}
            for error in errors if isinstance(error, Mapping)] or [{"type": fault_type}]


def xml_fault_of(text: str) -> list[dict[str, Any]] | None:
    """The errors of an XML `<IntuitResponse><Fault type=..><Error code=..>` body (QBO answers its
    throttling errors in XML, whatever the Accept header said)."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    errors = []
    for element in root.iter():
        if _XML_NAMESPACE.sub("", element.tag) != "Fault":
            continue
        for error in element:
            children = {_XML_NAMESPACE.sub("", child.tag): child.text for child in error}
            errors.append({"message": children.get("Message"), "detail": children.get("Detail"),
                           "code": error.get("code") or "", "type": element.get("type")})
    return errors or None


def describe_fault(errors: list[dict[str, Any]]) -> str:
    """One line per error: `Message: Detail (code 3200, AUTHENTICATION)`."""
    described = []
    for error in errors:
        text = ": ".join(part for part in (error.get("message"), error.get("detail")) if part)
        labels = ", ".join(label for label in (
            f"code {error['code']}" if error.get("code") else "", error.get("type") or "") if label)
        described.append(f"{text or 'Fault'} ({labels})" if labels else text or "Fault")
    return "; ".join(described)


def json_answer(response: requests.Response, context: str,
                error_reason: Callable[[requests.Response], str] | None = None) -> dict[str, Any]:
    """The JSON object an answer carries. An error status, or a Fault even with HTTP 200 (QBO
    sends some that way), raises ProviderError; a body that is no JSON object, ValueError naming
    `context` (what was being read)."""
    try:
        body = response.json()
    except ValueError as exc:
        if response.status_code < 400:
            raise ValueError(f"{context}: {exc}") from None
        body = None
    errors = fault_of(body)
    if errors or response.status_code >= 400:
        reason = (describe_fault(errors) if errors else
                  error_reason(response) if error_reason else response.text[:300])
        raise ProviderError(f"{NAME} answered {response.status_code} on {context}: {reason}",
                            status=response.status_code, reason=reason, response=response)
    if not isinstance(body, dict):
        raise ValueError(f"{context}: the body is not a JSON object")
    return body


def fault_codes(errors: list[dict[str, Any]]) -> set[str]:
    return {error["code"] for error in errors if error.get("code")}
