"""The Flask app of the e-Boekhouden sandbox: POST/DELETE /v1/session and the read API under /v1."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.eboekhouden.administration import ADMINISTRATION_GUID
from monitr_sandbox.eboekhouden.filters import FilterError, apply_filters
from monitr_sandbox.eboekhouden.sandbox import EBoekhoudenSandbox
from monitr_sandbox.eboekhouden.sessions import SessionRefused
from monitr_sandbox.faults import Fault
from monitr_sandbox.wire import serve_faults

_JSON = "application/json; charset=utf-8"
MAX_LIMIT, DEFAULT_LIMIT = 2000, 100  # swagger intro "Paging"; PAGE_001


class ApiError(Exception):
    """An error answered in e-Boekhouden's shape (swagger docs/Error.md, SecurityError.md)."""

    def __init__(self, status: int, title: str, code: str | None = None, message: str | None = None,
                 error_type: str = "validation", headers: dict[str, str] | None = None,
                 security_type: int | None = None):
        super().__init__(title)
        self.status, self.title, self.code, self.message = status, title, code, message
        self.error_type, self.headers, self.security_type = error_type, headers or {}, security_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.error_type, "title": self.title, "status": self.status,
                                "traceId": uuid.uuid4().hex}
        if self.code:
            body["code"] = self.code
        if self.message:
            body["message"] = self.message
        if self.security_type is not None:
            body["securityType"] = self.security_type
        return body


_NOT_AUTHENTICATED = dict(status=401, title="Unauthorized", code="SECURITY_010",
                          message="Not authenticated. Check your Authorization header.",
                          error_type="security")


def create_app(sandbox: EBoekhoudenSandbox) -> Flask:
    app = Flask("monitr_sandbox.eboekhouden")
    books = sandbox.books

    serve_faults(app, sandbox, lambda fault: _fault_response(fault))

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return _json(error.body(), error.status, error.headers)

    @app.errorhandler(FilterError)
    def filter_error(error: FilterError) -> Response:
        return api_error(ApiError(400, "Your request contains an invalid value.", "ERR_002", str(error)))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _json(ApiError(error.code or 500, error.name, error_type="http").body(), error.code or 500)

    # --- sessions -------------------------------------------------------------------------------
    @app.post("/v1/session")
    def start_session() -> Response:
        with sandbox.lock:
            _within_quota(sandbox)
            try:
                session = sandbox.sessions.start(request.get_json(silent=True))
            except SessionRefused as refused:
                raise ApiError(refused.status, refused.title, refused.code, refused.message,
                               "security" if refused.status == 403 else "validation",
                               security_type=1 if refused.status == 403 else None) from None
        return _json(session)

    @app.delete("/v1/session")
    def end_session() -> Response:
        with sandbox.lock:
            if not sandbox.sessions.end(request.headers.get("Authorization", "")):
                raise ApiError(**_NOT_AUTHENTICATED)
        return Response(status=200)

    # --- the read API ----------------------------------------------------------------------------
    def listing(path: str, rows: Callable[[], list[dict]], filters: dict[str, str]) -> None:
        def view() -> Response:
            _authenticate(sandbox)
            with sandbox.lock:
                return _page(apply_filters(rows(), request.args, filters))

        app.add_url_rule(path, endpoint=path, view_func=view, methods=["GET"])

    # The token belongs to one administration; /administration lists it, /linked the (none)
    # administrations linked to it (AdministrationApi.md).
    listing("/v1/administration",
            lambda: [{"guid": ADMINISTRATION_GUID, "company": sandbox.profile.name}], {})
    listing("/v1/administration/linked", lambda: [], {})
    listing("/v1/ledger", books.ledgers, {"code": "text", "category": "text"})
    listing("/v1/costcenter", books.cost_centres, {"parentId": "int", "description": "text"})
    listing("/v1/relation", books.relations, {"code": "text", "type": "text"})
    listing("/v1/mutation", books.list_items,
            {"type": "int", "id": "int", "invoiceNumber": "text", "date": "date"})

    @app.get("/v1/mutation/invoice/outstanding")
    def outstanding() -> Response:
        _authenticate(sandbox)
        cred_deb = request.args.get("credDeb")
        if cred_deb not in ("C", "D"):
            raise ApiError(400, "Your request contains an invalid value.", "ERR_002",
                           "credDeb must be 'C' (creditors) or 'D' (debtors).")
        with sandbox.lock:
            return _page(apply_filters(books.outstanding(cred_deb), request.args,
                                       {"invoiceNumber": "text"}))

    @app.get("/v1/mutation/<int:mutation_id>")
    def mutation(mutation_id: int) -> Response:
        _authenticate(sandbox)
        with sandbox.lock:
            detail = books.details().get(mutation_id)
        if detail is None:
            raise ApiError(404, "Mutation not found.", "MUT_300", error_type="notfound")
        return _json(detail)

    @app.get("/v1/ledger/<int:ledger_id>")
    def ledger(ledger_id: int) -> Response:
        return _single(sandbox, books.ledgers, ledger_id, "Ledger not found.", "LEDG_011")

    @app.get("/v1/costcenter/<int:centre_id>")
    def cost_centre(centre_id: int) -> Response:
        return _single(sandbox, books.cost_centres, centre_id, "Cost Center not found.", "COST_001")

    @app.route("/v1/<path:anything>", methods=["POST", "PATCH", "PUT", "DELETE"])
    def read_only(anything: str) -> Response:
        _authenticate(sandbox)
        raise ApiError(405, "The sandbox API is read-only.", error_type="http")

    return app


def _authenticate(sandbox: EBoekhoudenSandbox) -> None:
    """The session token is the whole Authorization header (no 'Bearer'); then the call counts."""
    if not sandbox.session_valid(request.headers.get("Authorization", "")):
        raise ApiError(**_NOT_AUTHENTICATED)
    _within_quota(sandbox)


def _within_quota(sandbox: EBoekhoudenSandbox) -> None:
    verdict = sandbox.count_api_call()
    if not verdict.allowed:
        raise ApiError(429, "Too many requests.", error_type="ratelimit",
                       headers={"Retry-After": verdict.headers["Retry-After"]})


def _page(rows: list[dict]) -> Response:
    """limit/offset paging; `count` is the number of matching items, the page is `items`."""
    limit = _int_arg("limit", DEFAULT_LIMIT)
    offset = _int_arg("offset", 0)
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "Limit must be between 1 and 2000.", "PAGE_001")
    if offset < 0:
        raise ApiError(400, "Offset must be greater than or equal to 0.", "PAGE_002")
    return _json({"items": rows[offset:offset + limit], "count": len(rows)})


def _single(sandbox: EBoekhoudenSandbox, rows: Callable[[], list[dict]], key: int, title: str,
            code: str) -> Response:
    _authenticate(sandbox)
    with sandbox.lock:
        found = next((row for row in rows() if row["id"] == key), None)
    if found is None:
        raise ApiError(404, title, code, error_type="notfound")
    return _json(found)


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, "Your request contains an invalid value.", "ERR_002",
                       f"{name} must be an integer.") from None


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, content_type=_JSON, headers=headers)


def _fault_response(fault: Fault) -> Response:
    if fault.body is not None:
        body = fault.body
    elif fault.status >= 400:
        body = json.dumps(ApiError(fault.status, f"Injected fault {fault.status}.",
                                   error_type="sandbox").body())
    else:
        body = ""
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers, content_type=None if has_type else _JSON)
