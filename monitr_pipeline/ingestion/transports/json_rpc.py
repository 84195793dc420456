"""Odoo's JSON-RPC: POST /jsonrpc {"jsonrpc": "2.0", "method": "call", "params": {"service",
"method", "args"}}; an endpoint declared as .../<model>/<method> with a JSON body of keyword
arguments is read as object.execute_kw(db, uid, key, model, method, [], kwargs), paged with
page by page as the endpoint's paginator says. Errors come as `error` inside an HTTP 200 and are raised as the
ProviderError every transport raises, with the status Odoo's JSON-2 gives the same exception.

The client's auth names the login: `client.auth.execute_kw_login(client)` -> (db, uid, key).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import requests

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import ProviderError

# Odoo exception -> HTTP status (its http_status, as Json2Dispatcher answers it); others 500.
_STATUS = {"odoo.exceptions.AccessDenied": 401, "odoo.exceptions.AccessError": 403,
           "odoo.exceptions.MissingError": 404, "odoo.exceptions.UserError": 422,
           "odoo.exceptions.ValidationError": 422, "odoo.exceptions.RedirectWarning": 422,
           "odoo.http.SessionExpiredException": 401}
_ids = itertools.count(1)


def call(session: requests.Session, base_url: str, service: str, method: str, args: list,
         hooks: Mapping[str, Any] | None = None, label: str = "Odoo") -> Any:
    """One JSON-RPC call; its `result`, or ProviderError for its `error`. A body that is not a
    JSON-RPC answer raises ValueError (a malformed page)."""
    target = f"{service}.{method}" + (f" {args[3]}.{args[4]}" if service == "object" else "")
    response = session.post(f"{base_url.rstrip('/')}/jsonrpc", hooks=dict(hooks or {}), json={
        "jsonrpc": "2.0", "method": "call", "id": next(_ids),
        "params": {"service": service, "method": method, "args": args}})
    if response.status_code >= 400:  # when no hook raised it already
        raise ProviderError(f"{label}: Odoo answered {response.status_code} on {target}",
                            status=response.status_code, reason=response.text[:300],
                            response=response)
    try:
        body = response.json()
    except ValueError:
        raise ValueError(f"the answer to {target} is not JSON") from None
    if not isinstance(body, dict) or not ("result" in body or "error" in body):
        raise ValueError(f"the answer to {target} is no JSON-RPC response")
    if "error" in body:
        error = body["error"] if isinstance(body["error"], dict) else {}
        data = error.get("data") if isinstance(error.get("data"), dict) else {}
        name = data.get("name") or ""
        reason = f"{name}: {data.get('message') or error.get('message')}" if name else str(
            error.get("message") or body["error"])
        status = 401 if error.get("code") == 100 else _STATUS.get(name, 500)
        raise ProviderError(f"{label}: Odoo raised an error on {target}: {reason}",
                            status=status, reason=reason, response=response)
    return body["result"]


class JsonRpcTransport:
    def pages(self, client: Any, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        database, uid, key = client.auth.execute_kw_login(client)
        model, method = request.path.rstrip("/").split("/")[-2:]
        # The endpoint's own paginator says what the next page's keyword arguments are (the
        # same one the REST transport follows), here on a request that is never sent as such.
        page = requests.Request(method="POST", json=dict(request.json or {}))
        paginator = request.paginator
        paginator.init_request(page)
        while True:
            result = call(client.session, client.base_url, "object", "execute_kw",
                          [database, uid, key, model, method, [], dict(page.json)], hooks,
                          label=str(run.entity))
            if not isinstance(result, list):
                raise ValueError(f"{model}.{method} answered {type(result).__name__}, not a list")
            yield result
            paginator.update_state(None, result)
            paginator.update_request(page)
            if not paginator.has_next_page:
                return

JSON_RPC = JsonRpcTransport()
