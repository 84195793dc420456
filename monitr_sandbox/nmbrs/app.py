"""The Flask app of the Nmbrs sandbox: the identity service's consent page and token endpoint,
and the REST API under /api (debtors, companies, employees and their history lists)."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.nmbrs.companies import (
    DEBTOR_ID,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_SUBSCRIPTION_KEY,
    Company,
)
from monitr_sandbox.nmbrs.sandbox import SANDBOX_USER, NmbrsSandbox
from monitr_sandbox.nmbrs.tokens import OAuthError
from monitr_sandbox.wire import client_credentials, consent_redirect, serve_faults

MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 100, 100
JSON = "application/json"
# Each history list and the scope that guards it (API_FACTS.md section 15 names the scopes; which
# guards which is assumed).
HISTORIES = {"employments": "employee.employment.read", "contracts": "employee.employment.read",
             "schedules": "employee.employment.read", "departments": "employee.employment.read",
             "functions": "employee.employment.read", "salaries": "employee.payment.read"}


class ApiError(Exception):
    """Nmbrs' error shape {title, detail, code} with its status (and headers: Retry-After)."""

    def __init__(self, status: int, title: str, detail: str, code: str,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.code = status, title, detail, code
        self.headers = headers or {}


def create_app(sandbox: NmbrsSandbox) -> Flask:
    app = Flask("monitr_sandbox.nmbrs")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _problem(error.code or 500, error.name, error.description or error.name,
                        error.name.replace(" ", ""))

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return _problem(error.status, error.title, error.detail, error.code, error.headers)

    # --- identityservice.nmbrs.com ---------------------------------------------------------------
    @app.get("/connect/authorize")
    def authorize() -> Response:
        """The consent page: the sandbox's accountant is signed in and approves at once."""
        args = request.args
        problem = _authorize_problem(args)
        if problem:
            return Response(f"<html><body><p>{problem}</p></body></html>", status=400,
                            content_type="text/html; charset=utf-8")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args["redirect_uri"], scopes=args["scope"].split(),
                                             user=SANDBOX_USER)
        return consent_redirect(args["redirect_uri"], code=code)

    @app.post("/connect/token")
    def token() -> Response:
        form = request.form
        try:
            with sandbox.lock:
                client_id, secret = client_credentials()
                if (client_id, secret) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                    raise OAuthError("invalid_client", status=400)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    answer = sandbox.tokens.exchange_code(form.get("code", ""),
                                                          form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    answer = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type")
        except OAuthError as exc:
            return _json(exc.body(), exc.status)
        return _json(answer, headers={"Cache-Control": "no-store"})

    # --- api.nmbrsapp.com/api --------------------------------------------------------------------
    @app.get("/api/debtors")
    def debtors() -> Response:
        with sandbox.lock:
            _authorised(sandbox, "company.info.read")
            return _json(_page([{"debtorId": DEBTOR_ID, "number": 1,
                                 "name": "Demo Accountancy (sandbox)"}]))

    @app.get("/api/debtors/<debtor_id>/companies")
    def debtor_companies(debtor_id: str) -> Response:
        with sandbox.lock:
            _authorised(sandbox, "company.info.read")
            if debtor_id != DEBTOR_ID:
                raise ApiError(404, "Not Found", f"Debtor {debtor_id} was not found.",
                               "DebtorNotFound")
            return _json(_page([c.summary() for c in sandbox.companies()]))

    @app.get("/api/companies")
    def companies() -> Response:
        with sandbox.lock:
            _authorised(sandbox, "company.info.read")
            return _json(_page([c.summary() for c in sandbox.companies()]))

    @app.get("/api/companies/<company_id>/employees")
    def employees(company_id: str) -> Response:
        with sandbox.lock:
            _authorised(sandbox, "employee.info.read")
            company = _company(sandbox, company_id)
            rows = [{"employeeId": e.employee_id, "employeeBasicInfo": dict(e.basic_info)}
                    for e in _selected(company)
                    if request.args.get("employeeType") in (None, e.basic_info["employeeType"])]
            return _json(_page(rows))

    @app.get("/api/companies/<company_id>/employees/<resource>")
    def history(company_id: str, resource: str) -> Response:
        scope = HISTORIES.get(resource)
        if scope is None:
            raise ApiError(404, "Not Found", f"No resource {resource}.", "ResourceNotFound")
        with sandbox.lock:
            _authorised(sandbox, scope)
            company = _company(sandbox, company_id)
            rows = [{"employeeId": e.employee_id,
                     resource: [json.loads(json.dumps(r)) for r in _history(e, resource)]}
                    for e in _selected(company)]
            return _json(_page(rows))

    return app


def _history(employee, resource: str) -> list[dict[str, Any]]:
    return [] if resource == "functions" else employee.history(resource)


def _selected(company: Company) -> list:
    wanted = request.args.get("employeeId")
    return [e for e in company.employees if wanted in (None, "", e.employee_id)]


def _authorize_problem(args) -> str | None:
    if args.get("client_id") != SANDBOX_CLIENT_ID:
        return "invalid_client"
    if args.get("response_type") != "code":
        return "unsupported_response_type"
    if not args.get("redirect_uri"):
        return "invalid_request: redirect_uri"
    if not args.get("scope"):
        return "invalid_scope"
    return None


def _authorised(sandbox: NmbrsSandbox, scope: str) -> None:
    """The gateway's subscription key, then the bearer token, the subscription's rate limit and
    the token's scope."""
    key = request.headers.get("X-Subscription-Key")
    if key != SANDBOX_SUBSCRIPTION_KEY:
        raise ApiError(401, "Unauthorized",
                       "Access denied due to missing or invalid subscription key. Make sure to "
                       "provide a valid key for an active subscription.",
                       "InvalidSubscriptionKey")
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    grant = sandbox.tokens.grant_of(access_token.strip()) if scheme.lower() == "bearer" else None
    if grant is None:
        raise ApiError(401, "Unauthorized", "The access token is missing, invalid or expired.",
                       "InvalidToken", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    wait = sandbox.spend_call()
    if wait is not None:
        seconds = math.ceil(wait)
        raise ApiError(429, "Too Many Requests",
                       f"Rate limit is exceeded. Try again in {seconds} seconds.",
                       "RateLimitExceeded", {"Retry-After": str(seconds)})
    if scope not in grant["scopes"]:
        raise ApiError(403, "Forbidden", f"The scope {scope} is required.", "InsufficientScope")


def _company(sandbox: NmbrsSandbox, company_id: str) -> Company:
    if company_id not in {c.company_id for c in sandbox.companies()}:
        raise ApiError(403, "Forbidden", f"You do not have access to company {company_id}.",
                       "CompanyAccessDenied")
    return sandbox.company(company_id)


def _page(rows: list[Any]) -> dict[str, Any]:
    """pageNumber (1-based) and pageSize (at most 100): {"data", "pagination"}."""
    try:
        number = int(request.args.get("pageNumber", 1))
        size = int(request.args.get("pageSize", DEFAULT_PAGE_SIZE))
    except ValueError:
        raise ApiError(400, "Bad Request", "pageNumber and pageSize must be integers.",
                       "InvalidPaging") from None
    if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(400, "Bad Request", f"pageNumber must be at least 1 and pageSize "
                                           f"between 1 and {MAX_PAGE_SIZE}.", "InvalidPaging")
    total_pages = math.ceil(len(rows) / size)
    return {"data": rows[(number - 1) * size:number * size],
            "pagination": {"pageNumber": number, "pageSize": size, "totalPages": total_pages,
                           "totalRecords": len(rows)}}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers or {},
                    content_type=JSON)


def _problem(status: int, title: str, detail: str, code: str,
             headers: dict[str, str] | None = None) -> Response:
    return _json({"title": title, "detail": detail, "code": code}, status, headers)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    body = fault.body if fault.body is not None else json.dumps(
        {"title": "Injected fault", "detail": f"Injected fault {fault.status}.",
         "code": "InjectedFault"})
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else JSON)

