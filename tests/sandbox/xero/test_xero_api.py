"""The emulated Accounting and Assets APIs: what they serve from the ledger, how queries page and
filter, the journal log under change, tenant and scope checks, quotas and injected faults."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from monitr_sandbox.xero import SANDBOX_TENANTS, XeroSandbox, create_app

NL, BE = (t.tenant_id for t in SANDBOX_TENANTS)


def _journals(client, headers, offset: int = 0) -> list[dict]:
    everything = []
    while True:
        page = client.get("/api.xro/2.0/Journals", headers=headers,
                          query_string={"offset": offset}).json["Journals"]
        everything += page
        if len(page) < 100:
            return everything
        offset = page[-1]["JournalNumber"]


def _net_by_account(journals: list[dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for journal in journals:
        for line in journal["JournalLines"]:
            totals[line["AccountCode"]] += Decimal(str(line["NetAmount"]))
    return {code: total for code, total in totals.items() if total}


def _ledger_by_account(xero: XeroSandbox, tenant_id: str) -> dict[str, Decimal]:
    """The ledger's balances as Xero holds them: without the year-start opening entries."""
    ledger = xero.ledger(tenant_id)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry, line in ledger.lines():
        if not (entry.entry_type == "opening" and entry.fiscal_year != ledger.fiscal_years[0]):
            totals[line.account_code] += line.amount
    return {code: total for code, total in totals.items() if total}


def test_journals_are_the_ledger_in_pages_of_100(client, headers, xero):
    journals = _journals(client, headers)
    assert len(journals) > 500
    assert [j["JournalNumber"] for j in journals] == list(range(1, len(journals) + 1))
    for journal in journals:
        assert sum(Decimal(str(line["NetAmount"])) for line in journal["JournalLines"]) == 0
    assert _net_by_account(journals) == _ledger_by_account(xero, NL)
    sales = next(j for j in journals if j["SourceType"] == "ACCREC")
    taxed = next(line for line in sales["JournalLines"] if line.get("TaxType"))
    assert Decimal(str(taxed["GrossAmount"])) == (Decimal(str(taxed["NetAmount"]))
                                                  + Decimal(str(taxed["TaxAmount"])))
    assert {t["Name"] for j in journals for line in j["JournalLines"]
            for t in line["TrackingCategories"]} == {"Kostenplaats", "Project"}


def test_a_new_day_appends_journals_and_never_rewrites_one(client, headers, xero):
    before = _journals(client, headers)
    xero.advance_to_day(1)
    after = _journals(client, headers)
    assert after[:len(before)] == before  # immutable: edits and deletions are new journals
    new = after[len(before):]
    kinds = [j["SourceType"] for j in new]
    assert "ACCREC" in kinds and "ACCRECPAYMENT" in kinds  # a new invoice and a receipt
    # The edited sales line and the deleted memorial each come back as a reversal of an earlier
    # journal: the same source, every amount negated.
    reversed_sources = {j["SourceID"] for j in new} & {j["SourceID"] for j in before}
    assert len(reversed_sources) == 2
    assert _net_by_account(after) == _ledger_by_account(xero, NL)
    assert _journals(client, headers, offset=len(before)) == new


def test_journals_if_modified_since_filters_on_creation(client, headers, xero):
    xero.advance_to_day(1)
    recent = client.get("/api.xro/2.0/Journals", query_string={"offset": 0},
                        headers={**headers, "If-Modified-Since": "2026-11-21T00:00:00"}).json
    assert recent["Journals"] and all(j["JournalNumber"] > 1000 for j in recent["Journals"])


