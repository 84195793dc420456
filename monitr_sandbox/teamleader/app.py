"""The Flask app of the Teamleader sandbox: focus.teamleader.eu's authorize page and token
endpoint, and api.focus.teamleader.eu's RPC-style calls (users.me, departments, deal pipelines
and phases, deals, subscriptions, new-module projects, time tracking) of the account the bearer
token was issued for, under the sliding-minute rate limit."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.teamleader import render
from monitr_sandbox.teamleader.account import (
    ACCOUNT_ID,
    DEPARTMENTS,
    PIPELINES,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    USER_ID,
)
from monitr_sandbox.teamleader.sandbox import TeamleaderSandbox
from monitr_sandbox.teamleader.tokens import OAuthError
from monitr_sandbox.wire import consent_redirect, serve_faults

JSON = "application/json"
MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 100, 20


class ApiError(Exception):
    def __init__(self, status: int, title: str, headers: dict[str, str] | None = None):
        super().__init__(title)
        self.status, self.title, self.headers = status, title, headers or {}


def create_app(sandbox: TeamleaderSandbox) -> Flask:
    app = Flask("monitr_sandbox.teamleader")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _error(error.code or 500, error.description or error.name)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return _error(error.status, error.title, error.headers)

    # --- focus.teamleader.eu/oauth2 --------------------------------------------------------------
    @app.get("/oauth2/authorize")
    def authorize() -> Response:
        """The consent page: the account's admin approves; the code goes back to redirect_uri."""
        args = request.args
        if args.get("client_id") != SANDBOX_CLIENT_ID or args.get("response_type") != "code" \
                or not args.get("redirect_uri"):
            return Response("<html><body><p>Invalid client or request.</p></body></html>",
                            status=400, content_type="text/html; charset=utf-8")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args["redirect_uri"], user=USER_ID)
        return consent_redirect(args["redirect_uri"], code=code)

    @app.post("/oauth2/access_token")
    def access_token() -> Response:
        # Form or JSON bodies are both accepted (authentication.apib).
        form = request.form if request.form else (request.get_json(silent=True) or {})
        try:
            with sandbox.lock:
                if (form.get("client_id"), form.get("client_secret")) != (
                        SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                    raise OAuthError("invalid_client", "Client authentication failed", 401)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    answer = sandbox.tokens.exchange_code(form.get("code", ""),
                                                          form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    answer = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type",
                                     "The authorization grant type is not supported.")
        except OAuthError as exc:
            return _json(exc.body(), exc.status)
        return _json(answer, headers={"Cache-Control": "no-store"})

    # --- api.focus.teamleader.eu -----------------------------------------------------------------
    def call(name: str, answer: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        def view() -> Response:
            with sandbox.lock:
                headers = _authorised(sandbox)
                body = request.get_json(silent=True) if request.data else {}
                if not isinstance(body, dict):
                    raise ApiError(400, "The request body must be a JSON object", headers)
                try:
                    result = answer(body)
                except ApiError as error:
                    error.headers = {**headers, **error.headers}
                    raise
                return _json(result, headers={**headers,
                                              "Date": format_datetime(sandbox.now, usegmt=True)})
        app.add_url_rule(f"/{name}", name, view, methods=["GET", "POST"])

    book = sandbox.book

    call("users.me", lambda body: {"data": {
        "id": USER_ID, "account": {"type": "account", "id": ACCOUNT_ID},
        "first_name": "Sandbox", "last_name": "Beheerder", "email": "admin@monitr-sandbox.be",
        "telephones": [], "language": "nl-BE", "function": "Zaakvoerder",
        "time_zone": "Europe/Brussels", "preferences": {"invoiceable": True}}})

    def departments_list(body: dict[str, Any]) -> dict[str, Any]:
        ids = _filter(body).get("ids")
        return {"data": [render.department(d) for d in DEPARTMENTS if not ids or d.id in ids]}

    def departments_info(body: dict[str, Any]) -> dict[str, Any]:
        found = [d for d in DEPARTMENTS if d.id == body.get("id")]
        if not found:
            raise ApiError(404, "Department not found")
        return {"data": render.department_info(found[0])}

    def pipelines_list(body: dict[str, Any]) -> dict[str, Any]:
        ids = _filter(body).get("ids")
        answer = _listed(body, [render.pipeline(p) for p in PIPELINES if not ids or p.id in ids])
        answer["meta"] = {"default": PIPELINES[0].id, **answer.get("meta", {})}
        return answer

    def phases_list(body: dict[str, Any]) -> dict[str, Any]:
        wanted = _filter(body)
        rows = [render.phase(f) for p in PIPELINES
                if wanted.get("deal_pipeline_id") in (None, p.id) for f in p.phases
                if not wanted.get("ids") or f.id in wanted["ids"]]
        return {"data": _page(body, rows)}

    def deals_list(body: dict[str, Any]) -> dict[str, Any]:
        wanted = _filter(body)
        since = _moment(wanted.get("updated_since"), "filter.updated_since")
        deals = [d for d in book.deals.values()
                 if (not wanted.get("ids") or d.id in wanted["ids"])
                 and (since is None or d.updated_at >= since)  # inclusive
                 and (not wanted.get("status") or d.status in wanted["status"])
                 and (not wanted.get("pipeline_ids") or d.pipeline in wanted["pipeline_ids"])
                 and wanted.get("phase_id") in (None, d.phase)]
        deals = _sorted(body, deals, {"created_at": lambda d: d.created_at,
                                      "weighted_value": lambda d: d.amount * d.probability},
                        ("created_at", "desc"))
        return _listed(body, [render.deal(d) for d in deals])

    def subscriptions_list(body: dict[str, Any]) -> dict[str, Any]:
        wanted = _filter(body)
        subs = [s for s in book.subscriptions.values()
                if (not wanted.get("ids") or s.id in wanted["ids"])
                and wanted.get("department_id") in (None, s.department)
                and (not wanted.get("status") or s.status in wanted["status"])]
        subs = _sorted(body, subs, {"created_at": lambda s: s.created_at,
                                    "title": lambda s: s.title, "status": lambda s: s.status},
                       ("created_at", "asc"))
        return _listed(body, [render.subscription(s) for s in subs])

    def projects_list(body: dict[str, Any]) -> dict[str, Any]:
        wanted = _filter(body)
        tracked: dict[str, int] = defaultdict(int)
        cost: dict[str, Decimal] = defaultdict(Decimal)
        for entry in book.time_entries.values():
            tracked[entry.project] += entry.duration
            # The cost of an hour: the sandbox's internal rate of 60% of the hourly rate.
            cost[entry.project] += Decimal(entry.duration) / 3600 * entry.hourly_rate * \
                Decimal("0.6")
        for used in book.materials.values():
            cost[used.project] += used.quantity * used.unit_cost
        projects = [p for p in book.projects.values()
                    if (not wanted.get("ids") or p.id in wanted["ids"])
                    and wanted.get("status") in (None, p.status)]
        projects = _sorted(body, projects, {"project_key": lambda p: p.key,
                                            "title": lambda p: p.title,
                                            "start_date": lambda p: p.start_date},
                           ("project_key", "desc"))
        return _listed(body, [render.project(p, tracked[p.id], cost[p.id]) for p in projects])

    def time_tracking_list(body: dict[str, Any]) -> dict[str, Any]:
        wanted = _filter(body)
        related = wanted.get("relates_to") or {}
        after = _moment(wanted.get("started_after"), "filter.started_after")
        entries = [e for e in book.time_entries.values()
                   if (not wanted.get("ids") or e.id in wanted["ids"])
                   and (related.get("type") != "project" or e.project == related.get("id"))
                   and (after is None or e.started_at >= after)]
        entries = _sorted(body, entries, {"starts_on": lambda e: e.started_at},
                          ("starts_on", "asc"))
        includes = str(body.get("includes") or "").split(",")
        return _listed(body, [render.time_entry(e, book.projects[e.project].customer,
                                                "relates_to" in includes) for e in entries])

    def materials_list(body: dict[str, Any]) -> dict[str, Any]:
        ids = _filter(body).get("ids")
        return _listed(body, [render.material(m) for m in book.materials.values()
                              if not ids or m.id in ids])

    call("departments.list", departments_list)
    call("projects-v2/materials.list", materials_list)
    call("departments.info", departments_info)
    call("dealPipelines.list", pipelines_list)
    call("dealPhases.list", phases_list)
    call("deals.list", deals_list)
    call("subscriptions.list", subscriptions_list)
    call("projects-v2/projects.list", projects_list)
    call("timeTracking.list", time_tracking_list)
    return app


def _authorised(sandbox: TeamleaderSandbox) -> dict[str, str]:
    """The rate limit's headers for a call with a live token; 401 or 429 otherwise."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "Access token is missing")
    grant, why = sandbox.tokens.token_record(header.removeprefix("Bearer ").strip())
    if grant is None:
        raise ApiError(401, why)
    allowed, headers = sandbox.rate_limit.spend()
    if not allowed:
        raise ApiError(429, "Too Many Requests", headers)
    return headers


def _filter(body: dict[str, Any]) -> dict[str, Any]:
    wanted = body.get("filter") or {}
    if not isinstance(wanted, dict):
        raise ApiError(400, "filter must be an object")
    return wanted


def _moment(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ApiError(400, f"{name} must have a UTC offset")
    return moment


def _sorted(body: dict[str, Any], rows: list, keys: dict[str, Callable],
            default: tuple[str, str]) -> list:
    sort = body.get("sort") or [{"field": default[0], "order": default[1]}]
    if not isinstance(sort, list):
        raise ApiError(400, "sort must be an array")
    for rule in reversed(sort):
        field = rule.get("field") if isinstance(rule, dict) else None
        if field not in keys:
            raise ApiError(400, f"sort.field must be one of {', '.join(keys)}")
        rows = sorted(rows, key=lambda r: (keys[field](r), r.id),
                      reverse=rule.get("order", "asc") == "desc")
    return rows


def _page(body: dict[str, Any], rows: list) -> list:
    page = body.get("page") or {}
    if not isinstance(page, dict):
        raise ApiError(400, "page must be an object")
    size, number = page.get("size", DEFAULT_PAGE_SIZE), page.get("number", 1)
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(400, f"page.size must be an integer from 1 to {MAX_PAGE_SIZE}")
    if not isinstance(number, int) or number < 1:
        raise ApiError(400, "page.number must be a positive integer")
    return rows[(number - 1) * size:number * size]


def _listed(body: dict[str, Any], rows: list) -> dict[str, Any]:
    answer: dict[str, Any] = {"data": _page(body, rows)}
    if "pagination" in str(body.get("includes") or "").split(","):
        page = body.get("page") or {}
        answer["meta"] = {"page": {"size": page.get("size", DEFAULT_PAGE_SIZE),
                                   "number": page.get("number", 1)}, "matches": len(rows)}
    return answer


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers or {}, content_type=JSON)


def _error(status: int, title: str, headers: dict[str, str] | None = None) -> Response:
    return _json({"errors": [{"title": title, "status": status}]}, status, headers)


def _fault_response(fault: Fault) -> Response:
    if fault.body is not None:
        return Response(fault.body, status=fault.status, headers=fault.headers,
                        content_type=JSON)
    return _error(fault.status, "Injected fault", fault.headers)


