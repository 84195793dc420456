"""The Twinfield emulator over real HTTP: OpenID login host, token validation naming the cluster,
and the SOAP services (ProcessXmlString browse and lists, finder Search) on two cluster hosts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest
import requests
from requests_oauthlib import OAuth2Session

from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.twinfield import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    TwinfieldSandbox,
    create_login_app,
)

REDIRECT = "http://127.0.0.1:1/callback"  # never contacted: the code is read from the redirect
SCOPES = ["openid", "twf.user", "twf.organisation", "twf.organisationUser", "offline_access"]
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
TWF = "{http://www.twinfield.com/}"
NL_OFFICE, BE_OFFICE = "NLA000101", "BEA000201"


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, tuple[TwinfieldSandbox, str]]]:
    """Both sandbox organisations, each with its login host and (once validated) its cluster."""
    running, servers = {}, []
    for environment in ("nl", "be"):
        sandbox = TwinfieldSandbox(environment)
        server = EmulatorServer(create_login_app(sandbox)).start()
        servers.append((sandbox, server))
        running[environment] = (sandbox, server.url)
    yield running
    for sandbox, server in servers:
        server.stop()
        sandbox.close()


def _cluster(login: str, token: str) -> dict:
    answer = requests.get(f"{login}/auth/authentication/connect/accesstokenvalidation",
                          params={"token": token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _envelope(token: str | None, company: str | None, body: str) -> str:
    header = "".join(f"<AccessToken>{escape(token)}</AccessToken>" if token else "") + (
        f"<CompanyCode>{company}</CompanyCode>" if company else "")
    return ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            f'<soap:Header><Header xmlns="http://www.twinfield.com/">{header}</Header></soap:Header>'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>")


def process_xml(cluster: str, token: str | None, company: str | None, xml: str) -> requests.Response:
    body = (f'<ProcessXmlString xmlns="http://www.twinfield.com/"><xmlRequest>{escape(xml)}'
            "</xmlRequest></ProcessXmlString>")
    return requests.post(f"{cluster}/webservices/processxml.asmx", data=_envelope(token, company, body),
                         headers={"Content-Type": "text/xml; charset=utf-8",
                                  "SOAPAction": "http://www.twinfield.com/ProcessXmlString"},
                         timeout=30)


def result_of(response: requests.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    result = ET.fromstring(response.content).find(f"{SOAP}Body/{TWF}ProcessXmlStringResponse/"
                                                  f"{TWF}ProcessXmlStringResult")
    return ET.fromstring(result.text)


def search(cluster: str, token: str, company: str | None, kind: str, first: int = 1,
           most: int = 100, **options: str) -> ET.Element:
    pairs = "".join(f"<ArrayOfString><string>{k}</string><string>{v}</string></ArrayOfString>"
                    for k, v in options.items())
    body = (f'<Search xmlns="http://www.twinfield.com/"><type>{kind}</type><pattern>*</pattern>'
            f"<field>0</field><firstRow>{first}</firstRow><maxRows>{most}</maxRows>"
            f"<options>{pairs}</options></Search>")
    response = requests.post(f"{cluster}/webservices/finder.asmx", data=_envelope(token, company, body),
                             headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=30)
    assert response.status_code == 200, response.text
    return ET.fromstring(response.content).find(f"{SOAP}Body/{TWF}SearchResponse")


def browse_gl(period_from: str, period_to: str, code: str = "030_3") -> str:
    fields = ["fin.trs.head.yearperiod", "fin.trs.head.code", "fin.trs.head.number",
              "fin.trs.head.modified", "fin.trs.line.dim1", "fin.trs.line.dim2",
              "fin.trs.line.dim3", "fin.trs.line.valuesigned", "fin.trs.line.description"]
    if code != "030_3":
        fields = ["fin.trs.head.yearperiod", "fin.trs.head.code", "fin.trs.head.number",
                  "fin.trs.line.dim2", "fin.trs.line.invnumber", "fin.trs.line.datedue",
                  "fin.trs.line.openbasevaluesigned", "fin.trs.line.matchstatus"]
    columns = "".join(
        f"<column><field>{f}</field><operator>between</operator><from>{period_from}</from>"
        f"<to>{period_to}</to></column>" if f == "fin.trs.head.yearperiod"
        else f"<column><field>{f}</field></column>" for f in fields)
    return f'<columns code="{code}">{columns}</columns>'


def rows_of(browse: ET.Element) -> list[dict[str, str]]:
    return [{td.get("field"): td.text or "" for td in tr.findall("td")} for tr in browse.findall("tr")]


@pytest.fixture(scope="module")
def nl(served) -> dict:
    """The NL organisation's token (through requests-oauthlib's code flow) and its cluster."""
    sandbox, login = served["nl"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on loopback
        oauth = OAuth2Session(SANDBOX_CLIENT_ID, redirect_uri=REDIRECT, scope=SCOPES)
        url, _ = oauth.authorization_url(f"{login}/auth/authentication/connect/authorize")
        consent = requests.get(url, allow_redirects=False, timeout=10)
        assert consent.status_code == 302
        token = oauth.fetch_token(f"{login}/auth/authentication/connect/token",
                                  authorization_response=consent.headers["Location"],
                                  client_secret=SANDBOX_CLIENT_SECRET, include_client_id=True)
    assert token["expires_in"] == 3600 and token["refresh_token"]
    validation = _cluster(login, token["access_token"])
    return {"sandbox": sandbox, "login": login, "token": token["access_token"],
            "refresh": token["refresh_token"], "cluster": validation["twf.clusterUrl"],
            "validation": validation}


def test_validation_names_each_organisations_own_cluster(served, nl):
    assert nl["validation"]["twf.organisationCode"] == "TWF-DEMO-NL"
    assert nl["cluster"] != nl["login"]
    be_sandbox, be_login = served["be"]
    be = _cluster(be_login, be_sandbox.issue_tokens()["access_token"])
    assert be["twf.organisationCode"] == "TWF-DEMO-BE"
    assert be["twf.clusterUrl"] not in (nl["cluster"], be_login)
    # The NL token and the BE office mean nothing on each other's cluster.
    wrong = process_xml(be["twf.clusterUrl"], nl["token"], BE_OFFICE, browse_gl("2026/01", "2026/01"))
    assert wrong.status_code == 500 and "Toegang geweigerd" in wrong.text
    elsewhere = process_xml(nl["cluster"], nl["token"], BE_OFFICE, browse_gl("2026/01", "2026/01"))
    assert elsewhere.status_code == 500 and BE_OFFICE in elsewhere.text
    bad = requests.get(f"{nl['login']}/auth/authentication/connect/accesstokenvalidation",
                       params={"token": "nope"}, timeout=10)
    assert bad.status_code == 400


def test_offices_without_a_company_and_the_finder(nl):
    offices = result_of(process_xml(nl["cluster"], nl["token"], None,
                                    "<list><type>offices</type></list>"))
    assert offices.get("result") == "1"
    assert [o.text for o in offices.findall("office")] == ["NLA000101", "NLA000102", "BEA000103"]
    found = search(nl["cluster"], nl["token"], None, "OFF")
    assert found.findtext(f"{TWF}data/{TWF}TotalRows") == "3"
    # Dimensions page with firstRow/maxRows; TotalRows counts every match.
    pages, first = [], 1
    while True:
        page = search(nl["cluster"], nl["token"], NL_OFFICE, "DIM", first=first, most=7, dimtype="BAS")
        items = page.findall(f"{TWF}data/{TWF}Items/{TWF}ArrayOfString")
        total = int(page.findtext(f"{TWF}data/{TWF}TotalRows"))
        pages += [[s.text for s in item] for item in items]
        first += 7
        if first > total:
            break
    ledger = nl["sandbox"].ledger(NL_OFFICE)
    assert [code for code, _ in pages] == [a.code for a in ledger.accounts if a.balance_type == "B"]
    for dimtype in ("PNL", "KPL", "PRJ", "AST"):
        page = search(nl["cluster"], nl["token"], NL_OFFICE, "DIM", dimtype=dimtype)
        assert int(page.findtext(f"{TWF}data/{TWF}TotalRows")) > 0, dimtype
    periods = search(nl["cluster"], nl["token"], NL_OFFICE, "PRD", year="2026")
    codes = [item[0].text for item in periods.findall(f"{TWF}data/{TWF}Items/{TWF}ArrayOfString")]
    assert codes[0] == "2026/00" and codes[-1] == "2026/12"
    error = search(nl["cluster"], nl["token"], NL_OFFICE, "DIM", dimtype="XYZ")
    assert error.findtext(f"{TWF}SearchResult/{TWF}MessageOfErrorCodes/{TWF}Type") == "Error"


def test_browse_gl_lines_balance_and_carry_dimensions(nl):
    browse = result_of(process_xml(nl["cluster"], nl["token"], NL_OFFICE, browse_gl("2025/00", "2025/12")))
    assert browse.get("result") == "1"
    assert [td.text for td in browse.find("th")][0] == "fin.trs.head.yearperiod"
    rows = rows_of(browse)
    assert int(browse.get("total")) == len(rows) > 1000
    totals = defaultdict(Decimal)
    for row in rows:
        assert row["fin.trs.head.yearperiod"].startswith("2025/")
        totals[(row["fin.trs.head.code"], row["fin.trs.head.number"])] += Decimal(row["fin.trs.line.valuesigned"])
    assert set(totals.values()) == {Decimal("0.00")}
    assert any(r["fin.trs.head.yearperiod"] == "2025/00" for r in rows)  # opening balance
    assert {r["fin.trs.line.dim2"] for r in rows} >= {"100", "900"}  # cost centres and relations
    assert any(r["fin.trs.line.dim3"] for r in rows)
    assert all(tr.find("key/number") is not None for tr in browse.findall("tr"))


def test_errors_faults_and_a_missing_company(nl):
    missing = process_xml(nl["cluster"], nl["token"], None, browse_gl("2026/01", "2026/01"))
    assert missing.status_code == 500
    fault = ET.fromstring(missing.content).find(f"{SOAP}Body/{SOAP}Fault")
    assert fault.findtext("faultstring") == "Toegang geweigerd. Company ontbreekt in request header."
    invalid = process_xml(nl["cluster"], "not-a-token", NL_OFFICE, browse_gl("2026/01", "2026/01"))
    assert invalid.status_code == 500 and "access token" in invalid.text
    unknown = result_of(process_xml(nl["cluster"], nl["token"], NL_OFFICE, browse_gl("2026/01", "2026/01", "999")))
    assert unknown.get("result") == "0" and unknown.get("msgtype") == "error" and unknown.get("msg")
    bad_period = result_of(process_xml(nl["cluster"], nl["token"], NL_OFFICE, browse_gl("2026-01", "2026/01")))
    assert bad_period.get("result") == "0"
    assert any(c.get("msgtype") == "error" for c in bad_period.findall("column"))


def test_expired_token_faults_until_refreshed(served):
    sandbox, login = served["be"]
    token = sandbox.issue_tokens()
    cluster = _cluster(login, token["access_token"])["twf.clusterUrl"]
    sandbox.expire_access_tokens()
    expired = process_xml(cluster, token["access_token"], BE_OFFICE, browse_gl("2026/01", "2026/01"))
    assert expired.status_code == 500 and "verlopen" in expired.text
    refreshed = requests.post(f"{login}/auth/authentication/connect/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": token["refresh_token"],
        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}).json()
    assert refreshed["refresh_token"] == token["refresh_token"]  # no rotation
    assert result_of(process_xml(cluster, refreshed["access_token"], BE_OFFICE,
                                 browse_gl("2026/01", "2026/01"))).get("result") == "1"


def test_injected_429_is_matched_on_the_soap_call(nl):
    nl["sandbox"].inject_fault(r"code=030_3.*company=NLA000101", 429, headers={"Retry-After": "0"})
    limited = process_xml(nl["cluster"], nl["token"], NL_OFFICE, browse_gl("2026/02", "2026/02"))
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "0"
    assert process_xml(nl["cluster"], nl["token"], NL_OFFICE, browse_gl("2026/02", "2026/02")).status_code == 200
    assert any("yearperiod=2026/02-2026/02" in query for _, _, query in nl["sandbox"].request_log)


def test_open_items_and_reversals_after_a_replayed_day(nl):
    sandbox, cluster, token = nl["sandbox"], nl["cluster"], nl["token"]
    def gl() -> list[dict]:
        return rows_of(result_of(process_xml(cluster, token, NL_OFFICE, browse_gl("2026/00", "2026/12"))))

    before = gl()
    sandbox.advance_to_day(sandbox.day + 1)
    after = gl()
    keys = {(r["fin.trs.head.code"], r["fin.trs.head.number"]) for r in before}
    new = [r for r in after if (r["fin.trs.head.code"], r["fin.trs.head.number"]) not in keys]
    reversals = [r for r in new if r["fin.trs.line.description"].startswith("Terugboeking")]
    assert reversals, "a changed or removed transaction is reversed, not deleted"
    assert all(row in after for row in before)  # nothing disappears
    latest = max(r["fin.trs.head.yearperiod"] for r in after)
    assert any(r["fin.trs.head.yearperiod"] < latest for r in reversals)  # booked in an earlier period
    assert min(r["fin.trs.head.modified"] for r in new) > max(r["fin.trs.head.modified"] for r in before)
    # Open items: the customer lines still available add up to the ledger's open receivables.
    items = rows_of(result_of(process_xml(cluster, token, NL_OFFICE, browse_gl("2025/00", "2026/12", "100"))))
    available = sum(Decimal(r["fin.trs.line.openbasevaluesigned"]) for r in items
                    if r["fin.trs.line.matchstatus"] == "available")
    ledger = sandbox.ledger(NL_OFFICE)
    assert available == sum(i.amount for i in ledger.open_items if i.kind == "receivable")
    assert {r["fin.trs.line.matchstatus"] for r in items} == {"available", "matched"}
