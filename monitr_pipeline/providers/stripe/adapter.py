"""Stripe quirks: the secret key as a bearer token, Connect accounts named by the Stripe-Account
header, Stripe's error body and Stripe-Should-Retry, and the `objects` reader: the whole list on a
first import (or once events no longer reach back to the cursor), else the events since it."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import dlt
import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint
from monitr_pipeline.providers.stripe.events import (
    COLLECTIONS,
    EVENT_RETENTION_SECONDS,
    PAGE_SIZE,
    Collection,
    latest_changes,
    tombstone,
)
from monitr_pipeline.providers.stripe.spec import API_VERSION, SEEN_AT, SPEC

log = logging.getLogger(__name__)

# Objects Stripe can delete (deleted_customer, deleted_product, deleted_price in the spec):
# an id gone from a full list is a deletion. Subscriptions and invoices are canceled or voided.
_DELETABLE = frozenset({"customers", "products", "prices"})
_NOW = "stripe.now"  # run.provider_state: Stripe's clock at the import's first call


class StripeKeyAuth(requests.auth.AuthBase):
    """The secret or restricted key as a bearer token; never shown."""

    def __init__(self, api_key: str):
        if not api_key:
            raise ProviderError("Stripe: the integration has no secret key; reconnect it",
                                status=401, reason="no secret key stored")
        self._api_key = api_key

    def __repr__(self) -> str:
        return "StripeKeyAuth(<secret key hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._api_key}"
        return request


class StripeAdapter(ProviderAdapter):
    spec = SPEC
    default_headers = {"Accept": "application/json", "Stripe-Version": API_VERSION}
    credential_fields = ("api_key",)

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}/"

    def tenant_headers(self, external_id: str) -> dict[str, str]:
        # Connect: every call names the account it reads.
        return {"Stripe-Account": external_id}

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> StripeKeyAuth:
        return StripeKeyAuth(str(credentials.get("api_key") or ""))

    def error_reason(self, response: requests.Response) -> str:
        try:
            error = response.json()["error"]
            details = ", ".join(f"{name} {error[name]}" for name in ("type", "code", "param")
                                if error.get(name))
            return f"{error.get('message') or response.reason} ({details})"
        except (ValueError, KeyError, TypeError):
            return response.text[:300] or response.reason

    def retryable(self, response: requests.Response) -> bool:
        # Stripe says when asking again cannot help (e.g. a 429 for a lock on an object).
        return response.headers.get("Stripe-Should-Retry", "").lower() != "false"

    def administration_gone(self, error: ProviderError) -> bool:
        return error.status in (403, 404) and "account_invalid" in (error.reason or "")

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """A platform's connected accounts (GET /v1/accounts); a key of one account: itself."""
        own = self._get_json(session, f"{base_url}/v1/account", {})
        connected: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        while True:
            try:
                page = self._get_json(session, f"{base_url}/v1/accounts", params)
            except ProviderError as error:
                if error.status in (400, 403, 404):  # not a Connect platform
                    break
                raise
            connected += page.get("data") or []
            if not page.get("has_more") or not page.get("data"):
                break
            params["starting_after"] = page["data"][-1]["id"]
        return [_administration(a) for a in connected or [own]]

    def _get_json(self, session: requests.Session, url: str, params: dict[str, Any]
                  ) -> dict[str, Any]:
        response = session.get(url, params=params, headers=dict(self.default_headers),
                               timeout=30)
        if response.status_code >= 400:
            reason = self.error_reason(response)
            raise ProviderError(f"{SPEC.name} answered {response.status_code} on "
                                f"{url.removeprefix(url.split('/v1/')[0])}: {reason}",
                                status=response.status_code, reason=reason, response=response)
        return response.json()

    # Readers (spec.py `reader`) ------------------------------------------------------------------
    def account(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The account itself, with Stripe's clock at the reading."""
        response = client.get(endpoint.path, hooks=hooks)
        yield [{**response.json(), "read_at": _server_time(response)}]

    def objects(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        collection = COLLECTIONS[endpoint.table]
        now = self._now(client, run, hooks)
        state = dlt.current.resource_state()
        # Where the last import's reading ended: the cursor moves only with rows, and a table
        # no event touched would otherwise look older than it is.
        since = None if cursor_value is None else max(cursor_value, state.get("read_until", 0))
        if since is not None and since >= now - EVENT_RETENTION_SECONDS:
            yield from self._changes(client, endpoint, collection, since, state, hooks)
        else:
            if since is not None:
                log.info("%s: %s %s last read %d days ago; Stripe keeps events 30 days, so the "
                         "whole list is read again", run.entity, SPEC.name, endpoint.table,
                         (now - since) // 86_400)
            yield from self._everything(client, endpoint, collection, now, state, hooks)
        state["read_until"] = now

    def _now(self, client: RESTClient, run: ImportRunContext, hooks: dict[str, Any]) -> int:
        """Stripe's clock when the import began (its Date header): the cursor's next value after
        a full list, and what the cursor's age is measured against."""
        if _NOW not in run.provider_state:
            response = client.get("v1/events", params={"limit": 1}, hooks=hooks)
            run.provider_state[_NOW] = _server_time(response)
        return run.provider_state[_NOW]

    def _everything(self, client: RESTClient, endpoint: Endpoint, collection: Collection,
                    now: int, state: dict[str, Any], hooks: dict[str, Any]
                    ) -> Iterator[list[Any]]:
        params: dict[str, Any] = dict(collection.list_params)
        if collection.expand:
            params["expand[]"] = [f"data.{path}" for path in collection.expand]
        seen: set[str] = set()
        for page in _pages(client, collection.path, params, hooks):
            seen.update(str(record.get("id")) for record in page if isinstance(record, dict))
            yield [{**self._whole(client, collection, record, hooks), SEEN_AT: now}
                   if isinstance(record, dict) else record for record in page]
        gone = sorted(set(state.get("ids", [])) - seen)
        if gone and endpoint.table in _DELETABLE:
            yield [tombstone(object_id, collection.kind, now) for object_id in gone]
        state["ids"] = sorted(seen)

    def _changes(self, client: RESTClient, endpoint: Endpoint, collection: Collection,
                 since: int, state: dict[str, Any], hooks: dict[str, Any]
                 ) -> Iterator[list[Any]]:
        """The latest state of every object an event since `since` is about. Events of the
        cursor's own second are read again: a change in that second may have come after it."""
        events: list[dict[str, Any]] = []
        params = {"types[]": collection.event_types, "created[gte]": since}
        for page in _pages(client, "v1/events", params, hooks):
            events += page
        changes = latest_changes(events, collection)
        ids = set(state.get("ids", []))
        rows: list[dict[str, Any]] = []
        for object_id, (created, snapshot, deleted) in sorted(changes.items()):
            if deleted:
                rows.append(tombstone(object_id, collection.kind, created))
                ids.discard(object_id)
                continue
            if collection.expand:
                snapshot = self._retrieve(client, collection, object_id, hooks)
            rows.append({**self._whole(client, collection, snapshot, hooks), SEEN_AT: created})
            ids.add(object_id)
            if len(rows) >= PAGE_SIZE:
                yield rows
                rows = []
        if rows:
            yield rows
        state["ids"] = sorted(ids)

    def _whole(self, client: RESTClient, collection: Collection, record: dict[str, Any],
               hooks: dict[str, Any]) -> dict[str, Any]:
        """The record with its embedded list read whole when Stripe cut it (has_more)."""
        if collection.embedded is None:
            return record
        name, path, param = collection.embedded
        embedded = record.get(name)
        if not isinstance(embedded, dict) or not embedded.get("has_more"):
            return record
        data = [item for page in _pages(client, path, {param: record["id"]}, hooks)
                for item in page]
        return {**record, name: {**embedded, "data": data, "has_more": False}}

    def _retrieve(self, client: RESTClient, collection: Collection, object_id: str,
                  hooks: dict[str, Any]) -> dict[str, Any]:
        response = client.get(f"{collection.path}/{object_id}",
                              params={"expand[]": list(collection.expand)}, hooks=hooks)
        return response.json()


def _pages(client: RESTClient, path: str, params: dict[str, Any], hooks: dict[str, Any]
           ) -> Iterator[list[Any]]:
    """A list, page by page: `limit` 100, the next page `starting_after` the last id while
    `has_more` (newest first)."""
    params = {**params, "limit": PAGE_SIZE}
    while True:
        body = client.get(path, params=params, hooks=hooks).json()
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise ValueError(f"{path}: the answer is not a list object with data")
        yield data
        if not body.get("has_more") or not data:
            return
        last = data[-1].get("id") if isinstance(data[-1], dict) else None
        if not last:
            raise ValueError(f"{path}: the last object of a page has no id to continue after")
        params["starting_after"] = last


def _server_time(response: requests.Response) -> int:
    """Stripe's clock from the answer's Date header (unix seconds)."""
    try:
        return int(parsedate_to_datetime(response.headers["Date"]).timestamp())
    except (KeyError, TypeError, ValueError):
        raise ValueError("the answer has no readable Date header") from None


def _administration(account: dict[str, Any]) -> Administration:
    profile = account.get("business_profile") or {}
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    name = profile.get("name") or dashboard.get("display_name") or account["id"]
    currency = account.get("default_currency")
    return Administration(account["id"], name, account.get("country"),
                          currency.upper() if currency else None)
