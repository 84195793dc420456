"""The Flask app of the Minox sandbox: app.minox.nl's consent page and token endpoint, token
introspection, and the REST API under /api/1 (per tenant and administration)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.minox.books import AdministrationBooks
from monitr_sandbox.minox.sandbox import MinoxSandbox
from monitr_sandbox.minox.tenants import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.minox.tokens import OAuthError
from monitr_sandbox.wire import client_credentials, consent_redirect, serve_faults

API = "/api/1"
ADMINISTRATION = f"{API}/tenant/<int:client_number>/administration/<int:administration_id>"
MAX_LIMIT, DEFAULT_LIMIT = 1000, 100
JSON = "application/json"

# Each list and the scope it needs (docs/scopes.rst of onetoweb/minox names the scopes; which
# scope guards receivables and payables is an assumption).
_LISTS: dict[str, tuple[str, Callable[[AdministrationBooks], list[dict[str, Any]]]]] = {
    "ledger_account": ("ledger_account:read", AdministrationBooks.ledger_accounts),
    "journal": ("journal:read", AdministrationBooks.journals),
    "cost_center": ("cost_center:read", AdministrationBooks.cost_centers),
    "cost_type": ("cost_type:read", AdministrationBooks.cost_types),
    "year": ("administration:read", AdministrationBooks.years),
    "receivable": ("customer:read", lambda books: books.open_items("receivable")),
    "payable": ("supplier:read", lambda books: books.open_items("payable")),
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def create_app(sandbox: MinoxSandbox) -> Flask:
    app = Flask("monitr_sandbox.minox")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _message(error.code or 500, error.description or error.name)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return _message(error.status, error.message, error.headers)

    # --- app.minox.nl/oauth -----------------------------------------------------------------------
    @app.get("/oauth/authorize")
    def authorize() -> Response:
        """The consent page: the main user signs in and approves. The sandbox signs in as the
        main user of the subscription `sandbox_login` names (the first one without it)."""
        args = request.args
        problem = _authorize_problem(args)
        if problem:
            return Response(f"<html><body><p>{problem}</p></body></html>", status=400,
                            content_type="text/html; charset=utf-8")
        login = args.get("sandbox_login")
        with sandbox.lock:
            try:
                found = sandbox.tenant(int(login)) if login else sandbox.tenants[0]
            except (KeyError, ValueError):
                return Response("<html><body><p>Onbekende gebruiker.</p></body></html>",
                                status=400, content_type="text/html; charset=utf-8")
            code = sandbox.tokens.issue_code(args["redirect_uri"], scopes=args["scope"].split(),
                                             client_number=found.client_number,
                                             user=found.main_user)
        return consent_redirect(args["redirect_uri"], code=code)

    @app.post("/oauth/token")
    def token() -> Response:
        # onetoweb/minox posts JSON; standard OAuth2 clients post a form. Both are accepted.
        body = request.get_json(silent=True) if request.is_json else request.form
        body = body or {}
        try:
            with sandbox.lock:
                client_id, secret = client_credentials()
                client_id = client_id or body.get("client_id")
                secret = secret or body.get("client_secret")
                if (client_id, secret) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                    raise OAuthError("invalid_client", "Client authentication failed.", 401)
                grant_type = body.get("grant_type")
                if grant_type == "authorization_code":
                    answer = sandbox.tokens.exchange_code(body.get("code", ""),
                                                          body.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    answer = sandbox.tokens.refresh(body.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type")
        except OAuthError as exc:
            return _json(exc.body(), exc.status)
        return _json(answer, headers={"Cache-Control": "no-store"})

    # --- /api/1 -----------------------------------------------------------------------------------
    @app.post(f"{API}/inspect")
    def inspect() -> Response:
        """Token introspection (onetoweb/minox Meta::inspect): the app authenticates with HTTP
        Basic and posts the token; the answer names the subscription (client_number)."""
        client_id, secret = client_credentials()
        if (client_id, secret) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
            raise ApiError(401, "Client authentication failed.")
        body = request.get_json(silent=True) or {}
        token_value = body.get("token") or request.form.get("token")
        if not token_value:
            raise ApiError(400, "The token field is required.")
        with sandbox.lock:
            return _json(sandbox.tokens.introspect(token_value))

    @app.get(f"{API}/tenant/<int:client_number>/administration")
    def administrations(client_number: int) -> Response:
        with sandbox.lock:
            headers = _authorised(sandbox, client_number, "administration:read")
            body = [{"id": a.id, "name": a.name} for a in
                    sandbox.visible_administrations(client_number)]
        return _json(body, headers=headers)

    @app.get(f"{ADMINISTRATION}/<resource>")
    def listing(client_number: int, administration_id: int, resource: str) -> Response:
        found = _LISTS.get(resource)
        if found is None:
            raise ApiError(404, "Not found.")
        scope, rows = found
        with sandbox.lock:
            headers = _authorised(sandbox, client_number, scope, administration_id)
            body = rows(sandbox.books(client_number, administration_id))
        return _json(_page(body), headers=headers)

    @app.get(f"{ADMINISTRATION}/year/<int:year>/transaction_lines")
    def transaction_lines(client_number: int, administration_id: int, year: int) -> Response:
        with sandbox.lock:
            headers = _authorised(sandbox, client_number, "transaction:read", administration_id)
            books = sandbox.books(client_number, administration_id)
            if not books.has_year(year):
                raise ApiError(404, f"Boekjaar {year} bestaat niet in administratie "
                                    f"{administration_id}.", headers)
            body = books.transaction_lines(year)
        return _json(_page(body), headers=headers)

    return app


def _authorize_problem(args) -> str | None:
    if args.get("client_id") != SANDBOX_CLIENT_ID:
        return "invalid_client: unknown client_id"
    if args.get("response_type") != "code":
        return "unsupported_response_type"
    if not args.get("redirect_uri"):
        return "invalid_request: redirect_uri is required"
    if not args.get("scope"):
        return "invalid_scope: at least one scope is required"
    return None


def _authorised(sandbox: MinoxSandbox, client_number: int, scope: str,
                administration_id: int | None = None) -> dict[str, str]:
    """Authenticate the bearer, check tenant, scope and administration, and count the call
    against the subscription's rate limit; the rate-limit headers every answer carries."""
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    grant = sandbox.tokens.grant_of(access_token.strip()) if scheme.lower() == "bearer" else None
    if grant is None:
        raise ApiError(401, "Unauthenticated.",
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if grant["client_number"] != client_number:
        raise ApiError(403, f"Geen toegang tot klantnummer {client_number}.")
    verdict = sandbox.rate_limits.spend(client_number)
    if not verdict.allowed:
        raise ApiError(429, "Too Many Attempts.", verdict.headers)
    if scope not in grant["scopes"]:
        raise ApiError(403, f"Invalid scope(s) provided: {scope} is required.", verdict.headers)
    if administration_id is not None and administration_id not in {
            a.id for a in sandbox.visible_administrations(client_number)}:
        raise ApiError(404, f"Administratie {administration_id} niet gevonden.", verdict.headers)
    return verdict.headers


def _page(rows: list[Any]) -> list[Any]:
    """limit/offset paging of a list (assumed names; see the client's paging.py)."""
    try:
        limit = int(request.args.get("limit", DEFAULT_LIMIT))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise ApiError(422, "limit and offset must be integers.") from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ApiError(422, f"limit must be between 1 and {MAX_LIMIT}; offset at least 0.")
    return rows[offset:offset + limit]


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers or {},
                    content_type=JSON)


def _message(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Minox's error shape as assumed: {"message": ...} (onetoweb/minox's client reads a bare
    JSON value as {"message": value}, and so does Monitr's client)."""
    return _json({"message": message}, status, headers)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
        headers.setdefault("x-rate-limit-remaining", "0")
    body = fault.body if fault.body is not None else json.dumps(
        {"message": f"Injected fault {fault.status}."})
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else JSON)
