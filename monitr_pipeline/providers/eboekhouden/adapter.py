"""e-Boekhouden quirks: session auth, limit/offset pages of `items`, mutation rows read only when new or
possibly changed (mutation_reads.py)."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import dlt
import requests
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.eboekhouden.errors import error_reason
from monitr_pipeline.providers.eboekhouden.mutation_reads import MutationReads
from monitr_pipeline.providers.eboekhouden.mutations import outstanding_item
from monitr_pipeline.providers.eboekhouden.session import SessionAuth
from monitr_pipeline.providers.eboekhouden.spec import PAGE_SIZE, SPEC
from monitr_pipeline.providers.spec import Endpoint

# e-Boekhouden books in euro only; the API names no currency anywhere.
CURRENCY = "EUR"
# Its administrations are Dutch: "today" (the recent window, the weekly full pass) is Dutch too.
_TIMEZONE = ZoneInfo("Europe/Amsterdam")


class FieldError(ValueError):
    """A field of a record could not be read as its declared type."""

    def __init__(self, field: str, value: Any, expected: str):
        super().__init__(f"field {field!r}: {value!r} is not a valid {expected}")
        self.field = field


class ShortPagePaginator(OffsetPaginator):
    """limit/offset until a page holds fewer than `limit` items. `count` is not relied on: the
    swagger calls it "the number of retrieved items", which may be the page's or the total."""

    def __init__(self, limit: int):
        super().__init__(limit=limit, total_path=None)

    def _stop_after_this_page(self, data: list[Any] | None = None) -> bool:
        return not data or len(data) < self.limit


def _integer(value: Any) -> int:
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    return int(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


# dlt data type -> reader of the API's JSON value. Dates are ISO 8601 "YYYY-MM-DD" (swagger intro,
# "Dates"); a time part, should one come, is cut off. Amounts are JSON numbers: read via their text.
_READERS: dict[str, Any] = {
    "decimal": lambda value: Decimal(str(value)), "bigint": _integer, "bool": _boolean,
    "date": lambda value: date.fromisoformat(str(value)[:10]), "text": str,
}


def _convert(field: str, value: Any, data_type: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool) and data_type != "bool":
        raise FieldError(field, value, data_type)
    try:
        return _READERS[data_type](value)
    except (TypeError, ValueError, ArithmeticError):
        raise FieldError(field, value, data_type) from None


class EBoekhoudenAdapter(ProviderAdapter):
    spec = SPEC
    # Changed rows come from the details version_pages has just read: no call per batch.
    max_ids_per_fetch = PAGE_SIZE

    def __init__(self) -> None:
        super().__init__()
        # One import's mutation reads, by its REST client (one per entity and run), from
        # version_pages to fetch_by_keys; gone with the client.
        self._reads: weakref.WeakKeyDictionary[RESTClient, MutationReads] = weakref.WeakKeyDictionary()

    def today(self) -> date:
        return datetime.now(_TIMEZONE).date()

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # The API token picks the administration; there is nothing to put in the URL.
        return f"{base_url}/"

    def paginator(self, endpoint: Endpoint) -> ShortPagePaginator:
        return ShortPagePaginator(endpoint.page_size)

    def pages(self, client: RESTClient, endpoint: Endpoint, params: dict[str, Any],
              hooks: dict[str, Any]) -> Iterator[list[Any]]:
        if endpoint.primary_key == "outstandingItemId":
            for page in super().pages(client, endpoint, params, hooks):
                yield [outstanding_item(item) for item in page]
        else:
            yield from super().pages(client, endpoint, params, hooks)

    def version_pages(self, client: RESTClient, endpoint: Endpoint, hooks: dict[str, Any]
                      ) -> Iterator[list[Mapping[str, Any]]]:
        """Mutation rows: the list, then the details of new and possibly changed mutations."""
        reads = MutationReads(client, endpoint.path, self.paginator(endpoint), hooks,
                              dlt.current.resource_state(), self.today())
        self._reads[client] = reads
        yield reads.versions()

    def fetch_by_keys(self, client: RESTClient, endpoint: Endpoint, keys: Sequence[Any],
                      hooks: dict[str, Any]) -> Iterator[list[Any]]:
        reads = self._reads.get(client)
        if reads is None:
            raise RuntimeError(f"{endpoint.table}: rows asked for before the versions were read")
        yield reads.rows(keys)

    def parse_row(self, endpoint: Endpoint, row: Mapping[str, Any]) -> dict[str, Any]:
        return {name: _convert(name, row.get(name), data_type)
                for name, data_type in endpoint.columns.items()}

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> SessionAuth:
        return SessionAuth(credentials.get("api_token", ""), base_url)

    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The administration of the API token (GET /v1/administration)."""
        found: list[Administration] = []
        offset = 0
        while True:
            response = session.get(f"{base_url}/v1/administration",
                                   params={"limit": PAGE_SIZE, "offset": offset},
                                   headers=dict(self.default_headers), timeout=30)
            if response.status_code >= 400:
                reason = error_reason(response)
                raise ProviderError(f"{SPEC.name} answered {response.status_code} on "
                                    f"/v1/administration: {reason}",
                                    status=response.status_code, reason=reason)
            items = response.json().get("items") or []
            found += [Administration(str(a["guid"]), a.get("company") or str(a["guid"]),
                                     None, CURRENCY) for a in items]
            if len(items) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
        if isinstance(session.auth, SessionAuth):
            session.auth.close()
        return found

    def check_api_token(self, base_url: str, api_token: str) -> None:
        """Open and end a session: raises ApiTokenRejected, in e-Boekhouden's words, for a bad token."""
        auth = SessionAuth(api_token, self.base_url(None, base_url))
        auth.session_token()
        auth.close()
