"""The Flask app of the eBlinqx Fiscaal sandbox: the FinteQX Accounting Package API under
/api/accounting-package (companies, linking them, their annual accounts)."""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.eblinqx.sandbox import EBlinqxSandbox
from monitr_sandbox.faults import Fault
from monitr_sandbox.wire import serve_faults

API = "/api/accounting-package"
JSON = "application/json"
PROBLEM = "application/problem+json"
_TYPES = {400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
          401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
          404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
          429: "https://tools.ietf.org/html/rfc6585#section-4"}


class Problem(Exception):
    """ASP.NET Core's ProblemDetails (assumed), with its status and headers (Retry-After)."""

    def __init__(self, status: int, title: str, detail: str | None = None,
                 errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors
        self.headers = headers or {}


def create_app(sandbox: EBlinqxSandbox) -> Flask:
    app = Flask("monitr_sandbox.eblinqx")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _problem(Problem(error.code or 500, error.name, error.description))

    @app.errorhandler(Problem)
    def problem(error: Problem) -> Response:
        return _problem(error)

    @app.get(f"{API}/companies")
    def companies() -> Response:
        _authorised(sandbox)
        return _json([c.summary() for c in sandbox.companies()])

    @app.post(f"{API}/companies")
    def link_companies() -> Response:
        _authorised(sandbox)
        links = _links(sandbox, request.get_json(silent=True))
        for company_id, reference in links:
            sandbox.link(company_id, reference)
        return _json([sandbox.company(company_id).summary() for company_id, _ in links])

    @app.get(f"{API}/companies/<company_id>/annual-accounts")
    def annual_accounts(company_id: str) -> Response:
        _authorised(sandbox)
        return _json(_company(sandbox, company_id).annual_accounts())

    return app


def _authorised(sandbox: EBlinqxSandbox) -> None:
    """The key, then the key's rate limit."""
    if not sandbox.key_valid(request.headers.get("X-Api-Key")):
        raise Problem(401, "Unauthorized", "Ongeldige of ontbrekende API key. Maak een nieuwe "
                                           "API key aan in eBlinqx Fiscaal.")
    wait = sandbox.spend_call()
    if wait is not None:
        seconds = math.ceil(wait)
        raise Problem(429, "Too Many Requests",
                      f"Te veel verzoeken. Probeer het over {seconds} seconden opnieuw.",
                      headers={"Retry-After": str(seconds)})


def _company(sandbox: EBlinqxSandbox, company_id: str):
    company = sandbox.company(company_id)
    if company is None:
        raise Problem(404, "Not Found", f"Bedrijf {company_id} is niet gevonden of niet "
                                        "gekoppeld aan dit account.")
    return company


def _uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _links(sandbox: EBlinqxSandbox, body: Any) -> list[tuple[str, str | None]]:
    """The body's [{id, monitrClientId}], validated whole: one bad item links none."""
    if not isinstance(body, list):
        raise Problem(400, "One or more validation errors occurred.",
                      errors={"$": ["De body moet een array van koppelingen zijn."]})
    errors: dict[str, list[str]] = {}
    links = []
    for index, item in enumerate(body):
        item = item if isinstance(item, dict) else {}
        company_id, reference = item.get("id"), item.get("monitrClientId")
        if not _uuid(company_id):
            errors[f"[{index}].id"] = ["Het veld id is verplicht en moet een UUID zijn."]
        elif sandbox.company(company_id) is None:
            errors[f"[{index}].id"] = [f"Bedrijf {company_id} hoort niet bij dit account."]
        if reference is not None and not _uuid(reference):
            errors[f"[{index}].monitrClientId"] = ["Het veld monitrClientId moet een UUID zijn."]
        links.append((company_id, reference))
    if errors:
        raise Problem(400, "One or more validation errors occurred.", errors=errors)
    return links


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers or {},
                    content_type=JSON)


def _problem_body(status: int, title: str, detail: str | None = None,
                  errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": _TYPES.get(status, "about:blank"), "title": title,
                            "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body["traceId"] = f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-00"
    return body


def _problem(problem: Problem) -> Response:
    body = _problem_body(problem.status, problem.title, problem.detail, problem.errors)
    return Response(json.dumps(body, ensure_ascii=False), status=problem.status,
                    headers=problem.headers, content_type=PROBLEM)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    body = fault.body if fault.body is not None else json.dumps(
        _problem_body(fault.status, "Injected fault", f"Injected fault {fault.status}."))
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else PROBLEM)
