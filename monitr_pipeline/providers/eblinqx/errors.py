"""FinteQX's error body, assumed ASP.NET Core's ProblemDetails (RFC 7807): {type, title, status,
detail, traceId}, validation failures with {errors: {field: [messages]}}."""

from __future__ import annotations

from collections.abc import Mapping

import requests


def error_reason(response: requests.Response) -> str:
    """"title: detail; field: message" from a ProblemDetails body, else the text."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or f"HTTP {response.status_code}")[:300]
    if not isinstance(body, Mapping) or not (body.get("title") or body.get("detail")):
        return response.text[:300]
    reason = ": ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        reason += "; " + "; ".join(
            f"{field}: {' '.join(map(str, messages)) if isinstance(messages, list) else messages}"
            for field, messages in errors.items())
    return reason[:500]
