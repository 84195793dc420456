"""The Flask app of the Exact sandbox: Exact's OAuth2 paths and its REST/OData API under /api/v1."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.exact_online import data, odata
from monitr_sandbox.exact_online.endpoints import DIVISIONS, ENTITY_SETS, ME, EntitySet
from monitr_sandbox.exact_online.environments import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from monitr_sandbox.exact_online.odata import ODataError
from monitr_sandbox.exact_online.sandbox import ExactSandbox
from monitr_sandbox.exact_online.tokens import OAuthError
from monitr_sandbox.faults import Fault
from monitr_sandbox.wire import client_credentials, consent_redirect, serve_faults

_JSON = "application/json; charset=utf-8"
_ATOM = "application/atom+xml; charset=utf-8"
# Keep OData's punctuation readable in __next, as Exact does ($skiptoken=guid'...').
_URL_SAFE = "$,'()"


def create_app(sandbox: ExactSandbox) -> Flask:
    app = Flask("monitr_sandbox.exact_online")
    app.config["EXACT_SANDBOX"] = sandbox

    serve_faults(app, sandbox, lambda fault: _fault_response(fault, sandbox.clock()))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _error(error.description or error.name, error.code or 500)

    # --- OAuth2 -----------------------------------------------------------------------------------
    @app.get("/api/oauth2/auth")
    def authorize() -> Response:
        """The consent page: the sandbox user approves at once and is sent back with a code."""
        if request.args.get("client_id") != SANDBOX_CLIENT_ID:
            return _error("Unknown client_id.", 400)
        redirect_uri = request.args.get("redirect_uri")
        if not redirect_uri:
            return _error("redirect_uri is required.", 400)
        if request.args.get("response_type") != "code":
            return _error("response_type must be 'code'.", 400)
        with sandbox.lock:
            code = sandbox.tokens.issue_code(redirect_uri)
        return consent_redirect(redirect_uri, code=code)

    @app.post("/api/oauth2/token")
    def token() -> Response:
        form = request.form
        client_id, client_secret = client_credentials()
        try:
            if (client_id, client_secret) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                raise OAuthError("invalid_client", "Unknown client or wrong client secret.")
            with sandbox.lock:
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""), form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported.")
        except OAuthError as exc:
            body, status = {"error": exc.error, "error_description": exc.description}, 400
        else:
            status = 200
        return Response(json.dumps(body), status=status, content_type=_JSON,
                        headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    # --- REST API ---------------------------------------------------------------------------------
    @app.get("/api/v1/current/Me")
    def me() -> Response:
        def rows() -> list[dict]:
            return [data.me_row(data.SANDBOX_USER_ID, sandbox.division(sandbox.current_division()))]

        # Me is throttled per user rather than per division.
        return _api(sandbox, ("user", data.SANDBOX_USER_ID), "current", ME, rows, check_division=False)

    @app.route("/api/v1/<division>/<path:resource>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    def api(division: str, resource: str) -> Response:
        if not division.isdigit():
            return _error(f"Invalid division '{division}'.", 400)
        code = int(division)
        if resource.lower() == DIVISIONS.path.lower():
            def divisions() -> list[dict]:
                visible = sandbox.divisions
                current = sandbox.current_division()
                return [data.division_row(d, current=d.code == current, main=d.hid == 1) for d in visible]

            # The division in this URL is not checked (picqer/exact-php-client#470).
            return _api(sandbox, code, division, DIVISIONS, divisions, check_division=False)
        entity_set = ENTITY_SETS.get(resource.lower())
        if entity_set is None:
            return _error(f"Resource not found for the segment '{resource}'.", 404)
        return _api(sandbox, code, division, entity_set, lambda: sandbox.feed(code).rows(entity_set.entity))

    return app


def _api(sandbox: ExactSandbox, quota_key: object, division: str, entity_set: EntitySet,
         rows: Callable[[], list[dict]], *, check_division: bool = True) -> Response:
    """Authenticate, authorise the division, count the call, then answer the OData query."""
    if request.method != "GET":
        return _error("The sandbox API is read-only.", 405)
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    with sandbox.lock:
        if scheme.lower() != "bearer" or not sandbox.tokens.access_valid(access_token.strip()):
            return _error("Unauthorized: the access token is missing, invalid or expired.", 401,
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if check_division and not sandbox.can_access(int(division)):
            return _error(f"You do not have access to division {division}.", 403,
                          {"Reason": "NoDivisionAccess"})
        verdict = sandbox.rate_limiter.hit(quota_key)
        if not verdict.allowed:
            return _error("API rate limit exceeded.", 429, verdict.headers)
        try:
            payload = _listing(entity_set, division, rows())
        except ODataError as exc:
            return _error(exc.message, exc.status, verdict.headers)
    if _wants_json():
        return Response(json.dumps(payload), content_type=_JSON, headers=verdict.headers)
    return Response(_as_atom(entity_set, payload), content_type=_ATOM, headers=verdict.headers)


def _listing(entity_set: EntitySet, division: str, rows: list[dict]) -> dict[str, Any]:
    """One page of `rows` for the request's query options, as Exact's `{"d": {...}}` JSON."""
    query = odata.parse_query(request.args, entity_set.fields, entity_set.type_name,
                              select_required=entity_set is not ME)
    if entity_set.sync:
        _check_sync_filter(query)
    if entity_set.filter_required and not query.conditions:
        raise ODataError(f"A $filter is mandatory on {entity_set.path}; use its sync endpoint "
                         "for full reads.")
    key = entity_set.key
    limit = entity_set.page_size if query.top is None else min(entity_set.page_size, query.top)
    if entity_set.sync:
        selected = _sync_page(rows, query, limit)
    else:
        selected = sorted((row for row in rows if odata.matches(row, query.conditions)),
                          key=lambda row: _order(row[key]))
        if query.skiptoken is not None:
            selected = [row for row in selected
                        if _order(row[key]) > _order(query.skiptoken.value)]
    page = selected[:limit]
    base = request.host_url.rstrip("/")
    results = []
    for row in page:
        uri = f"{base}/api/v1/{division}/{entity_set.path}({odata.literal(row[key])})"
        results.append({"__metadata": {"uri": uri, "type": entity_set.type_name},
                        **odata.project(row, query.select or entity_set.fields)})
    body: dict[str, Any] = {"results": results}
    remaining_top = None if query.top is None else query.top - len(page)
    if len(selected) > len(page) and remaining_top != 0 and page:
        body["__next"] = _next_url(odata.literal(page[-1][key]), remaining_top)
    return {"d": body}


def _sync_page(rows: list[dict], query: odata.Query, limit: int) -> list[dict]:
    """The rows after the filter's and the skiptoken's Timestamp, one more than a page (which
    says whether a next page exists). Sync rows are sorted by Timestamp, so this bisects instead
    of scanning the division for every page (which made a large read quadratic)."""
    after = [c.value.value for c in query.conditions]
    if query.skiptoken is not None:
        after.append(query.skiptoken.value)
    start = bisect_right(rows, max(after), key=lambda row: row["Timestamp"]) if after else 0
    return rows[start:start + limit + 1]


def _check_sync_filter(query: odata.Query) -> None:
    """Sync endpoints accept exactly one filter: `Timestamp gt <Int64>L`."""
    if not query.conditions:
        return
    condition = query.conditions[0]
    if len(query.conditions) > 1 or condition.field != "Timestamp" or condition.op != "gt":
        raise ODataError("Only the filter 'Timestamp gt <value>L' is supported on sync endpoints.")
    if condition.value.edm != "Edm.Int64":
        raise ODataError(f"Operator 'gt' incompatible with operand types 'System.Int64' and "
                         f"'{condition.value.edm.replace('Edm.', 'System.')}'.")


def _order(value: Any) -> Any:
    # GUID keys page in their text order; skiptoken GUIDs arrive as lowercase text.
    return str(value) if not isinstance(value, (int, float)) else value


def _next_url(skiptoken: str, remaining_top: int | None) -> str:
    params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("$skiptoken", "$top")]
    if remaining_top is not None:
        params.append(("$top", str(remaining_top)))
    params.append(("$skiptoken", skiptoken))
    return f"{request.base_url}?{urlencode(params, quote_via=quote, safe=_URL_SAFE)}"


def _wants_json() -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _as_atom(entity_set: EntitySet, payload: dict[str, Any]) -> str:
    entries = [(row["__metadata"]["uri"], row["__metadata"]["type"],
                {k: v for k, v in row.items() if k != "__metadata"})
               for row in payload["d"]["results"]]
    return odata.atom_feed(entity_set.entity, entries)


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    if request.path.startswith("/api/v1/") and not _wants_json():
        return Response(odata.atom_error(message), status=status, content_type=_ATOM, headers=headers)
    return Response(json.dumps(odata.error_body(message)), status=status, content_type=_JSON,
                    headers=headers)


def _fault_response(fault: Fault, now: float) -> Response:
    if fault.body is not None:
        body = fault.body
    else:
        body = json.dumps(odata.error_body(f"Injected fault {fault.status}.")) if fault.status >= 400 else ""
    headers = dict(fault.headers)
    if fault.status == 429:
        # Look like Exact's own 429 unless the test says otherwise: minutely headers, quota spent.
        headers.setdefault("Retry-After", "1")
        headers.setdefault("X-RateLimit-Minutely-Limit", "60")
        headers.setdefault("X-RateLimit-Minutely-Remaining", "0")
        retry_after = headers["Retry-After"]
        if retry_after.isdigit():  # a test may script an HTTP-date Retry-After instead
            headers.setdefault("X-RateLimit-Minutely-Reset", str(int((now + int(retry_after)) * 1000)))
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else _JSON)
