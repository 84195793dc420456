"""How the Xero emulator writes its answers: envelopes in JSON or XML, and Xero's error shapes."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from xml.etree import ElementTree

from flask import Response

from monitr_sandbox.xero.tenants import APP_NAME

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"


def accounting_envelope(key: str, records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The Accounting API's response: Id, Status, ProviderName, DateTimeUTC, then the records."""
    return {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": APP_NAME,
            "DateTimeUTC": f"/Date({int(time.time() * 1000)})/", **extra, key: records}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, content_type=JSON, headers=headers)


def xml_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """The Accounting API answers XML unless the client asks for JSON (`Accept`)."""
    root = ElementTree.Element("Response")
    _append(root, body)
    return Response(ElementTree.tostring(root, encoding="unicode"), content_type=XML,
                    headers=headers)


def _singular(plural: str) -> str:
    # Xero names list items by their singular: Journals/Journal, TrackingCategories/TrackingCategory.
    return plural[:-3] + "y" if plural.endswith("ies") else plural.removesuffix("s")


def _append(parent: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            child = ElementTree.SubElement(parent, key)
            if isinstance(item, list):
                for element in item:
                    _append(ElementTree.SubElement(child, _singular(key)), element)
            else:
                _append(child, item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    else:
        parent.text = str(value)


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Xero's problem-details body (401, 403, 404): pyxero#337, xeroizer#509."""
    body = {"Type": None, "Title": title, "Status": status, "Detail": detail,
            "Instance": str(uuid.uuid4()), "Extensions": {}}
    return json_response(body, status, headers)


def validation_error(message: str, headers: dict[str, str] | None = None) -> Response:
    """The Accounting API's `Error` schema for a request it cannot parse (HTTP 400)."""
    body = {"ErrorNumber": 16, "Type": "QueryParseException", "Message": message}
    return json_response(body, 400, headers)


def assets_error(detail: str, headers: dict[str, str] | None = None) -> Response:
    """The Assets API's `Error` schema (HTTP 400)."""
    body = {"resourceValidationErrors": [], "fieldValidationErrors": [],
            "type": "http://common.service.xero.com/errors/validation",
            "title": "The request failed validation.", "detail": detail}
    return json_response(body, 400, headers)
