"""The Flask app of the Xero sandbox: login.xero.com's consent, identity.xero.com's token endpoint,
and api.xero.com's /connections, Accounting API (api.xro/2.0) and Assets API (assets.xro/1.0)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.wire import consent_redirect, serve_faults
from monitr_sandbox.xero import render
from monitr_sandbox.xero.identity import IdentityError
from monitr_sandbox.xero.resources import ACCOUNTING, ASSETS, BadQuery, Resource
from monitr_sandbox.xero.sandbox import XeroSandbox
from monitr_sandbox.xero.tenants import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

_TENANT_HEADER = "Xero-Tenant-Id"


def create_app(sandbox: XeroSandbox) -> Flask:
    app = Flask("monitr_sandbox.xero")
    app.config["XERO_SANDBOX"] = sandbox

    serve_faults(app, sandbox, lambda fault: _fault_response(fault))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return render.problem(error.code or 500, error.name.replace(" ", ""),
                              error.description or error.name)

    # --- login.xero.com and identity.xero.com ------------------------------------------------------
    @app.get("/identity/connect/authorize")
    def authorize() -> Response:
        """The consent page: the sandbox user logs in, ticks every organisation and allows access."""
        args = request.args
        problem = _authorize_problem(args)
        if problem:
            return Response(f"<html><body><h1>Error</h1><p>{problem}</p></body></html>",
                            status=400, content_type="text/html; charset=utf-8")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args["redirect_uri"], scopes=args["scope"].split(),
                                             challenge=args.get("code_challenge"),
                                             method=args.get("code_challenge_method", "plain"))
        return consent_redirect(args["redirect_uri"], code=code, scope=args["scope"],
                                session_state=code[:16])

    @app.post("/connect/token")
    def token() -> Response:
        form = request.form
        try:
            with sandbox.lock:
                _check_client(form)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""),
                                                        form.get("redirect_uri"),
                                                        form.get("code_verifier"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise IdentityError("unsupported_grant_type")
        except IdentityError as exc:
            return render.json_response({"error": exc.error}, exc.status)
        return render.json_response(body, headers={"Cache-Control": "no-store"})

    # --- api.xero.com ----------------------------------------------------------------------------------
    @app.get("/connections")
    @app.get("/Connections")
    def connections() -> Response:
        with sandbox.lock:
            grant = _grant(sandbox)
            if isinstance(grant, Response):
                return grant
            verdict = sandbox.quotas.spend(None)
            if not verdict.allowed:
                return Response("", status=429, headers=verdict.headers)
            created = ms_to_iso(grant["created_at"])
            names = {t.tenant_id: t.name for t in sandbox.tenants}
            body = [{"id": connection_id, "authEventId": grant["auth_event_id"],
                     "tenantId": tenant_id, "tenantType": "ORGANISATION",
                     "tenantName": names[tenant_id], "createdDateUtc": created,
                     "updatedDateUtc": created}
                    for tenant_id, connection_id in grant["tenants"].items() if tenant_id in names]
        return render.json_response(body, headers=verdict.headers)

    @app.delete("/connections/<connection_id>")
    def disconnect(connection_id: str) -> Response:
        with sandbox.lock:
            grant = _grant(sandbox)
            if isinstance(grant, Response):
                return grant
            tenant_id = next((t for t, c in grant["tenants"].items() if c == connection_id), None)
            if tenant_id is None:
                return render.problem(404, "NotFound", "The connection was not found.")
            sandbox.tokens.disconnect(tenant_id, grant)
        return Response(status=204)

    @app.route("/api.xro/2.0/<resource>", methods=["GET", "POST", "PUT", "DELETE"])
    def accounting(resource: str) -> Response:
        return _api(sandbox, ACCOUNTING.get(resource.lower()), xml_unless_json=True)

    @app.route("/assets.xro/1.0/<resource>", methods=["GET", "POST", "PUT", "DELETE"])
    def fixed_assets(resource: str) -> Response:
        return _api(sandbox, ASSETS.get(resource.lower()), xml_unless_json=False)

    return app


def ms_to_iso(epoch: float) -> str:
    """/connections' times: .NET-style ISO without an offset (UTC), e.g. 2019-12-07T18:46:19.5165400."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0")


