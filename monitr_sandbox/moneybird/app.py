"""The Flask app of the Moneybird sandbox: OAuth2 on /oauth, the REST API under /api/v2."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.moneybird.administrations import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from monitr_sandbox.moneybird.books import AdministrationBooks
from monitr_sandbox.moneybird.documents import (
    JOURNAL_DOCUMENTS,
    MUTATIONS,
    PURCHASE_INVOICES,
    SALES_INVOICES,
    Rendered,
)
from monitr_sandbox.moneybird.filters import FilterError, parse_filter, period_range
from monitr_sandbox.moneybird.sandbox import MoneybirdSandbox
from monitr_sandbox.moneybird.tokens import OAuthError
from monitr_sandbox.wire import client_credentials, consent_redirect, serve_faults

_JSON = "application/json; charset=utf-8"
SCOPES = ("sales_invoices", "documents", "estimates", "bank", "time_entries", "settings")
DEFAULT_PER_PAGE = 25  # "Each page contains 25 projects"
MAX_PER_PAGE = 100


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 symbolic: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.symbolic = status, message, symbolic
        self.headers = headers or {}


def _projects_in_state() -> Callable[[dict], bool]:
    """`filter=state:all|active|archived`; without a filter only active projects are listed."""
    try:
        state = parse_filter(request.args.get("filter")).get("state", "active")
    except FilterError as exc:
        raise ApiError(400, str(exc)) from None
    return lambda project: state == "all" or project["state"] == state


def _assets_by_activity() -> Callable[[dict], bool]:
    """`active` defaults to true: assets without a disposal; false lists the disposed ones."""
    active = request.args.get("active", "true").lower() != "false"
    return lambda asset: (asset["disposal"] is None) == active


@dataclass(frozen=True)
class Resource:
    """One API path under /api/v2/{administration_id}/ and the scopes that open it (any of)."""

    scopes: tuple[str, ...]
    list_rows: Callable[[AdministrationBooks], list[dict]] | None = None  # GET, paginated or not
    paginated: bool = False
    row_filter: Callable[[], Callable[[dict], bool]] | None = None  # from the request's parameters
    kind: str | None = None  # a synchronization endpoint of this document kind


RESOURCES: dict[str, Resource] = {
    "ledger_accounts": Resource(("settings", "sales_invoices", "documents", "estimates"),
                                AdministrationBooks.ledger_accounts),
    "projects": Resource(("settings",), AdministrationBooks.projects, paginated=True,
                         row_filter=_projects_in_state),
    "assets": Resource(("documents",), AdministrationBooks.assets, paginated=True,
                       row_filter=_assets_by_activity),
    "sales_invoices/synchronization": Resource(("sales_invoices",), kind=SALES_INVOICES),
    "documents/purchase_invoices/synchronization": Resource(("documents",), kind=PURCHASE_INVOICES),
    "documents/general_journal_documents/synchronization": Resource(("documents",),
                                                                    kind=JOURNAL_DOCUMENTS),
    "financial_mutations/synchronization": Resource(("bank",), kind=MUTATIONS),
}


def create_app(sandbox: MoneybirdSandbox) -> Flask:
    app = Flask("monitr_sandbox.moneybird")

    serve_faults(app, sandbox, lambda fault: _fault_response(fault, sandbox.clock()))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _json({"error": error.description or error.name}, error.code or 500)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        body: dict[str, Any] = {"error": error.message}
        if error.symbolic:
            body["symbolic"] = error.symbolic
        return _json(body, error.status, error.headers)

    # --- OAuth2 ----------------------------------------------------------------------------------
    @app.get("/oauth/authorize")
    def authorize() -> Response:
        """The consent page: the sandbox user approves at once and is sent back with a code."""
        redirect_uri = request.args.get("redirect_uri")
        scopes = request.args.get("scope", "sales_invoices").split()  # Moneybird's default scope
        if request.args.get("client_id") != SANDBOX_CLIENT_ID:
            raise ApiError(400, "Client authentication failed due to unknown client.")
        if not redirect_uri or request.args.get("response_type") != "code":
            raise ApiError(400, "The request is missing a required parameter (redirect_uri, "
                                "response_type=code).")
        if not scopes or set(scopes) - set(SCOPES):
            raise ApiError(400, "The requested scope is invalid, unknown, or malformed.")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(redirect_uri, scopes=scopes)
        return consent_redirect(redirect_uri, code=code)

    @app.post("/oauth/token")
    def token() -> Response:
        form = request.form
        client_id, client_secret = client_credentials()
        try:
            if (client_id, client_secret) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                raise OAuthError("invalid_client", "Client authentication failed due to unknown "
                                 "client, no client authentication included, or unsupported "
                                 "authentication method.", status=401)
            with sandbox.lock:
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""), form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type", "The authorization grant type is not "
                                                               "supported by the authorization server.")
            status = 200
        except OAuthError as exc:
            body, status = {"error": exc.error, "error_description": exc.description}, exc.status
        return _json(body, status, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    # --- REST API ----------------------------------------------------------------------------------
    @app.route("/api/v2/<path:target>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
    def api(target: str) -> Response:
        path = _without_format(target)
        if path == "administrations":
            return _call(sandbox, None, (), lambda: ([
                sandbox.books(a).administration_record() for a in sandbox.visible_administrations
            ], {}))
        administration_id, _, resource_path = path.partition("/")
        resource = RESOURCES.get(resource_path)
        if resource is None:
            raise ApiError(404, "Not found")
        return _call(sandbox, administration_id, resource.scopes,
                     lambda: _serve(sandbox.books(administration_id), resource))

    return app


def _without_format(target: str) -> str:
    """`{format}` is `.json`, `.xml` or empty (JSON by default); the sandbox speaks JSON only."""
    if target.endswith(".xml"):
        raise ApiError(406, "The sandbox serves JSON only")
    return target.removesuffix(".json")


def _call(sandbox: MoneybirdSandbox, administration_id: str | None, scopes: tuple[str, ...],
          answer: Callable[[], tuple[Any, dict[str, str]]]) -> Response:
    """Authenticate, count the request, check scope and administration, then answer."""
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    with sandbox.lock:
        grant = sandbox.tokens.grant_of(access_token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise ApiError(401, "The access token is invalid, expired or revoked",
                           {"WWW-Authenticate": 'Bearer realm="Moneybird", error="invalid_token"'})
        grant_id, granted = grant
        verdict = sandbox.rate_limiter.hit(grant_id)
        if not verdict.allowed:
            return _json("Retry later", 429, verdict.headers)
        if scopes and not set(scopes) & set(granted):
            raise ApiError(401, f"No access to {' or '.join(scopes)}", verdict.headers)
        # Unknown, deleted, or the user's access withdrawn: Moneybird does not tell them apart.
        if administration_id is not None and not sandbox.administration_visible(administration_id):
            raise ApiError(404, "record not found", verdict.headers, {"administration_id": "not_found"})
        body, headers = answer()
    return _json(body, 200, {**verdict.headers, **headers})


def _serve(books: AdministrationBooks, resource: Resource) -> tuple[Any, dict[str, str]]:
    if resource.kind is None:
        if request.method != "GET":
            raise ApiError(405, "Method not allowed")
        rows = resource.list_rows(books)
        if resource.row_filter:
            rows = list(filter(resource.row_filter(), rows))
        return _page(rows) if resource.paginated else (rows, {})
    if request.method == "GET":
        return books.versions(resource.kind, _document_filter(books, resource.kind)), {}
    if request.method == "POST":
        return books.fetch(resource.kind, _posted_ids()), {}
    raise ApiError(405, "Method not allowed")


def _document_filter(books: AdministrationBooks, kind: str) -> Callable[[Rendered], bool]:
    """`period` (default this_year) and, where documents have one, `state` (default all)."""
    try:
        terms = parse_filter(request.args.get("filter"))
        first, last = period_range(terms.get("period", "this_year"), books.today)
    except FilterError as exc:
        raise ApiError(400, str(exc)) from None
    states = set(terms.get("state", "all").split("|")) - {"all"}
    if kind == JOURNAL_DOCUMENTS:
        states = set()
    return lambda document: first <= document.date <= last and (
        not states or document.state in states)


def _posted_ids() -> list[str]:
    body = request.get_json(silent=True)
    ids = body.get("ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, (str, int)) and not isinstance(i, bool)
                                            for i in ids):
        raise ApiError(400, "ids is required and must be an array of ids", symbolic={"ids": "required"})
    return [str(i) for i in ids]


def _page(rows: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """page/per_page with Link (first, prev, next, last) and X-Total-Count headers."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        raise ApiError(400, "page and per_page must be numbers") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(400, f"per_page must be between 1 and {MAX_PER_PAGE}, page at least 1")
    last = max(1, math.ceil(len(rows) / per_page))

    def link(number: int, rel: str) -> str:
        params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
        params += [("page", str(number)), ("per_page", str(per_page))]
        return f'<{request.base_url}?{urlencode(params)}>; rel="{rel}"'

    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
    links.append(link(last, "last"))
    return rows[(page - 1) * per_page:page * per_page], {"Link": ", ".join(links),
                                                         "X-Total-Count": str(len(rows))}


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, content_type=_JSON, headers=headers)


def _fault_response(fault: Fault, now: float) -> Response:
    headers = dict(fault.headers)
    if fault.body is not None:
        body = fault.body
    elif fault.status == 429:
        body = json.dumps("Retry later")
    else:
        body = json.dumps({"error": f"Injected fault {fault.status}"}) if fault.status >= 400 else ""
    if fault.status == 429:
        # Look like Moneybird's own 429 unless the test says otherwise: quota spent until reset.
        headers.setdefault("Retry-After", "1")
        headers.setdefault("RateLimit-Limit", "150")
        headers.setdefault("RateLimit-Remaining", "0")
        retry_after = headers["Retry-After"]
        if retry_after.isdigit():
            headers.setdefault("RateLimit-Reset", str(math.ceil(now) + int(retry_after)))
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else _JSON)

