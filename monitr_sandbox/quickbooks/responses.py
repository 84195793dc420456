"""How the QuickBooks emulator answers: JSON or XML bodies, and QBO's three error shapes.

- API errors: `{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type":
  "ValidationFault"|"SystemFault"|...}, "time"}` (sometimes with HTTP 200).
- Authentication and authorization errors (401, 403) come from another layer, in lower case and
  with a bag of nulls: `{"warnings": null, "fault": {"error": [{"message": "message=
  AuthenticationFailed; errorCode=003200; statusCode=401", "detail", "code": "3200"}], "type":
  "AUTHENTICATION"}, ..., "time": <epoch ms>}` (python-quickbooks issue #250, erpnext #29161).
- Throttling (429) is answered in XML whatever the Accept header asked for (ruckus/quickbooks-ruby
  #348, python-quickbooks issue #43): `<Fault type="SERVICE"><Error code="3001">`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from flask import Response, request

from monitr_sandbox.quickbooks.company import INTUIT_TIME_ZONE

JSON = "application/json;charset=UTF-8"
XML = "application/xml;charset=UTF-8"
_NAMESPACE = "http://schema.intuit.com/finance/v3"
# Keys QBO writes as XML attributes rather than child elements.
_ATTRIBUTES = frozenset({"startPosition", "maxResults", "totalCount", "type", "code", "domain",
                         "sparse", "time"})


class QboFault(Exception):
    """An API error answered as a Fault."""

    def __init__(self, status: int, message: str, detail: str, code: str,
                 fault_type: str = "ValidationFault"):
        super().__init__(f"{code} {message}: {detail}")
        self.status, self.message, self.detail, self.code = status, message, detail, code
        self.fault_type = fault_type


def intuit_time(epoch: float) -> str:
    """The `time` of an answer: milliseconds and the offset of Intuit's clock."""
    return datetime.fromtimestamp(epoch, INTUIT_TIME_ZONE).isoformat(timespec="milliseconds")


def wants_json() -> bool:
    return "json" in request.headers.get("Accept", "")


def fault_body(fault: QboFault, now: float) -> dict[str, Any]:
    return {"Fault": {"Error": [{"Message": fault.message, "Detail": fault.detail,
                                 "code": fault.code, "element": ""}], "type": fault.fault_type},
            "time": intuit_time(now)}


def answer(payload: dict[str, Any], now: float, status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """A payload with the answer's `time`, as JSON when asked for, else as QBO's default XML."""
    payload = {**payload, "time": intuit_time(now)}
    if wants_json():
        return Response(json.dumps(payload), status=status, content_type=JSON, headers=headers)
    return Response(as_xml(payload), status=status, content_type=XML, headers=headers)


def fault_answer(fault: QboFault, now: float) -> Response:
    body = fault_body(fault, now)
    del body["time"]
    return answer(body, now, fault.status)


def auth_fault_answer(status: int, message: str, code: str, detail: str | None, fault_type: str,
                      now: float, headers: dict[str, str] | None = None) -> Response:
    error = {"message": f"message={message}; errorCode={int(code):06d}; statusCode={status}",
             "detail": detail, "code": code, "element": None}
    if not wants_json():
        return answer({"Fault": {"Error": [{"Message": error["message"], "Detail": detail,
                                            "code": code}], "type": fault_type}}, now, status,
                      headers)
    body = {"warnings": None, "intuitObject": None, "fault": {"error": [error], "type": fault_type},
            "report": None, "queryResponse": None, "batchItemResponse": [],
            "attachableResponse": [], "syncErrorResponse": None, "requestId": None,
            "time": int(now * 1000), "status": None, "cdcresponse": []}
    return Response(json.dumps(body), status=status, content_type=JSON, headers=headers)


def throttled_answer(now: float, headers: dict[str, str] | None = None) -> Response:
    fault = {"Fault": {"Error": [{"Message": "message=ThrottleExceeded; errorCode=003001; "
                                             "statusCode=429",
                                  "Detail": "The request limit was reached.  Try again later",
                                  "code": "3001"}], "type": "SERVICE"},
             "time": intuit_time(now)}
    return Response(as_xml(fault), status=429, content_type=XML, headers=headers)


def as_xml(payload: dict[str, Any]) -> str:
    root = ElementTree.Element("IntuitResponse", {"xmlns": _NAMESPACE})
    _fill(root, payload)
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ElementTree.tostring(
        root, encoding="unicode")


def _fill(element: ElementTree.Element, value: dict[str, Any]) -> None:
    for key, child in value.items():
        if child is None:
            continue
        if key in _ATTRIBUTES and not isinstance(child, (dict, list)):
            element.set(key, _text(child))
            continue
        for item in child if isinstance(child, list) else [child]:
            node = ElementTree.SubElement(element, key)
            if isinstance(item, dict):
                _fill(node, item)
            else:
                node.text = _text(item)


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
