"""The Flask app of the QuickBooks sandbox: Intuit's consent page and token endpoint, and the v3
accounting API of the sandbox company (query, change data capture, reads by id) on one host."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response, request

from monitr_sandbox.faults import Fault
from monitr_sandbox.quickbooks import query_language, reports
from monitr_sandbox.quickbooks.company import (
    ACCOUNTING_SCOPE,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from monitr_sandbox.quickbooks.responses import (
    JSON,
    QboFault,
    answer,
    auth_fault_answer,
    fault_answer,
    fault_body,
    throttled_answer,
)
from monitr_sandbox.quickbooks.sandbox import QuickBooksSandbox
from monitr_sandbox.quickbooks.tokens import OAuthError
from monitr_sandbox.wire import consent_redirect, serve_faults

CDC_LOOKBACK = timedelta(days=30)
CDC_MAX_OBJECTS = 1000
# Change data capture covers every entity but a few tax and time ones (Intuit's CDC page).
CDC_ENTITIES = frozenset(query_language.FILTERABLE) - {"CompanyInfo", "Preferences"}


def create_app(sandbox: QuickBooksSandbox) -> Flask:
    app = Flask("monitr_sandbox.quickbooks")
    app.config["QUICKBOOKS_SANDBOX"] = sandbox

    serve_faults(app, sandbox, lambda fault: _fault_response(fault, sandbox.clock()))

    # --- OAuth2 (appcenter.intuit.com and oauth.platform.intuit.com) ------------------------------
    @app.get("/connect/oauth2")
    def authorize() -> Response:
        """The consent page: the sandbox user approves access to the company at once."""
        args = request.args
        if args.get("client_id") != SANDBOX_CLIENT_ID:
            return _oauth_error(OAuthError("invalid_client", "Unknown client_id."))
        if args.get("response_type") != "code" or not args.get("redirect_uri") or not args.get("state"):
            return _oauth_error(OAuthError("invalid_request",
                                           "response_type=code, redirect_uri and state are required."))
        if ACCOUNTING_SCOPE not in args.get("scope", "").split():
            return _oauth_error(OAuthError("invalid_scope", f"scope must include {ACCOUNTING_SCOPE}."))
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args["redirect_uri"], realm=sandbox.realm)
        # The company consented for travels as realmId: there is no other way to learn it.
        return consent_redirect(args["redirect_uri"], code=code, state=args["state"],
                                realmId=sandbox.realm)

    @app.post("/oauth2/v1/tokens/bearer")
    def token() -> Response:
        credentials = request.authorization
        form = request.form
        try:
            # Intuit takes the client id and secret as HTTP Basic only.
            if credentials is None or credentials.type != "basic" or (
                    credentials.username, credentials.password) != (SANDBOX_CLIENT_ID,
                                                                    SANDBOX_CLIENT_SECRET):
                raise OAuthError("invalid_client", "Client authentication failed.", status=401)
            with sandbox.lock:
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""), form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r}.")
        except OAuthError as exc:
            return _oauth_error(exc)
        return Response(json.dumps(body), content_type=JSON,
                        headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    # --- the accounting API -----------------------------------------------------------------------
    @app.route("/v3/company/<realm>/query", methods=["GET", "POST"])
    def query(realm: str) -> Response:
        # GET ?query=... or POST with the query as the text body (python-quickbooks does that).
        text = request.args.get("query") or request.get_data(as_text=True)

        def run() -> dict[str, Any]:
            parsed = query_language.parse(text)
            return {"QueryResponse": query_language.run(parsed, sandbox.books.records(parsed.entity))}

        return _api(sandbox, realm, run)

    @app.get("/v3/company/<realm>/cdc")
    def change_data_capture(realm: str) -> Response:
        return _api(sandbox, realm, lambda: _changes(sandbox, request.args))

    @app.get("/v3/company/<realm>/reports/<report>")
    def report(realm: str, report: str) -> Response:
        def run() -> dict[str, Any]:
            if report != "GeneralLedger":
                raise QboFault(400, "Unsupported Operation", f"The sandbox does not run the "
                               f"{report} report.", "500", "ValidationFault")
            return reports.general_ledger(sandbox.books, request.args, sandbox.clock(),
                                          sandbox.report_cell_limit)

        return _api(sandbox, realm, run)

    @app.get("/v3/company/<realm>/companyinfo/<company_id>")
    def company_info(realm: str, company_id: str) -> Response:
        return _api(sandbox, realm, lambda: {"CompanyInfo": _one(
            sandbox, "CompanyInfo", "1" if company_id == realm else None)})

    @app.get("/v3/company/<realm>/preferences")
    def preferences(realm: str) -> Response:
        return _api(sandbox, realm, lambda: {"Preferences": _one(sandbox, "Preferences", "1")})

    @app.get("/v3/company/<realm>/<resource>/<object_id>")
    def read(realm: str, resource: str, object_id: str) -> Response:
        def found() -> dict[str, Any]:
            entity = query_language.ENTITIES.get(resource.lower())
            if entity is None:
                raise QboFault(400, "Unsupported Operation",
                               f"Operation {resource} is not supported.", "500", "ValidationFault")
            return {entity: _one(sandbox, entity, object_id)}

        return _api(sandbox, realm, found)

    return app


def _api(sandbox: QuickBooksSandbox, realm: str, produce: Callable[[], dict[str, Any]]) -> Response:
    """Authenticate, check the company, throttle, then answer (Faults as QBO words them)."""
    now = sandbox.clock()
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    with sandbox.lock:
        granted = sandbox.tokens.realm_of(access_token.strip()) if scheme.lower() == "bearer" else None
    if granted is None:
        return auth_fault_answer(401, "AuthenticationFailed", "3200",
                                 "Token expired or invalid: the access token is not valid now",
                                 "AUTHENTICATION", now,
                                 {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'})
    if granted != realm or not sandbox.administration_visible(realm):
        return auth_fault_answer(403, "ApplicationAuthorizationFailed", "3100", None, "SERVICE", now)
    with sandbox.throttle.slot() as allowed:
        if not allowed:
            return throttled_answer(now)
        try:
            with sandbox.lock:
                payload = produce()
        except QboFault as fault:
            return fault_answer(fault, now)
        return answer(payload, now)


def _one(sandbox: QuickBooksSandbox, entity: str, object_id: str | None) -> dict[str, Any]:
    for record in sandbox.books.records(entity):
        if record["Id"] == object_id:
            return record
    raise QboFault(400, "Object Not Found", "Object Not Found : Something you're trying to use has "
                   "been made inactive or deleted.", "610")


def _changes(sandbox: QuickBooksSandbox, args) -> dict[str, Any]:
    """Objects of the listed entities changed (full) or deleted (Id and status) at or after
    changedSince: the 1000 oldest over all entities, then grouped per entity; no paging."""
    try:
        since = datetime.fromisoformat(args.get("changedSince", ""))
        if since.tzinfo is None:
            raise ValueError
    except ValueError:
        raise QboFault(400, "Invalid changedSince", "changedSince must be a date-time with a UTC "
                       "offset, e.g. 2026-01-01T00:00:00-08:00", "2010") from None
    if since.timestamp() < sandbox.clock() - CDC_LOOKBACK.total_seconds():
        raise QboFault(400, "Operation Failed", f"Operation cdc with changedSince date {since} "
                       "which is older than fixed days is not supported.", "2010")
    entities = [name for name in args.get("entities", "").split(",") if name]
    unknown = [name for name in entities
               if query_language.ENTITIES.get(name.lower()) not in CDC_ENTITIES]
    if not entities or unknown:
        raise QboFault(400, "Invalid entities", f"Entities not supported by cdc: {unknown or 'none'}",
                       "2010")
    def updated(record: dict) -> datetime:
        return datetime.fromisoformat(record["MetaData"]["LastUpdatedTime"])

    requested = [query_language.ENTITIES[name.lower()] for name in entities]
    changed = sorted(((entity, record) for entity in requested
                      for record in [*sandbox.books.records(entity),
                                     *sandbox.books.deleted_records(entity)]
                      if updated(record) >= since), key=lambda found: updated(found[1]))
    kept = changed[:CDC_MAX_OBJECTS]
    groups = []
    for entity in requested:
        objects = [record for kind, record in kept if kind == entity]
        groups.append({entity: objects, "startPosition": 1, "maxResults": len(objects),
                       "totalCount": len(objects)} if objects else {})
    return {"CDCResponse": [{"QueryResponse": groups}]}


def _oauth_error(error: OAuthError) -> Response:
    return Response(json.dumps({"error": error.error, "error_description": error.description}),
                    status=error.status, content_type=JSON)


def _fault_response(fault: Fault, now: float) -> Response:
    """An injected fault: the given body, or what QBO itself would send for that status."""
    if fault.body is None and fault.status == 429:
        return throttled_answer(now, fault.headers)
    body = fault.body
    if body is None:
        body = json.dumps(fault_body(QboFault(fault.status, "An application error has occurred while "
                                         "processing your request", f"Injected fault {fault.status}",
                                         "10000", "SystemFault"), now)) if fault.status >= 400 else ""
    has_type = any(name.lower() == "content-type" for name in fault.headers)
    return Response(body, status=fault.status, headers=fault.headers,
                    content_type=None if has_type else JSON)