def _invoices(client, headers, **query) -> dict:
    response = client.get("/api.xro/2.0/Invoices", headers=headers, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_authorised_invoices_are_the_ledgers_open_invoices(client, headers, xero):
    body = _invoices(client, headers, Statuses="AUTHORISED", page=1, pageSize=1000)
    invoices = body["Invoices"]
    ledger = xero.ledger(NL)
    open_items = {item.id: item for item in ledger.open_items}
    due = {}
    for invoice in invoices:
        entry = next(e for e in ledger.entries.values() if str(e.id) == invoice["InvoiceID"])
        due[entry.lines[0].id] = Decimal(str(invoice["AmountDue"]))
        assert invoice["Status"] == "AUTHORISED" and invoice["LineItems"]
        assert invoice["Type"] == ("ACCREC" if entry.entry_type == "sales" else "ACCPAY")
    assert due == {key: item.amount for key, item in open_items.items() if key in due}
    assert len(due) == len([i for i in ledger.open_items if i.invoice_date.year > 2024])
    assert body["pagination"] == {"page": 1, "pageSize": 1000, "pageCount": 1,
                                  "itemCount": len(invoices)}


def test_invoice_pages_and_the_unpaged_list(client, headers):
    everything = _invoices(client, headers)["Invoices"]
    assert "pagination" not in _invoices(client, headers)
    assert all("LineItems" not in invoice for invoice in everything)
    page_two = _invoices(client, headers, page=2, pageSize=7)
    assert page_two["pagination"]["pageCount"] == -(-len(everything) // 7)
    assert [i["InvoiceID"] for i in page_two["Invoices"]] == [
        i["InvoiceID"] for i in everything[7:14]]
    assert _invoices(client, headers, pageSize=5000, page=1)["pagination"]["pageSize"] == 1000


def test_a_voided_invoice_shows_its_status_to_if_modified_since(client, headers, xero):
    books = xero.books(NL)
    number = next(n for n, b in books.balances().items() if not b.paid and not b.credited)
    voided = xero.void_invoice(NL, number)
    changed = _invoices(client, {**headers, "If-Modified-Since": "2026-11-20T17:30:00Z"},
                        page=1)["Invoices"]
    assert [(i["InvoiceID"], i["Status"], i["AmountDue"]) for i in changed] == [
        (str(voided.id), "VOIDED", 0.0)]
    open_ids = {i["InvoiceID"] for i in _invoices(client, headers, Statuses="AUTHORISED")["Invoices"]}
    assert changed[0]["InvoiceID"] not in open_ids
    assert _net_by_account(_journals(client, headers)) == _ledger_by_account(xero, NL)


def test_settings_endpoints(client, headers, xero):
    accounts = client.get("/api.xro/2.0/Accounts", headers=headers).json["Accounts"]
    assert [a["Code"] for a in accounts] == [a.code for a in xero.ledger(NL).accounts]
    assert {a["Class"] for a in accounts} == {"ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE"}
    categories = client.get("/api.xro/2.0/TrackingCategories", headers=headers).json
    archived = client.get("/api.xro/2.0/TrackingCategories", headers=headers,
                          query_string={"includeArchived": "true"}).json
    count = lambda body: sum(len(c["Options"]) for c in body["TrackingCategories"])  # noqa: E731
    assert count(archived) > count(categories)  # ended projects are archived options
    be = client.get("/api.xro/2.0/Organisation", headers={**headers, "Xero-Tenant-Id": BE}).json
    organisation = be["Organisations"][0]
    assert (organisation["FinancialYearEndDay"], organisation["FinancialYearEndMonth"]) == (30, 6)
    assert organisation["OrganisationID"] == BE and organisation["BaseCurrency"] == "EUR"


def test_assets_need_a_status_and_page(client, headers, xero):
    assert client.get("/assets.xro/1.0/Assets", headers=headers).status_code == 400
    first = client.get("/assets.xro/1.0/Assets", headers=headers,
                       query_string={"status": "REGISTERED", "pageSize": 2}).json
    assert first["pagination"]["itemCount"] == len(xero.ledger(NL).fixed_assets)
    assert len(first["items"]) == 2 and first["items"][0]["assetStatus"] == "Registered"
    asset = first["items"][0]
    detail = asset["bookDepreciationDetail"]
    booked = detail["priorAccumDepreciationAmount"] + detail["currentAccumDepreciationAmount"]
    assert round(asset["purchasePrice"] - booked, 2) == asset["accountingBookValue"]
    draft = client.get("/assets.xro/1.0/Assets", headers=headers, query_string={"status": "DRAFT"})
    assert draft.json["items"] == []


def test_tenant_header_scope_and_accept(client, headers, xero):
    no_tenant = {k: v for k, v in headers.items() if k != "Xero-Tenant-Id"}
    assert client.get("/api.xro/2.0/Accounts", headers=no_tenant).status_code == 403
    narrow = xero.issue_tokens(scopes=("offline_access", "accounting.settings.read"))
    limited = {**headers, "Authorization": f"Bearer {narrow['access_token']}"}
    assert client.get("/api.xro/2.0/Accounts", headers=limited).status_code == 200
    refused = client.get("/api.xro/2.0/Journals", headers=limited)
    assert refused.status_code == 403 and refused.json["Detail"] == "AuthorizationUnsuccessful"
    xml = client.get("/api.xro/2.0/Organisation", headers={**headers, "Accept": "*/*"})
    assert xml.content_type.startswith("text/xml")
    assert b"<Organisations><Organisation>" in xml.data
    assert client.get("/api.xro/2.0/Nope", headers=headers).status_code == 404


def test_quotas_per_tenant_minute_and_day(clock):
    xero = XeroSandbox(clock=clock, minute_limit=3, day_limit=5)
    client = create_app(xero).test_client()
    headers = {"Authorization": f"Bearer {xero.issue_tokens()['access_token']}",
               "Accept": "application/json", "Xero-Tenant-Id": NL}
    get = lambda h: client.get("/api.xro/2.0/Organisation", headers=h)  # noqa: E731
    remaining = [get(headers).headers["X-MinLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = get(headers)
    assert refused.status_code == 429
    assert refused.headers["X-Rate-Limit-Problem"] == "minute"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert get({**headers, "Xero-Tenant-Id": BE}).status_code == 200  # per tenant
    clock.now += 60
    assert [get(headers).status_code for _ in range(3)] == [200, 200, 429]
    day = get(headers)
    assert day.headers["X-Rate-Limit-Problem"] == "day" and day.headers["X-DayLimit-Remaining"] == "0"


def test_injected_faults_look_like_xero(client, headers, xero):
    xero.inject_fault(r"/Journals", 429, times=1)
    refused = client.get("/api.xro/2.0/Journals", headers=headers, query_string={"offset": 0})
    assert refused.status_code == 429 and refused.headers["X-Rate-Limit-Problem"] == "minute"
    assert client.get("/api.xro/2.0/Journals", headers=headers,
                      query_string={"offset": 0}).status_code == 200
    assert [path for _, path, _ in xero.request_log] == ["/api.xro/2.0/Journals"] * 2


def test_a_vanished_organisation_loses_its_connections_until_it_is_back(client, headers, xero):
    xero.remove_administration(NL)
    connections = client.get("/connections", headers=headers).json
    assert [c["tenantId"] for c in connections] == [BE]
    gone = client.get("/api.xro/2.0/Accounts", headers=headers)
    assert gone.status_code == 403 and gone.json["Detail"] == "AuthenticationUnsuccessful"
    # A consent given meanwhile does not connect it either.
    fresh = xero.issue_tokens()
    fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert [c["tenantId"] for c in client.get("/connections", headers=fresh_headers).json] == [BE]

    xero.restore_administration(NL)
    assert {c["tenantId"] for c in client.get("/connections", headers=headers).json} == {NL, BE}
    assert client.get("/api.xro/2.0/Accounts", headers=headers).status_code == 200
