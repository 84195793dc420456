"""The Octopus web service as emulated: the OAuth server (/octopus-oauth) and the REST API
(/octopus-rest-api/v1) on one host, as service.inaras.be serves both."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request

from monitr_sandbox.faults import Fault
from monitr_sandbox.octopus.books import parse_timestamp
from monitr_sandbox.octopus.dossiers import SANDBOX_CLIENT_ID
from monitr_sandbox.octopus.sandbox import OctopusSandbox
from monitr_sandbox.octopus.tokens import OAuthError

API = "/octopus-rest-api/v1"
OAUTH = "/octopus-oauth"
_JSON = "application/json"


def _error(status: int, message: str, code: int | None = None,
           headers: dict[str, str] | None = None) -> Response:
    # The REST API's error body (technicalInfo, errorCode, errorMessage), as clients parse it.
    body = {"technicalInfo": message, "errorCode": code if code is not None else status,
            "errorMessage": message}
    return Response(json.dumps(body), status=status, headers=headers or {}, content_type=_JSON)


def _json(value: Any) -> Response:
    return Response(json.dumps(value), status=200, content_type=_JSON)


def create_app(sandbox: OctopusSandbox) -> Flask:
    app = Flask(__name__)

    @app.before_request
    def faults():
        fault = sandbox.take_fault(request.method, request.path,
                                   request.query_string.decode("latin-1"))
        request.environ["octopus.fault"] = fault
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if fault.action:
            fault.action()
        if fault.replaces_answer:
            return _fault_response(fault)
        return None

    @app.after_request
    def edited(response: Response) -> Response:
        fault: Fault | None = request.environ.get("octopus.fault")
        if fault is not None and fault.edit is not None and not fault.replaces_answer:
            edited_body = fault.edit(json.loads(response.get_data()))
            response.set_data(edited_body if isinstance(edited_body, str)
                              else json.dumps(edited_body))
        return response

    # --- OAuth ---------------------------------------------------------------------------------
    @app.get(f"{OAUTH}/authorize")
    def authorize():
        args = request.args
        if args.get("client_id") != SANDBOX_CLIENT_ID or args.get("response_type") != "code":
            return Response("Unknown software house or response type", status=400)
        with sandbox.lock:
            code = sandbox.tokens.issue_code(args.get("redirect_uri", ""),
                                             scope=args.get("scope", ""))
        query = {"code": code, **({"state": args["state"]} if "state" in args else {})}
        separator = "&" if "?" in args.get("redirect_uri", "") else "?"
        return Response(status=302, headers={
            "Location": f"{args.get('redirect_uri', '')}{separator}{urlencode(query)}"})

    @app.post(f"{OAUTH}/token")
    def token():
        form = request.form
        try:
            if form.get("client_id") != SANDBOX_CLIENT_ID:
                raise OAuthError("invalid_client", "Unknown software house")
            with sandbox.lock:
                if form.get("grant_type") == "authorization_code":
                    answer = sandbox.tokens.exchange_code(form.get("code", ""),
                                                          form.get("redirect_uri"))
                elif form.get("grant_type") == "refresh_token":
                    answer = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type")
        except OAuthError as exc:
            body = {"error": exc.error, **({"error_description": exc.description}
                                           if exc.description else {})}
            return Response(json.dumps(body), status=400, content_type=_JSON)
        return _json(answer)

    # --- the REST API --------------------------------------------------------------------------
    def spend() -> Response | None:
        verdict = sandbox.budget.spend()
        if not verdict.allowed:
            return _error(429, "Daily limit of webservice calls reached", 429,
                          {"Retry-After": str(verdict.retry_after)})
        return None

    def access_token_refused() -> Response | None:
        state = sandbox.tokens.access_state(request.headers.get("Token", ""))
        if state == "valid":
            return None
        return _error(401, "Token expired" if state == "expired" else "Invalid token", 401)

    @app.get(f"{API}/dossiers")
    def list_dossiers():
        with sandbox.lock:
            refused = spend() or access_token_refused()
            if refused:
                return refused
            return _json([{"dossierKey": {"id": d.dossier_id}, "name": d.name,
                           "countryCode": d.profile.country, "currencyCode": d.profile.currency}
                          for d in sandbox.dossiers])

    @app.post(f"{API}/dossiers")
    def connect_dossier():
        with sandbox.lock:
            refused = spend() or access_token_refused()
            if refused:
                return refused
            dossier_id = request.args.get("dossierId", "")
            if not sandbox.administration_visible(dossier_id):
                return _error(403, f"No access to dossier {dossier_id}", 403)
            return _json({"Dossiertoken": sandbox.tokens.issue_dossier_token(dossier_id)})

    def dossier_call(dossier_id: str, answer) -> Response:
        with sandbox.lock:
            refused = spend()
            if refused:
                return refused
            state = sandbox.tokens.dossier_token_state(request.headers.get("dossierToken", ""),
                                                       dossier_id)
            if state != "valid":
                return _error(401, "Dossiertoken expired" if state == "expired"
                              else "Invalid dossiertoken", 401)
            if not sandbox.administration_visible(dossier_id):
                return _error(403, f"No access to dossier {dossier_id}", 403)
            try:
                return answer(sandbox.books(dossier_id))
            except _BadRequest as exc:
                return _error(400, str(exc), 400)

    @app.get(f"{API}/dossiers/<dossier_id>/bookyears")
    def bookyears(dossier_id: str):
        return dossier_call(dossier_id, lambda books: _json(books.bookyears()))

    @app.get(f"{API}/dossiers/<dossier_id>/accounts")
    def accounts(dossier_id: str):
        def answer(books):
            bookyear = _int_arg("bookyearId")
            if bookyear is None:
                raise _BadRequest("bookyearId is required")
            return _json(books.accounts(bookyear))
        return dossier_call(dossier_id, answer)

    @app.get(f"{API}/dossiers/<dossier_id>/accounts/modified")
    def modified_accounts(dossier_id: str):
        def answer(books):
            since = _since()
            rows = books.accounts() if books.accounts_modified > since else []
            return _json(rows) if rows else _nothing_modified()
        return dossier_call(dossier_id, answer)

    @app.get(f"{API}/dossiers/<dossier_id>/bookyears/<int(signed=True):bookyear_id>"
             "/bookings/modified")
    def modified_bookings(dossier_id: str, bookyear_id: int):
        def answer(books):
            if bookyear_id != -1 and bookyear_id not in books.years.values():
                raise _BadRequest(f"Unknown bookyear {bookyear_id}")
            journal_type = _int_arg("journalTypeId")
            rows = books.bookings(None if bookyear_id == -1 else bookyear_id, _since(),
                                  -1 if journal_type is None else journal_type)
            return _json(rows) if rows else _nothing_modified()
        return dossier_call(dossier_id, answer)

    @app.get(f"{API}/dossiers/<dossier_id>/costcentres")
    def cost_centres(dossier_id: str):
        return dossier_call(dossier_id, lambda books: _json(books.cost_centres()))

    @app.get(f"{API}/dossiers/<dossier_id>/outstandingitems")
    def outstanding_items(dossier_id: str):
        return dossier_call(dossier_id, lambda books: _json(books.outstanding_items()))

    @app.get(f"{API}/dossiers/<dossier_id>/fixedassets")
    def fixed_assets(dossier_id: str):
        return dossier_call(dossier_id, lambda books: _json(
            books.fixed_assets(min(books.last_booking_day(), date.today()))))

    return app


class _BadRequest(ValueError):
    pass


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise _BadRequest(f"{name} {raw!r} is not a number") from None


def _since() -> float:
    raw = request.args.get("modifiedTimeStamp")
    if not raw:
        raise _BadRequest("modifiedTimeStamp is required (YYYY-MM-DD HH:MM:SS.mmm)")
    try:
        return parse_timestamp(raw)
    except ValueError:
        raise _BadRequest(f"modifiedTimeStamp {raw!r} is not YYYY-MM-DD HH:MM:SS.mmm") from None


def _nothing_modified() -> Response:
    # Octopus answers 404 when nothing changed since the timestamp.
    return _error(404, "No modified data found", 404)


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    if fault.body is not None:
        body = fault.body
    else:
        body = json.dumps({"technicalInfo": f"Injected fault {fault.status}",
                           "errorCode": fault.status,
                           "errorMessage": f"Injected fault {fault.status}"})
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else _JSON)
