"""Exact Online quirks: OData JSON, `/Date(ms)/` in Amsterdam wall time, sync Timestamps, quotas."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import requests

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.exact_online.spec import SPEC
from monitr_pipeline.providers.spec import Endpoint

_DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_EPOCH = datetime(1970, 1, 1)
# Never sleep longer than a minutely window: a longer wait means the daily quota, which is an error.
_MAX_THROTTLE_SECONDS = 65.0


class RecordFieldError(ValueError):
    """A field of a record could not be read as its declared type."""

    def __init__(self, field: str, value: Any, expected: str):
        super().__init__(f"field {field!r}: {value!r} is not a valid {expected}")
        self.field = field


def parse_exact_date(value: str) -> datetime:
    """`/Date(ms)/` holds Amsterdam wall-clock time written as if it were UTC (airbyte source-exact)."""
    match = _DATE.match(value)
    if not match:
        raise ValueError(value)
    return _EPOCH + timedelta(milliseconds=int(match.group(1)))


def _convert(field: str, value: Any, data_type: str) -> Any:
    if value is None or value == "":
        return None
    try:
        if data_type == "date":
            return parse_exact_date(value).date()
        if data_type == "timestamp":
            return parse_exact_date(value).replace(tzinfo=_AMSTERDAM).astimezone(UTC)
        if data_type == "decimal":
            if isinstance(value, bool):
                raise TypeError
            return Decimal(str(value))
        if data_type == "bigint":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise TypeError
            return int(value)
        if data_type == "bool":
            if not isinstance(value, bool):
                raise TypeError
            return value
        if data_type == "text":
            return str(value)
    except (TypeError, ValueError, ArithmeticError):
        raise RecordFieldError(field, value, data_type) from None
    return value


class ExactOnlineAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}/api/v1/{external_id}/"

    def parse_row(self, endpoint: Endpoint, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            name: _convert(name, row.get(name), data_type)
            for name, data_type in endpoint.columns.items()
        }

    def seconds_to_wait(self, response: requests.Response) -> float:
        remaining = response.headers.get("X-RateLimit-Minutely-Remaining")
        reset_ms = response.headers.get("X-RateLimit-Minutely-Reset")
        if remaining is None or reset_ms is None or int(remaining) > 0:
            return 0.0
        wait = int(reset_ms) / 1000.0 - time.time()
        return min(max(wait, 0.0), _MAX_THROTTLE_SECONDS)

    def administration_gone(self, error: ProviderError) -> bool:
        # A division the user lost access to (or that was deleted) answers 403 with this Reason.
        return error.status == 403 and "NoDivisionAccess" in (error.reason or "")

    def error_reason(self, response: requests.Response) -> str:
        reason_header = response.headers.get("Reason")
        try:
            message = response.json()["error"]["message"]["value"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:300] or response.reason
        return f"{message} ({reason_header})" if reason_header else message

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """Divisions the login can see: Me gives the current division, which lists the others."""
        me = _get_json(self, session, f"{base_url}/api/v1/current/Me",
                       {"$select": "CurrentDivision,UserName"})
        current = me["d"]["results"][0]["CurrentDivision"]
        url = f"{base_url}/api/v1/{current}/system/Divisions"
        params: dict[str, Any] | None = {"$select": "Code,Description,Country,Currency"}
        divisions: list[Administration] = []
        while url:
            page = _get_json(self, session, url, params)
            divisions += [
                Administration(str(d["Code"]), d["Description"], d.get("Country"), d.get("Currency"))
                for d in page["d"]["results"]
            ]
            url, params = page["d"].get("__next"), None
        return divisions


def _get_json(adapter: ProviderAdapter, session: requests.Session, url: str,
              params: dict[str, Any] | None) -> dict[str, Any]:
    response = session.get(url, params=params, headers=dict(adapter.default_headers), timeout=30)
    if response.status_code >= 400:
        raise ProviderError(
            f"{adapter.spec.name} answered {response.status_code} on {url.split('?')[0]}: "
            f"{adapter.error_reason(response)}",
            status=response.status_code,
            reason=adapter.error_reason(response),
        )
    return response.json()
