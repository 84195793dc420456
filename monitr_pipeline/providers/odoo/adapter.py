"""Odoo quirks: credentials (database, login, API key), the protocol (JSON-2 or JSON-RPC), the
company in every call's context, and Odoo's error shapes (its many2one and false values are its
spec's wire format)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import requests

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.transports.json_rpc import JSON_RPC, call
from monitr_pipeline.ingestion.transports.rest import REST
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.odoo.auth import OdooAuth
from monitr_pipeline.providers.odoo.spec import SPEC


class OdooTransport:
    """JSON-2 over the REST transport, or execute_kw over JSON-RPC when the credentials say so."""

    def pages(self, client: Any, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        if getattr(client.auth, "protocol", "json2") == "jsonrpc":
            yield from JSON_RPC.pages(client, request, hooks, run)
            return
        model_method = ".".join(request.path.rstrip("/").split("/")[-2:])
        checked = {**hooks, "response": [*hooks.get("response", []), _list_answer(model_method)]}
        yield from REST.pages(client, request, checked, run)


def _list_answer(model_method: str):
    """A response hook: search_read answers a JSON list; anything else in a 200 (an HTML login
    page, a JSON-RPC envelope from a proxy) is a malformed page, not one record."""

    def check(response: requests.Response, *_: Any, **__: Any) -> None:
        if response.status_code >= 400:
            return
        try:
            body = response.json()
        except ValueError:
            raise ValueError(f"{model_method} answered no JSON") from None
        if not isinstance(body, list):
            error = body.get("error") if isinstance(body, dict) else None
            raise ValueError(f"{model_method} answered {type(body).__name__}, not a list of "
                             "records" + (f" (error: {error})" if error else ""))

    return check


class OdooAdapter(ProviderAdapter):
    spec = SPEC
    transport = OdooTransport()
    credential_fields = ("url", "database", "username", "api_key")

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # One database per URL; the company goes in each call's context.
        return base_url

    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str) -> OdooAuth:
        return OdooAuth(credentials)

    def error_reason(self, response: requests.Response) -> str:
        """JSON-2 errors: {name, message, arguments, context, debug}; the debug trace is left out."""
        try:
            body = response.json()
        except ValueError:
            return response.text[:300]
        if isinstance(body, dict) and (body.get("name") or body.get("message")):
            return ": ".join(str(part) for part in (body.get("name"), body.get("message")) if part)
        return response.text[:300]

    def administration_gone(self, error: ProviderError) -> bool:
        # AccessError "Access to unauthorized or invalid companies.": the user lost the company.
        return error.status == 403 and "unauthorized or invalid compan" in (error.reason or "")

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The user's companies (res.company lists those the user may switch to)."""
        kwargs = {"domain": [], "fields": ["name", "currency_id", "country_code"], "order": "id"}
        auth = session.auth
        if isinstance(auth, OdooAuth) and auth.protocol == "jsonrpc":
            client = _SessionClient(session, base_url)
            database, uid, key = auth.execute_kw_login(client)
            companies = call(session, base_url, "object", "execute_kw",
                             [database, uid, key, "res.company", "search_read", [], kwargs])
        else:
            response = session.post(f"{base_url}/json/2/res.company/search_read", json=kwargs,
                                    timeout=30)
            if response.status_code >= 400:
                reason = self.error_reason(response)
                raise ProviderError(f"{SPEC.name} answered {response.status_code} on "
                                    "res.company/search_read: " + reason,
                                    status=response.status_code, reason=reason, response=response)
            companies = response.json()
        if not isinstance(companies, list):
            raise ValueError("res.company/search_read did not answer a list")
        return [Administration(str(c["id"]), c.get("name") or str(c["id"]),
                               c.get("country_code") or None,
                               c["currency_id"][1] if c.get("currency_id") else None)
                for c in companies]


class _SessionClient:
    """What execute_kw_login needs of a client, for discovery's plain session."""

    def __init__(self, session: requests.Session, base_url: str):
        self.session, self.base_url = session, base_url


ODOO_ADAPTER = OdooAdapter()
