"""The Flask app of one Horus installation: its OAuth2 consent and token endpoint, and the REST
API under /api/v1 (folders, book years, accounts, analytical accounts, book entries, account
histories), paged by page/pageSize with a next link."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.horus.books import FolderBooks
from monitr_sandbox.horus.installations import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.horus.sandbox import HorusSandbox
from monitr_sandbox.horus.tokens import OAuthError
from monitr_sandbox.wire import client_credentials, consent_redirect, serve_faults

JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json; charset=utf-8"
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = {"type": f"https://httpstatuses.io/{status}", "title": title, "status": status,
            "detail": detail}
    return Response(json.dumps(body), status=status, headers=headers or {}, content_type=PROBLEM)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers or {}, content_type=JSON)


def create_app(sandbox: HorusSandbox) -> Flask:
    app = Flask("monitr_sandbox.horus")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return problem(error.code or 500, error.name, error.description or error.name)

    @app.errorhandler(Problem)
    def refused(error: Problem) -> Response:
        return problem(error.status, error.title, error.detail, error.headers)

    # --- OAuth2 on the installation's own host ----------------------------------------------------
    @app.get("/oauth2/authorize")
    def authorize() -> Response:
        """The consent page: the sandbox's Horus user logs in and allows access at once."""
        args = request.args
        refusal = _authorize_problem(args)
        if refusal:
            return Response(f"<html><body><h1>Error</h1><p>{refusal}</p></body></html>",
                            status=400, content_type="text/html; charset=utf-8")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args["redirect_uri"])
        return consent_redirect(args["redirect_uri"], code=code)

    @app.post("/oauth2/token")
    def token() -> Response:
        form = request.form
        try:
            if client_credentials() != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                raise OAuthError("invalid_client", "Unknown client or wrong secret.", 401)
            with sandbox.lock:
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""),
                                                        form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type")
        except OAuthError as exc:
            error = {"error": exc.error}
            if exc.description:
                error["error_description"] = exc.description
            return _json(error, exc.status)
        return _json(body, headers={"Cache-Control": "no-store"})

    # --- the API -----------------------------------------------------------------------------------------
    @app.get("/api/v1/folders")
    def folders() -> Response:
        return _answer(sandbox, None, lambda books: [sandbox.books(f.id).folder_record()
                                                     for f in sandbox.folders])

    @app.get("/api/v1/folders/<folder_id>")
    def folder(folder_id: str) -> Response:
        with sandbox.lock:
            headers = _authorised(sandbox)
            return _json(_books(sandbox, folder_id).folder_record(), headers=headers)

    @app.get("/api/v1/folders/<folder_id>/bookyears")
    def bookyears(folder_id: str) -> Response:
        return _answer(sandbox, folder_id, lambda books: books.bookyears())

    @app.get("/api/v1/folders/<folder_id>/accounts")
    def accounts(folder_id: str) -> Response:
        return _answer(sandbox, folder_id, lambda books: books.accounts())

    @app.get("/api/v1/folders/<folder_id>/analyticaccounts")
    def analytic_accounts(folder_id: str) -> Response:
        def read(books: FolderBooks) -> list[dict]:
            if not books.folder.analytics:
                raise Problem(403, "Forbidden", f"Analytical accounting is not active in "
                                                f"folder {folder_id}.")
            return books.analytic_accounts()
        return _answer(sandbox, folder_id, read)

    @app.get("/api/v1/folders/<folder_id>/bookentries")
    def book_entries(folder_id: str) -> Response:
        return _answer(sandbox, folder_id, lambda books: books.book_entries(_year(books)))

    @app.get("/api/v1/folders/<folder_id>/accounthistories")
    def account_histories(folder_id: str) -> Response:
        return _answer(sandbox, folder_id, lambda books: books.account_histories(_year(books)))

    return app


def _authorize_problem(args) -> str | None:
    if args.get("client_id") != SANDBOX_CLIENT_ID:
        return "unauthorized_client: unknown client_id"
    if args.get("response_type") != "code":
        return "unsupported_response_type"
    if not args.get("redirect_uri"):
        return "invalid_request: redirect_uri is required"
    return None


def _authorised(sandbox: HorusSandbox) -> dict[str, str]:
    """The bearer token checked and the call counted: the rate-limit headers of the answer."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not sandbox.tokens.valid(token.strip()):
        raise Problem(401, "Unauthorized", "The access token is missing, invalid or expired.",
                      {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    verdict = sandbox.limiter.spend()
    if not verdict.allowed:
        raise Problem(429, "Too Many Requests", "The installation's rate limit is exceeded; retry "
                      f"after {verdict.headers['Retry-After']} s.", verdict.headers)
    return verdict.headers


def _books(sandbox: HorusSandbox, folder_id: str) -> FolderBooks:
    if sandbox.visible_folder(folder_id) is None:
        raise Problem(404, "Folder not found", f"Folder {folder_id} was not found.")
    return sandbox.books(folder_id)


def _year(books: FolderBooks) -> int | None:
    raw = request.args.get("bookyearId")
    if raw is None:
        return None
    year = books.year_of(int(raw)) if raw.isdigit() else None
    if year is None:
        raise Problem(400, "Invalid book year", f"Book year {raw!r} does not exist in folder "
                                                f"{books.folder.id}.")
    return year


def _paging() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        size = int(request.args.get("pageSize", DEFAULT_PAGE_SIZE))
    except ValueError:
        raise Problem(400, "Invalid paging", "page and pageSize must be integers.") from None
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise Problem(400, "Invalid paging", f"page must be 1 or more and pageSize between 1 "
                                             f"and {MAX_PAGE_SIZE}.")
    return page, size


def _answer(sandbox: HorusSandbox, folder_id: str | None,
            read: Callable[[FolderBooks | None], list[dict]]) -> Response:
    """Authenticate, count the call, read the folder's list and answer the asked page of it."""
    with sandbox.lock:
        headers = _authorised(sandbox)
        page, size = _paging()
        items = read(_books(sandbox, folder_id) if folder_id is not None else None)
    count = len(items)
    pages = max(1, -(-count // size))
    following = None
    if page < pages:
        query = {**request.args.to_dict(), "page": page + 1, "pageSize": size}
        following = f"{request.base_url}?{urlencode(query)}"
    return _json({"data": items[(page - 1) * size: page * size],
                  "meta": {"page": page, "pageSize": size, "totalCount": count,
                           "pageCount": pages},
                  "links": {"self": request.url, "next": following}}, headers=headers)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    if fault.body is not None:
        return Response(fault.body, status=fault.status, headers=headers, content_type=JSON)
    titles = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests"}
    return problem(fault.status, titles.get(fault.status, "Injected"),
                   f"Injected fault {fault.status}.", headers)
