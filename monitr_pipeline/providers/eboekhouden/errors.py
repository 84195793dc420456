"""e-Boekhouden's error body: {type, title, code, message, status, errors} (swagger docs/Error.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests


def _body(response: requests.Response) -> Mapping[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def error_code(response: requests.Response) -> str | None:
    body = _body(response)
    return str(body["code"]) if body and body.get("code") else None


def error_reason(response: requests.Response) -> str:
    """"CODE: title (message); validation errors" from the error body, or the raw text."""
    body = _body(response)
    if not body or not (body.get("title") or body.get("code")):
        return (response.text or response.reason or f"HTTP {response.status_code}")[:300]
    title = body.get("title")
    reason = ": ".join(str(part) for part in (body.get("code"), title) if part)
    message = body.get("message")
    if message and message != title:
        reason += f" ({message})"
    errors = body.get("errors")
    # A list of strings in the swagger; seen as an object of field -> messages as well.
    if isinstance(errors, Mapping):
        errors = [f"{field}: {detail}" for field, detail in errors.items()]
    if errors:
        reason += "; " + "; ".join(map(str, errors))
    return reason[:500]
