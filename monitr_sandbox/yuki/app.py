"""The Yuki sandbox's Flask app: /ws/Accounting.asmx and /ws/AccountingInfo.asmx over SOAP 1.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from flask import Flask, Response, g, request

from monitr_sandbox.faults import Fault
from monitr_sandbox.wire import serve_faults
from monitr_sandbox.yuki.sandbox import BAD_SESSION, YukiSandbox, no_access
from monitr_sandbox.yuki.soap import (
    CONTENT_TYPE,
    YUKI_NS,
    SoapCall,
    SoapFault,
    element,
    fault_body,
    inline_result,
    parse_call,
    string_result,
)

# Each service spells the session parameter its own way (API_FACTS.md section 6); a call that
# spells it otherwise reaches Yuki without a session.
SESSION_PARAMETER = {"Accounting": "sessionID", "AccountingInfo": "sessionID",
                     "Sales": "sessionId", "Purchase": "sessionId"}
MAX_RECORDS = 1000  # numberOfRecords' maximum (ours: Yuki publishes none)
_SECRET_PARAMETERS = frozenset({"accessKey", "sessionID", "sessionId"})
Handler = Callable[[YukiSandbox, SoapCall], str]


def _date(call: SoapCall, name: str) -> date:
    text = call.param(name)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise SoapFault(f"Parameter {name}: '{text}' is not a valid date.", "soap:Client") from None


def _number(call: SoapCall, name: str) -> int:
    text = call.param(name)
    if not text.strip().lstrip("-").isdigit():
        raise SoapFault(f"Parameter {name}: '{text}' is not a valid number.", "soap:Client")
    return int(text)


def _administration(sandbox: YukiSandbox, call: SoapCall) -> str:
    administration_id = call.param("administrationID")
    if not sandbox.administration_visible(administration_id):
        raise SoapFault(no_access(administration_id))
    return administration_id


# --- Accounting.asmx ------------------------------------------------------------------------------
def _administrations(sandbox: YukiSandbox, call: SoapCall) -> str:
    started = {a.id: a.profile.fiscal_years[0] for a in sandbox.administrations}
    rows = "".join(element("Administration", {
        "ID": a.id, "Name": a.name, "DomainID": sandbox.domain.id, "Country": a.country,
        "StartDate": f"{started[a.id]}-01-01T00:00:00"}, ("ID",)) for a in sandbox.administrations)
    return inline_result(call.operation, f'<Administrations xmlns="">{rows}</Administrations>')


def _outstanding(kind: str, by_date: bool) -> Handler:
    def answer(sandbox: YukiSandbox, call: SoapCall) -> str:
        books = sandbox.books(_administration(sandbox, call))
        on = _date(call, "dateOutstanding") if by_date else None
        items = "".join(element("Item", row, ("ID",)) for row in books.outstanding(kind, on))
        return string_result(call.operation, f"<OutstandingItems>{items}</OutstandingItems>")

    return answer


# --- AccountingInfo.asmx --------------------------------------------------------------------------
def _transaction_details(sandbox: YukiSandbox, call: SoapCall) -> str:
    books = sandbox.books(_administration(sandbox, call))
    start, end = _date(call, "StartDate"), _date(call, "EndDate")
    first, count = _number(call, "startRecord"), _number(call, "numberOfRecords")
    if first < 1 or not 1 <= count <= MAX_RECORDS:
        raise SoapFault(f"startRecord must be 1 or more and numberOfRecords 1 to {MAX_RECORDS}.",
                        "soap:Client")
    account = call.params.get("GLAccountCode") or ""
    groups = frozenset(g.strip().lower() for g in (call.params.get("dataGroups") or "").split(","))
    rows = [row for row in books.transactions(start, end, groups)
            if not account or row["glAccountCode"] == account]
    page = rows[first - 1:first - 1 + count]
    return inline_result(call.operation, "".join(element("TransactionInfo", row) for row in page))


def _gl_account_scheme(sandbox: YukiSandbox, call: SoapCall) -> str:
    books = sandbox.books(_administration(sandbox, call))
    return inline_result(call.operation, "".join(element("GlAccount", row)
                                                 for row in books.accounts()))


def _projects(sandbox: YukiSandbox, call: SoapCall) -> str:
    books = sandbox.books(_administration(sandbox, call))
    option, value = call.params.get("searchOption") or "All", call.params.get("searchValue") or ""
    rows = [row for row in books.projects()
            if option == "All" or value.lower() in row.get(option.lower(), "").lower()]
    projects = "".join(element("Project", row, ("ID",)) for row in rows)
    return string_result(call.operation, f"<Projects>{projects}</Projects>")


def _period_date_table(sandbox: YukiSandbox, call: SoapCall) -> str:
    books = sandbox.books(_administration(sandbox, call))
    periods = "".join(element("Period", row) for row in books.periods(_number(call, "yearID")))
    return string_result(call.operation, f"<PeriodDateTable>{periods}</PeriodDateTable>")


SERVICES: dict[str, dict[str, Handler]] = {
    "Accounting": {
        "Administrations": _administrations,
        "OutstandingDebtorItems": _outstanding("receivable", False),
        "OutstandingCreditorItems": _outstanding("payable", False),
        "OutstandingDebtorItemsByDateOutstanding": _outstanding("receivable", True),
        "OutstandingCreditorItemsByDateOutstanding": _outstanding("payable", True),
    },
    "AccountingInfo": {
        "GetTransactionDetails": _transaction_details,
        "GetGLAccountScheme": _gl_account_scheme,
        "GetProjectsAndID": _projects,
        "GetPeriodDateTable": _period_date_table,
    },
}


def create_app(sandbox: YukiSandbox) -> Flask:
    app = Flask("monitr_sandbox.yuki")
    serve_faults(app, sandbox, _fault_response, _described_request, edit_text=True)

    @app.post("/ws/<service>.asmx")
    def serve(service: str) -> Response:
        try:
            call = g.get("soap_call") or parse_call(request.get_data())
            action = request.headers.get("SOAPAction", "").strip('"')
            if action != f"{YUKI_NS}{call.operation}":
                # SOAP 1.1 on ASMX routes by the SOAPAction header, which must name the operation.
                raise SoapFault(f"Server did not recognize the value of HTTP Header SOAPAction: "
                                f"{action}.", "soap:Client")
            handler = SERVICES.get(service, {}).get(call.operation)
            if call.operation == "Authenticate" and service == "Accounting":
                handler = None
            elif handler is None:
                raise SoapFault(f"Server did not recognize the value of HTTP Header SOAPAction: "
                                f"http://www.theyukicompany.com/{call.operation}.", "soap:Client")
            with sandbox.lock:
                sandbox.count_call()
                if handler is None:
                    session_id = sandbox.authenticate(call.param("accessKey"))
                    return _answer(inline_result("Authenticate", session_id))
                if not sandbox.session_valid(call.params.get(SESSION_PARAMETER[service])):
                    raise SoapFault(BAD_SESSION)
                return _answer(handler(sandbox, call))
        except SoapFault as fault:
            return Response(fault_body(fault), status=500, content_type=CONTENT_TYPE)

    return app


def _answer(body: str) -> Response:
    return Response(body, content_type=CONTENT_TYPE)


# --- faults and the request log -------------------------------------------------------------------
def _described(body: bytes) -> tuple[SoapCall | None, str]:
    """What a SOAP call asks, as a query string the request log keeps and faults match:
    op=GetTransactionDetails&administrationID=...&StartDate=2025-01-01&...&startRecord=1
    (secrets left out)."""
    try:
        call = parse_call(body)
    except SoapFault:
        return None, "op=unreadable"
    parts = {"op": call.operation, **{name: value for name, value in call.params.items()
                                      if name not in _SECRET_PARAMETERS}}
    return call, urlencode(parts, safe="/:,")


def _described_request() -> tuple[str, str]:
    """What the faults match and the log keeps: the path and the call's description (every
    operation of a service shares one URL); the parsed call is kept for the handler."""
    call, query = _described(request.get_data()) if request.method == "POST" else (None, "")
    g.soap_call = call
    return request.path, query


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Retry-After", "1")
    body = fault.body if fault.body is not None else fault_body(
        SoapFault(f"Injected fault {fault.status}."))
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(body, status=fault.status, headers=headers,
                    content_type=None if has_type else CONTENT_TYPE)