def _authorize_problem(args) -> str | None:
    if args.get("client_id") != SANDBOX_CLIENT_ID:
        return "unauthorized_client: unknown client_id"
    if args.get("response_type") != "code":
        return "unsupported_response_type"
    if not args.get("redirect_uri"):
        return "invalid_request: redirect_uri is required"
    if not args.get("scope"):
        return "invalid_scope: at least one scope is required"
    method = args.get("code_challenge_method", "plain")
    if args.get("code_challenge") and method not in ("S256", "plain"):
        return "invalid_request: code_challenge_method must be S256 or plain"
    return None


def _check_client(form) -> None:
    """Xero authenticates the app with HTTP Basic; a public (PKCE) client sends only its id."""
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        if (auth.username, auth.password) != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
            raise IdentityError("invalid_client", 401)
        return
    public_pkce = (form.get("client_id") == SANDBOX_CLIENT_ID and not form.get("client_secret")
                   and form.get("code_verifier"))
    if not public_pkce:
        raise IdentityError("invalid_client", 401)


def _grant(sandbox: XeroSandbox) -> dict | Response:
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    grant = sandbox.tokens.grant_of(access_token.strip()) if scheme.lower() == "bearer" else None
    if grant is not None:
        return grant
    expired_at = sandbox.tokens.expired_at(access_token.strip())
    detail = ("AuthenticationUnsuccessful" if expired_at is None or expired_at > sandbox.clock()
              else "TokenExpired: token expired at "
                   + datetime.fromtimestamp(expired_at, UTC).strftime("%m/%d/%Y %H:%M:%S"))
    return render.problem(401, "Unauthorized", detail,
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _api(sandbox: XeroSandbox, resource: Resource | None, *, xml_unless_json: bool) -> Response:
    """Authenticate, authorise the tenant and scope, count the call, then answer the query."""
    if resource is None:
        return render.problem(404, "NotFound", "The resource you're looking for cannot be found")
    if request.method != "GET":
        return render.problem(405, "MethodNotAllowed", "The sandbox API is read-only.")
    with sandbox.lock:
        grant = _grant(sandbox)
        if isinstance(grant, Response):
            return grant
        tenant_id = request.headers.get(_TENANT_HEADER, "")
        if tenant_id not in grant["tenants"]:
            return render.problem(403, "Forbidden", "AuthenticationUnsuccessful")
        if not set(resource.scopes) & set(grant["scopes"]):
            return render.problem(403, "Forbidden", "AuthorizationUnsuccessful")
        verdict = sandbox.quotas.spend(tenant_id)
        if not verdict.allowed:
            return Response("", status=429, headers=verdict.headers)
        try:
            body = resource.answer(sandbox.books(tenant_id), request.args, _modified_since())
        except BadQuery as exc:
            error = render.validation_error if xml_unless_json else render.assets_error
            return error(str(exc), verdict.headers)
    if xml_unless_json and "application/json" not in request.headers.get("Accept", ""):
        return render.xml_response(body, verdict.headers)
    return render.json_response(body, headers=verdict.headers)


def _modified_since() -> datetime | None:
    raw = request.headers.get("If-Modified-Since")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        try:
            moment = parsedate_to_datetime(raw)  # an HTTP date, as RFC 9110 writes it
        except (TypeError, ValueError):
            raise BadQuery(f"If-Modified-Since {raw!r} is not a date") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        # Look like Xero's own 429 unless the test says otherwise.
        headers.setdefault("Retry-After", "1")
        headers.setdefault("X-Rate-Limit-Problem", "minute")
        headers.setdefault("X-MinLimit-Remaining", "0")
    if fault.body is not None:
        body = fault.body
    elif fault.status >= 400 and fault.status != 429:
        body = json.dumps({"Type": None, "Title": "Injected", "Status": fault.status,
                           "Detail": f"Injected fault {fault.status}.", "Extensions": {}})
    else:
        body = ""
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else render.JSON)

