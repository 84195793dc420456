"""The Flask app of the Odoo sandbox: JSON-RPC (POST /jsonrpc), JSON-2 (POST /json/2/<model>/<method>)
and GET /web/version."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request

from monitr_sandbox.faults import Fault
from monitr_sandbox.odoo import errors
from monitr_sandbox.odoo.companies import SERVER_VERSION, SERVER_VERSION_INFO
from monitr_sandbox.odoo.errors import OdooError, jsonrpc_error
from monitr_sandbox.odoo.sandbox import OdooSandbox
from monitr_sandbox.wire import serve_faults

_JSON = "application/json; charset=utf-8"


def create_app(sandbox: OdooSandbox) -> Flask:
    app = Flask("monitr_sandbox.odoo")
    serve_faults(app, sandbox, _fault_response, target=_fault_target)

    @app.get("/web/version")
    def version() -> Response:
        return _json({"version": SERVER_VERSION, "version_info": SERVER_VERSION_INFO})

    @app.post("/jsonrpc")
    def jsonrpc() -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("params"), dict):
            return _json(OdooError(errors.VALUE_ERROR, "Invalid JSON-RPC request",
                                   400).serialized(), 400)
        request_id = body.get("id")
        params = body["params"]
        try:
            result = _dispatch(sandbox, params.get("service"), params.get("method"),
                               params.get("args") or [])
        except OdooError as error:
            return _json(jsonrpc_error(request_id, error))
        return _json({"jsonrpc": "2.0", "id": request_id, "result": result})

    @app.post("/json/2/<model>/<method>")
    def json2(model: str, method: str) -> Response:
        body = request.get_json(silent=True)
        context = body.get("context") if isinstance(body, dict) else None
        try:
            _json2_authenticate(sandbox)
            if not isinstance(body, dict):
                raise OdooError("werkzeug.exceptions.BadRequest",
                                "The request body must be a JSON object.", 400)
            kwargs = {k: v for k, v in body.items() if k != "ids"}
            args = [body["ids"]] if method == "read" and "ids" in body else []
            result = sandbox.call(model, method, args, kwargs)
        except OdooError as error:
            return _json(error.serialized(context if isinstance(context, dict) else {}),
                         error.status)
        return _json(result)

    return app


def _dispatch(sandbox: OdooSandbox, service: Any, method: Any, args: list) -> Any:
    if service == "common":
        if method == "version":
            return {"server_version": SERVER_VERSION, "server_version_info": SERVER_VERSION_INFO,
                    "server_serie": SERVER_VERSION, "protocol_version": 1}
        if method in ("authenticate", "login"):
            database, login, key = (list(args) + [None] * 3)[:3]
            return sandbox.authenticate(database, login, key)
    if service == "object" and method in ("execute_kw", "execute"):
        if len(args) < 5:
            raise OdooError("builtins.TypeError", f"{method}() missing required arguments", 500)
        database, uid, key, model, call = args[:5]
        sandbox.check_database(database)
        if uid != sandbox.uid or not sandbox.key_valid(key):
            raise errors.access_denied()
        if method == "execute_kw":
            call_args = args[5] if len(args) > 5 else []
            call_kwargs = args[6] if len(args) > 6 else {}
        else:
            call_args, call_kwargs = list(args[5:]), {}
        if not isinstance(call_args, list) or not isinstance(call_kwargs, dict):
            raise OdooError("builtins.TypeError", "execute_kw takes a list of arguments and a "
                            "dict of keyword arguments", 500)
        return sandbox.call(model, call, call_args, call_kwargs)
    raise OdooError("builtins.NameError", f"The method {method!r} does not exist on the service "
                    f"{service!r}", 500)


def _json2_authenticate(sandbox: OdooSandbox) -> None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    database = request.headers.get("X-Odoo-Database")
    if database is not None and database != sandbox.database_name:
        raise OdooError(errors.NOT_FOUND, "404 Not Found: database not found", 404)
    if scheme.lower() != "bearer" or not sandbox.key_valid(key.strip()):
        raise OdooError(errors.UNAUTHORIZED, "Invalid apikey", 401)


def _fault_target() -> tuple[str, str]:
    """The path and query a fault is matched against. JSON-RPC has one path for every call, so
    its service, method, model and model method stand in for a query:
    /jsonrpc?service=object&method=execute_kw&model=account.move.line&call=search_read."""
    if request.path != "/jsonrpc":
        return request.path, request.query_string.decode("latin-1")
    params = (request.get_json(silent=True) or {}).get("params") or {}
    args = params.get("args") or [] if isinstance(params, dict) else []
    query = {"service": params.get("service"), "method": params.get("method")}
    if query["service"] == "object" and len(args) >= 5:
        query.update(model=args[3], call=args[4])
    return request.path, urlencode({k: v for k, v in query.items() if v is not None})


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    if fault.body is not None:
        body = fault.body
    elif request.path == "/jsonrpc" and fault.status == 200:
        # A server error inside a 200, as Odoo answers every JSON-RPC failure.
        request_id = (request.get_json(silent=True) or {}).get("id")
        body = json.dumps(jsonrpc_error(request_id, OdooError(
            "odoo.exceptions.UserError", "Injected fault: the server raised an error.")))
    else:
        body = json.dumps(OdooError(f"werkzeug.exceptions.{_STATUS_NAMES.get(fault.status, 'HTTPException')}",
                                    f"Injected fault {fault.status}.", fault.status).serialized())
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else _JSON)


_STATUS_NAMES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
                 429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway",
                 503: "ServiceUnavailable", 504: "GatewayTimeout"}


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type=_JSON)
