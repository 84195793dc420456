"""The Flask app of the HubSpot sandbox: app.hubspot.com's install (consent) page, the OAuth v1
token and token-info endpoints, account details, deal pipelines, and the CRM v3 deals list and
search of whichever portal the bearer token was issued for."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.hubspot import search
from monitr_sandbox.hubspot.deals import Deal, DealBook, iso
from monitr_sandbox.hubspot.portals import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    TIME_ZONE,
    Portal,
)
from monitr_sandbox.hubspot.sandbox import HubSpotSandbox
from monitr_sandbox.hubspot.tokens import APP_ID, OAuthError
from monitr_sandbox.wire import consent_redirect, serve_faults

JSON = "application/json;charset=utf-8"
DEALS_SCOPE = "crm.objects.deals.read"
MAX_LIST_LIMIT, DEFAULT_LIST_LIMIT = 100, 10
# Properties a deal answers when none are asked for (HubSpot's default deal properties).
DEFAULT_PROPERTIES = ("amount", "closedate", "createdate", "dealname", "dealstage",
                      "hs_lastmodifieddate", "hs_object_id", "pipeline")
ALWAYS = ("createdate", "hs_lastmodifieddate", "hs_object_id")


class ApiError(Exception):
    def __init__(self, status: int, category: str, message: str,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.category, self.message = status, category, message
        self.headers, self.extra = headers or {}, extra


def create_app(sandbox: HubSpotSandbox) -> Flask:
    app = Flask("monitr_sandbox.hubspot")
    serve_faults(app, sandbox, _fault_response)

    @app.after_request
    def correlation(response: Response) -> Response:
        response.headers.setdefault("X-HubSpot-Correlation-Id", str(uuid.uuid4()))
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        category = "OBJECT_NOT_FOUND" if error.code == 404 else "VALIDATION_ERROR"
        return _error(error.code or 500, category, error.description or error.name)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return _error(error.status, error.category, error.message, error.headers, **error.extra)

    # --- app.hubspot.com/oauth/authorize and api.hubapi.com/oauth/v1 -----------------------------
    @app.get("/oauth/authorize")
    def authorize() -> Response:
        """The install page: the user picks a portal and approves the scopes. The sandbox picks
        the portal the sandbox-only `sandbox_login` names (an environment or hub id), else the
        first."""
        args = request.args
        problem = _authorize_problem(args)
        if problem:
            return Response(f"<html><body><p>{problem}</p></body></html>", status=400,
                            content_type="text/html; charset=utf-8")
        login = args.get("sandbox_login")
        with sandbox.lock:
            try:
                found = _login_portal(sandbox, login)
            except KeyError:
                return Response("<html><body><p>Unknown account.</p></body></html>", status=400,
                                content_type="text/html; charset=utf-8")
            code = sandbox.tokens.issue_code(
                args["redirect_uri"], scopes=args["scope"].split(), hub_id=found.hub_id,
                user=f"admin@{found.environment}.example")
        return consent_redirect(args["redirect_uri"], code=code)

    @app.post("/oauth/v1/token")
    def token() -> Response:
        form = request.form
        try:
            with sandbox.lock:
                if (form.get("client_id"), form.get("client_secret")) != (
                        SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                    raise OAuthError("invalid_client", "missing or invalid client_id", 400)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    answer = sandbox.tokens.exchange_code(form.get("code", ""),
                                                          form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    answer = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type", "grant_type is not supported")
        except OAuthError as exc:
            return _json(exc.body(), exc.status)
        return _json(answer, headers={"Cache-Control": "no-store"})

    @app.get("/oauth/v1/access-tokens/<path:access_token>")
    def token_info(access_token: str) -> Response:
        with sandbox.lock:
            grant, why = sandbox.tokens.token_record(access_token)
            if grant is None:
                raise ApiError(404, "OBJECT_NOT_FOUND",
                               "The OAuth token used to make this call expired."
                               if why == "expired" else "Token not found")
            found = sandbox.portal(grant["hub_id"])
            return _json({"token": access_token, "user": grant["user"],
                          "hub_domain": found.name, "scopes": grant["scopes"],
                          "hub_id": found.hub_id, "app_id": APP_ID,
                          "expires_in": sandbox.tokens.seconds_left(access_token),
                          "user_id": 5_100_000 + found.hub_id % 1000, "token_type": "access"})

    # --- account, pipelines, deals --------------------------------------------------------------------
    @app.get("/account-info/v3/details")
    def account_details() -> Response:
        with sandbox.lock:
            found, headers = _authorised(sandbox)
            return _json({"portalId": found.hub_id, "accountType": "STANDARD",
                          "timeZone": TIME_ZONE, "companyCurrency": found.currency,
                          "additionalCurrencies": sorted(found.rates),
                          "utcOffset": "+01:00", "utcOffsetMilliseconds": 3_600_000,
                          "uiDomain": "app-eu1.hubspot.com", "dataHostingLocation": "eu1"},
                         headers=headers)

    @app.get("/crm/v3/pipelines/<object_type>")
    def pipelines(object_type: str) -> Response:
        with sandbox.lock:
            found, headers = _authorised(sandbox, DEALS_SCOPE)
            if object_type not in ("deals", "0-3"):
                raise ApiError(400, "VALIDATION_ERROR",
                               f"Unable to infer object type from: {object_type}", headers)
            return _json({"results": [_pipeline(p) for p in found.pipelines]}, headers=headers)

    @app.get("/crm/v3/objects/<object_type>")
    def list_deals(object_type: str) -> Response:
        with sandbox.lock:
            found, headers = _authorised(sandbox, DEALS_SCOPE)
            _deals_only(object_type, headers)
            book = sandbox.book(found.hub_id)
            limit = _int_arg("limit", DEFAULT_LIST_LIMIT, headers)
            if not 1 <= limit <= MAX_LIST_LIMIT:
                raise ApiError(400, "VALIDATION_ERROR",
                               f"limit must be between 1 and {MAX_LIST_LIMIT}", headers)
            archived = request.args.get("archived", "false").lower() == "true"
            deals = book.archived() if archived else book.live()
            after = _int_arg("after", 0, headers)
            page = [d for d in deals if d.id >= after][:limit + 1]
            body: dict[str, Any] = {"results": [
                _deal(book, d, _properties_asked()) for d in page[:limit]]}
            if len(page) > limit:
                body["paging"] = {"next": {"after": str(page[limit].id),
                                           "link": f"?after={page[limit].id}"}}
            return _json(body, headers=headers)

    @app.post("/crm/v3/objects/<object_type>/search")
    def search_deals(object_type: str) -> Response:
        with sandbox.lock:
            found, headers = _authorised(sandbox, DEALS_SCOPE, search=True)
            _deals_only(object_type, headers)
            book = sandbox.book(found.hub_id)
            try:
                query = search.Query.parse(request.get_json(silent=True))
                total, rows, next_after = query.run(book, sandbox.search_cap)
            except search.SearchError as exc:
                raise ApiError(400, "VALIDATION_ERROR", str(exc), headers) from None
            asked = query.properties or DEFAULT_PROPERTIES
            body: dict[str, Any] = {"total": total,
                                    "results": [_deal(book, d, asked) for d in rows]}
            if next_after is not None:
                body["paging"] = {"next": {"after": str(next_after),
                                           "link": f"?after={next_after}"}}
            return _json(body, headers=headers)

    return app


def _login_portal(sandbox: HubSpotSandbox, login: str | None) -> Portal:
    if not login:
        return sandbox.portals[0]
    for found in sandbox.portals:
        if login in (found.environment, str(found.hub_id)):
            return found
    raise KeyError(login)


def _authorize_problem(args) -> str | None:
    if args.get("client_id") != SANDBOX_CLIENT_ID:
        return "invalid_client: unknown client_id"
    if not args.get("redirect_uri"):
        return "invalid_request: redirect_uri is required"
    if not args.get("scope"):
        return "invalid_scope: at least one scope is required"
    return None


def _authorised(sandbox: HubSpotSandbox, scope: str | None = None, search: bool = False
                ) -> tuple[Portal, dict[str, str]]:
    """The portal of the bearer token, after its rate limit and scopes are checked; the
    rate-limit headers its answer carries."""
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    grant, why = (sandbox.tokens.token_record(access_token.strip())
                  if scheme.lower() == "bearer" else (None, "unknown"))
    if grant is None:
        if why == "expired":
            raise ApiError(401, "EXPIRED_AUTHENTICATION",
                           "The OAuth token used to make this call expired.")
        raise ApiError(401, "INVALID_AUTHENTICATION",
                       "Authentication credentials not found. This API supports OAuth 2.0 "
                       "authentication and you can find more details at "
                       "https://developers.hubspot.com/docs/methods/auth/oauth-overview")
    found = sandbox.portal(grant["hub_id"])
    verdict = sandbox.rate_limits.spend(found.hub_id, search=search)
    if not verdict.allowed:
        raise ApiError(429, "RATE_LIMITS", f"You have reached your {verdict.policy.lower()} "
                       f"limit.", verdict.headers, errorType="RATE_LIMIT",
                       policyName=verdict.policy)
    if scope and scope not in grant["scopes"]:
        raise ApiError(403, "MISSING_SCOPES",
                       "This app hasn't been granted all required scopes to make this call.",
                       verdict.headers, errors=[{
                           "message": "One or more of the following scopes are required.",
                           "context": {"requiredGranularScopes": [scope]}}])
    return found, verdict.headers


def _deals_only(object_type: str, headers: dict[str, str]) -> None:
    if object_type not in ("deals", "0-3"):
        raise ApiError(404, "OBJECT_NOT_FOUND",
                       f"The sandbox serves deals only, not {object_type}", headers)


def _int_arg(name: str, default: int, headers: dict[str, str]) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        raise ApiError(400, "VALIDATION_ERROR", f"{name} must be an integer", headers) from None


def _properties_asked() -> tuple[str, ...]:
    asked = [p for value in request.args.getlist("properties") for p in value.split(",") if p]
    return tuple(asked) or DEFAULT_PROPERTIES


def _deal(book: DealBook, deal: Deal, asked: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """A deal as CRM v3 answers it: the properties asked for (and the three always given);
    unset ones are left out (the spec's property values are strings)."""
    every = book.properties(deal)
    wanted = dict.fromkeys((*asked, *ALWAYS))
    body: dict[str, Any] = {
        "id": str(deal.id),
        "properties": {name: every[name] for name in wanted if every.get(name) is not None},
        "createdAt": iso(deal.created), "updatedAt": iso(deal.modified),
        "archived": deal.archived_at is not None,
    }
    if deal.archived_at is not None:
        body["archivedAt"] = iso(deal.archived_at)
    return body


def _pipeline(pipeline) -> dict[str, Any]:
    # Default pipelines are dated 0 (the spec: "The default pipelines will have createdAt = 0").
    created = iso(datetime(1970, 1, 1, tzinfo=UTC)) if pipeline.id == "default" else \
        "2025-05-12T08:31:44.120Z"
    return {
        "id": pipeline.id, "label": pipeline.label, "displayOrder": pipeline.display_order,
        "archived": False, "createdAt": created, "updatedAt": "2025-05-12T08:31:44.120Z",
        "stages": [{
            "id": stage.id, "label": stage.label, "displayOrder": order, "archived": False,
            "metadata": {"isClosed": str(stage.is_closed).lower(),
                         "probability": str(stage.probability)},
            "createdAt": created, "updatedAt": "2025-05-12T08:31:44.120Z",
            "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
        } for order, stage in enumerate(pipeline.stages)],
    }


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers or {},
                    content_type=JSON)


def _error(status: int, category: str, message: str, headers: dict[str, str] | None = None,
           **extra: Any) -> Response:
    """HubSpot's error shape: {"status": "error", "message", "correlationId", "category"} and,
    where it has them, "errors", "context" and "links"."""
    body = {"status": "error", "message": message, "correlationId": str(uuid.uuid4()),
            "category": category, **extra}
    return _json(body, status, headers)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    if fault.body is not None:
        has_type = any(name.lower() == "content-type" for name in headers)
        return Response(fault.body, status=fault.status, headers=headers,
                        content_type=None if has_type else JSON)
    category = {401: "INVALID_AUTHENTICATION", 403: "MISSING_SCOPES", 404: "OBJECT_NOT_FOUND",
                429: "RATE_LIMITS"}.get(fault.status, "INTERNAL_ERROR")
    return _error(fault.status, category, f"Injected fault {fault.status}.", headers)
