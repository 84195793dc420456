"""The Twinfield sandbox's two Flask apps: the login host (OAuth2/OpenID, access-token validation
naming the organisation's cluster) and the cluster (processxml.asmx, finder.asmx over SOAP)."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from flask import Flask, Response, g, request

from monitr_sandbox.faults import Fault
from monitr_sandbox.twinfield import browse, finder
from monitr_sandbox.twinfield.organisations import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from monitr_sandbox.twinfield.sandbox import TwinfieldSandbox
from monitr_sandbox.twinfield.soap import (
    CONTENT_TYPE,
    SoapFault,
    SoapRequest,
    fault_body,
    parse_request,
    string_result,
)
from monitr_sandbox.twinfield.tokens import OAuthError
from monitr_sandbox.wire import client_credentials, consent_redirect, request_fault

_AUTH = "/auth/authentication/connect"
_JSON = "application/json; charset=utf-8"
MANDATORY_SCOPES = ("openid", "twf.user", "twf.organisation", "twf.organisationUser")
NO_COMPANY = "Toegang geweigerd. Company ontbreekt in request header."
BAD_TOKEN = "Toegang geweigerd. Het access token is ongeldig of verlopen."


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type=_JSON,
                    headers={"Cache-Control": "no-store"})


# --- the login host ----------------------------------------------------------------------------
def create_login_app(sandbox: TwinfieldSandbox) -> Flask:
    app = Flask("monitr_sandbox.twinfield.login")
    _serve_faults(app, sandbox, soap=False)

    @app.get(f"{_AUTH}/authorize")
    def authorize() -> Response:
        """The consent page: the sandbox user of this organisation approves at once."""
        if request.args.get("client_id") != SANDBOX_CLIENT_ID:
            return _json({"error": "unauthorized_client"}, 400)
        redirect_uri = request.args.get("redirect_uri")
        if not redirect_uri or request.args.get("response_type") != "code":
            return _json({"error": "invalid_request"}, 400)
        scopes = request.args.get("scope", "").split()
        if not set(MANDATORY_SCOPES) <= set(scopes):
            return consent_redirect(redirect_uri, error="invalid_scope")
        with sandbox.lock:
            code = sandbox.tokens.issue_code(redirect_uri, scopes=scopes)
        return consent_redirect(redirect_uri, code=code)

    @app.post(f"{_AUTH}/token")
    def token() -> Response:
        form = request.form
        try:
            if client_credentials() != (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET):
                raise OAuthError("invalid_client")
            with sandbox.lock:
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    body = sandbox.tokens.exchange_code(form.get("code", ""), form.get("redirect_uri"))
                elif grant_type == "refresh_token":
                    body = sandbox.tokens.refresh(form.get("refresh_token", ""))
                else:
                    raise OAuthError("unsupported_grant_type")
        except OAuthError as exc:
            return _json({"error": exc.error}, 400)
        return _json(body)

    @app.get(f"{_AUTH}/accesstokenvalidation")
    def validate() -> Response:
        with sandbox.lock:
            record = sandbox.tokens.validate(request.args.get("token", ""))
        if record is None:
            return _json({"Message": "The access token is invalid or expired."}, 400)
        organisation = sandbox.organisation
        cluster = sandbox.cluster_url or sandbox.serve_cluster()
        return _json({
            "iss": request.host_url.rstrip("/"), "aud": "twf.organisation",
            "exp": record["exp"], "client_id": SANDBOX_CLIENT_ID, "scope": record["scopes"],
            "sub": organisation.user_id, "auth_time": int(record["issued_at"]),
            "twf.id": organisation.user_id, "twf.userCode": organisation.user_code,
            "twf.organisationId": organisation.id, "twf.organisationCode": organisation.code,
            "twf.clusterUrl": cluster,
        })

    @app.get(f"{_AUTH}/userinfo")
    def userinfo() -> Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with sandbox.lock:
            record = sandbox.tokens.validate(token.strip()) if scheme.lower() == "bearer" else None
        if record is None:
            return _json({"error": "invalid_token"}, 401)
        organisation = sandbox.organisation
        return _json({"sub": organisation.user_id, "twf.organisationId": organisation.id,
                      "twf.organisationCode": organisation.code})

    return app


# --- the cluster -------------------------------------------------------------------------------
def create_cluster_app(sandbox: TwinfieldSandbox) -> Flask:
    app = Flask("monitr_sandbox.twinfield.cluster")
    _serve_faults(app, sandbox, soap=True)

    @app.post("/webservices/processxml.asmx")
    def process_xml() -> Response:
        return _soap(sandbox, {"ProcessXmlString": _process_xml_string})

    @app.post("/webservices/finder.asmx")
    def finder_search() -> Response:
        return _soap(sandbox, {"Search": _search})

    return app


def _soap(sandbox: TwinfieldSandbox, operations: dict) -> Response:
    try:
        call = g.get("soap_request") or parse_request(request.get_data())
        handler = operations.get(call.operation)
        if handler is None:
            raise SoapFault(f"Server did not recognize the value of HTTP Header SOAPAction: "
                            f"{call.operation}.", "soap:Client")
        with sandbox.lock:
            if sandbox.tokens.validate(call.headers.get("AccessToken", "")) is None:
                raise SoapFault(BAD_TOKEN)
            body = handler(sandbox, call)
    except SoapFault as fault:
        return Response(fault_body(fault), status=fault.status, content_type=CONTENT_TYPE)
    return Response(body, content_type=CONTENT_TYPE)


def _company(sandbox: TwinfieldSandbox, call: SoapRequest) -> str:
    company = call.headers.get("CompanyCode", "").strip()
    if not company:
        raise SoapFault(NO_COMPANY)
    if not sandbox.administration_visible(company):
        raise SoapFault(f"Toegang geweigerd. Geen toegang tot company {company}.")
    return company


def _process_xml_string(sandbox: TwinfieldSandbox, call: SoapRequest) -> str:
    text = call.text("xmlRequest")
    if text is None:
        raise SoapFault("xmlRequest ontbreekt.", "soap:Client")
    try:
        document = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SoapFault(f"De XML-aanvraag is ongeldig: {exc}.") from None
    kind = (document.findtext("type") or "").strip()
    if document.tag == "list" and kind == "offices":
        result = browse.list_offices(sandbox.offices)
    elif document.tag == "read" and kind == "browse":
        company = _company(sandbox, call)
        office = (document.findtext("office") or company).strip()
        code = (document.findtext("code") or "").strip()
        if code not in browse.BROWSES:
            result = browse.failed(document, f"Browse code '{code}' bestaat niet.")
        elif office != company:
            result = browse.failed(document, f"Administratie '{office}' is niet geselecteerd.")
        else:
            result = browse.definition(code, office)
    elif document.tag == "columns":
        company = _company(sandbox, call)  # a browse has no office: the header selects it
        result = browse.browse(document, sandbox.books(company).rows(), company)
    else:
        result = browse.failed(document, f"Aanvraag '{document.tag}' wordt niet ondersteund.")
    return string_result("ProcessXmlString", result)


def _search(sandbox: TwinfieldSandbox, call: SoapRequest) -> str:
    kind = (call.text("type") or "").strip().upper()
    company = None if kind == "OFF" else _company(sandbox, call)
    return finder.search(call, sandbox.offices, lambda: sandbox.books(company))


# --- faults and the request log ----------------------------------------------------------------
def _described(body: bytes) -> tuple[SoapRequest | None, str]:
    """What a SOAP call asks, as a query string the request log keeps and faults match:
    op=ProcessXmlString&request=columns&code=030_3&yearperiod=2025/01-2025/03&company=...,
    op=Search&type=DIM&dimtype=BAS&firstRow=1&company=..."""
    try:
        call = parse_request(body)
    except SoapFault:
        return None, "op=unreadable"
    parts = {"op": call.operation}
    if call.operation == "ProcessXmlString":
        try:
            document = ET.fromstring(call.text("xmlRequest") or "")
            parts["request"] = document.tag
            code = document.get("code") or document.findtext("code") or document.findtext("type")
            if code:
                parts["code"] = code.strip()
            for column in document.findall("column"):
                if column.findtext("field") == "fin.trs.head.yearperiod":
                    parts["yearperiod"] = f"{column.findtext('from')}-{column.findtext('to')}"
        except ET.ParseError:
            parts["request"] = "unreadable"
    elif call.operation == "Search":
        parts["type"] = (call.text("type") or "").upper()
        options = {}
        try:
            options = finder.options_of(call)
        except finder.FinderError:
            pass
        if "dimtype" in options:
            parts["dimtype"] = options["dimtype"]
        parts["firstRow"] = call.text("firstRow") or "1"
    if call.headers.get("CompanyCode"):
        parts["company"] = call.headers["CompanyCode"]
    return call, urlencode(parts, safe="/")


def _serve_faults(app: Flask, sandbox: TwinfieldSandbox, *, soap: bool) -> None:
    """As monitr_sandbox.wire.serve_faults, with SOAP calls described by what their body asks
    (every call of a service shares one path) and `edit` applied to the answer's text."""

    @app.before_request
    def log_and_inject() -> Response | None:
        if soap and request.method == "POST":
            call, query = _described(request.get_data())
            g.soap_request = call
            fault = sandbox.take_fault(request.method, request.path, query)
        else:
            fault = request_fault(sandbox)
        g.fault = fault
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if fault.action is not None:
            fault.action()
        return _fault_response(fault, soap) if fault.replaces_answer else None

    @app.after_request
    def edit_answer(response: Response) -> Response:
        fault = g.get("fault")
        if fault is None or fault.replaces_answer:
            return response
        if fault.edit is not None:
            response.set_data(fault.edit(response.get_data(as_text=True)))
        response.headers.update(fault.headers)
        return response


def _fault_response(fault: Fault, soap: bool) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    if fault.body is not None:
        body = fault.body
    elif soap and fault.status >= 400:
        body = fault_body(SoapFault(f"Injected fault {fault.status}."))
    else:
        body = json.dumps({"Message": f"Injected fault {fault.status}."})
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else (CONTENT_TYPE if soap else _JSON))
