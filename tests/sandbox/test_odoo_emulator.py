"""The Odoo emulator over real HTTP: both protocols, companies, domains, paging, write_date and
unlinked lines, error shapes and injected faults."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
import requests

from monitr_sandbox.control_api import with_controls
from monitr_sandbox.odoo import DATABASE, LOGIN, OdooSandbox, create_app
from monitr_sandbox.server import EmulatorServer


@pytest.fixture(scope="module")
def served():
    """One emulator for the read-only tests (building the books is the slow part)."""
    sandbox = OdooSandbox()
    with EmulatorServer(with_controls(create_app(sandbox), sandbox)) as server:
        yield sandbox, server.url


@pytest.fixture
def fresh():
    """An emulator of its own, for tests that change the books or inject faults."""
    sandbox = OdooSandbox()
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url


def rpc(url: str, service: str, method: str, *args, request_id: int = 1) -> dict:
    response = requests.post(f"{url}/jsonrpc", json={
        "jsonrpc": "2.0", "method": "call", "id": request_id,
        "params": {"service": service, "method": method, "args": list(args)}}, timeout=30)
    assert response.status_code == 200
    return response.json()


def execute_kw(sandbox: OdooSandbox, url: str, model: str, method: str, args: list,
               kwargs: dict | None = None, key: str | None = None) -> dict:
    return rpc(url, "object", "execute_kw", DATABASE, sandbox.uid, key or sandbox.api_key, model,
               method, args, kwargs or {})


def json2(sandbox: OdooSandbox, url: str, model: str, method: str, body: dict,
          key: str | None = None) -> requests.Response:
    return requests.post(f"{url}/json/2/{model}/{method}", json=body, timeout=30, headers={
        "Authorization": f"bearer {key or sandbox.api_key}", "X-Odoo-Database": DATABASE})


def test_version_and_authenticate(served):
    sandbox, url = served
    version = requests.get(f"{url}/web/version", timeout=10).json()
    assert version["version"] == "19.0" and version["version_info"][0] == 19
    assert rpc(url, "common", "authenticate", DATABASE, LOGIN, sandbox.api_key, {})["result"] == 6
    # A wrong key or login is no error in Odoo: authenticate answers False.
    assert rpc(url, "common", "authenticate", DATABASE, LOGIN, "0" * 40, {})["result"] is False
    assert rpc(url, "common", "authenticate", DATABASE, "someone", sandbox.api_key, {})["result"] is False
    unknown_db = rpc(url, "common", "authenticate", "nope", LOGIN, sandbox.api_key, {})
    assert unknown_db["error"]["data"]["name"] == "psycopg2.OperationalError"


def test_companies_are_nl_and_be_with_their_fiscal_year_end(served):
    sandbox, url = served
    companies = json2(sandbox, url, "res.company", "search_read",
                      {"fields": ["name", "country_id", "currency_id", "fiscalyear_last_day",
                                  "fiscalyear_last_month"], "order": "id"}).json()
    assert [c["country_id"][1] for c in companies] == ["Netherlands", "Belgium"]
    assert all(c["currency_id"] == [1, "EUR"] and c["fiscalyear_last_day"] == 31
               and c["fiscalyear_last_month"] == "12" for c in companies)
    be_accounts = json2(sandbox, url, "account.account", "search_read",
                        {"fields": ["code", "account_type", "company_ids"],
                         "context": {"allowed_company_ids": [2]}}).json()
    assert {a["company_ids"][0] for a in be_accounts} == {2}
    by_code = {a["code"]: a["account_type"] for a in be_accounts}
    assert by_code["400000"] == "asset_receivable" and by_code["440000"] == "liability_payable"
    assert by_code["550000"] == "asset_cash" and by_code["700000"] == "income"


def test_posted_lines_balance_per_company_and_drafts_are_apart(served):
    sandbox, url = served
    lines = json2(sandbox, url, "account.move.line", "search_read", {
        "domain": [], "fields": ["move_id", "debit", "credit", "balance", "company_id",
                                 "parent_state"],
        "context": {"allowed_company_ids": [1, 2]}}).json()
    per_move: dict[tuple, Decimal] = defaultdict(Decimal)
    per_company: dict[int, Decimal] = defaultdict(Decimal)
    states = set()
    for line in lines:
        states.add(line["parent_state"])
        assert Decimal(str(line["balance"])) == Decimal(str(line["debit"])) - Decimal(str(line["credit"]))
        per_move[(line["company_id"][0], line["move_id"][0])] += Decimal(str(line["balance"]))
        if line["parent_state"] == "posted":
            per_company[line["company_id"][0]] += Decimal(str(line["balance"]))
    assert states == {"posted", "draft", "cancel"}
    assert set(per_company) == {1, 2} and all(v == 0 for v in per_company.values())
    assert all(v == 0 for v in per_move.values())


def test_allowed_companies_pick_the_records(served):
    sandbox, url = served
    def count(context):
        return json2(sandbox, url, "account.move.line", "search_count",
                     {"domain": [], "context": context}).json()
    first, second, both = count({"allowed_company_ids": [1]}), count({"allowed_company_ids": [2]}), \
        count({"allowed_company_ids": [1, 2]})
    assert first and second and both == first + second
    assert count({}) == first  # without a context: the user's current company
    refused = json2(sandbox, url, "account.move.line", "search_count",
                    {"domain": [], "context": {"allowed_company_ids": [9]}})
    assert refused.status_code == 403
    assert refused.json()["name"] == "odoo.exceptions.AccessError"


def test_paging_with_offset_limit_and_order_on_both_protocols(served):
    sandbox, url = served
    body = {"domain": [["parent_state", "=", "posted"]], "fields": ["id", "write_date"],
            "order": "write_date asc, id asc", "context": {"allowed_company_ids": [1]}}
    everything = json2(sandbox, url, "account.move.line", "search_read", body).json()
    assert [(r["write_date"], r["id"]) for r in everything] == sorted(
        (r["write_date"], r["id"]) for r in everything)
    paged, offset = [], 0
    while True:
        page = execute_kw(sandbox, url, "account.move.line", "search_read",
                          [body["domain"]], {"fields": ["write_date"], "offset": offset,
                                             "limit": 500, "order": body["order"],
                                             "context": body["context"]})["result"]
        paged += page
        if len(page) < 500:
            break
        offset += 500
    assert paged == everything
    ids = execute_kw(sandbox, url, "account.move.line", "search", [body["domain"]],
                     {"context": body["context"], "order": "id"})["result"]
    assert ids == sorted(r["id"] for r in everything)


def test_domain_operators_and_prefix_notation(served):
    sandbox, url = served
    context = {"allowed_company_ids": [1]}

    def read(domain, fields=("balance", "account_id", "journal_id", "date")):
        response = json2(sandbox, url, "account.move.line", "search_read",
                         {"domain": domain, "fields": list(fields), "context": context})
        assert response.status_code == 200, response.json()
        return response.json()

    january = read([["date", ">=", "2025-01-01"], ["date", "<", "2025-02-01"]])
    assert january and all("2025-01" in r["date"] for r in january)
    debits = read([["balance", ">", 0]])
    assert debits and all(r["balance"] > 0 for r in debits)
    journal = january[0]["journal_id"][0]
    assert all(r["journal_id"][0] == journal for r in read([["journal_id", "=", journal]]))
    assert all(r["journal_id"][0] != journal for r in read([["journal_id", "!=", journal]]))
    some = [r["id"] for r in january[:3]]
    assert sorted(r["id"] for r in read([["id", "in", some]])) == sorted(some)
    assert not {r["id"] for r in read([["id", "not in", some]])} & set(some)
    either = read(["|", ["id", "=", some[0]], ["id", "=", some[1]]])
    assert sorted(r["id"] for r in either) == sorted(some[:2])
    open_items = read([["amount_residual", "!=", 0], ["reconciled", "=", False]],
                      ("amount_residual", "date_maturity", "partner_id", "account_id"))
    assert open_items and all(r["partner_id"] and r["date_maturity"] for r in open_items)


def test_lines_carry_analytic_distribution_over_plans(served):
    sandbox, url = served
    plans = json2(sandbox, url, "account.analytic.plan", "search_read", {"fields": ["name"]}).json()
    assert {p["name"] for p in plans} == {"Cost Centres", "Cost Units", "Projects"}
    analytic = json2(sandbox, url, "account.analytic.account", "search_read",
                     {"fields": ["plan_id", "code", "company_id"],
                      "context": {"allowed_company_ids": [1, 2]}}).json()
    known = {a["id"]: a for a in analytic}
    lines = json2(sandbox, url, "account.move.line", "search_read",
                  {"domain": [["analytic_distribution", "!=", False]],
                   "fields": ["analytic_distribution", "company_id"],
                   "context": {"allowed_company_ids": [1, 2]}}).json()
    assert lines
    for line in lines:
        per_plan: dict[int, float] = defaultdict(float)
        for account_id, percent in line["analytic_distribution"].items():
            account = known[int(account_id)]
            assert account["company_id"][0] == line["company_id"][0]
            per_plan[account["plan_id"][0]] += percent
        assert all(total == 100.0 for total in per_plan.values())


def test_error_shapes_of_both_protocols(served):
    sandbox, url = served
    denied = execute_kw(sandbox, url, "account.move.line", "search", [[]], key="f" * 40)
    assert denied["error"]["code"] == 200 and denied["error"]["message"] == "Odoo Server Error"
    assert denied["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert {"message", "debug", "arguments", "context"} <= set(denied["error"]["data"])
    bad_field = execute_kw(sandbox, url, "account.move.line", "search_read", [[]],
                           {"fields": ["nope"]})
    assert bad_field["error"]["data"]["name"] == "builtins.ValueError"
    assert "nope" in bad_field["error"]["data"]["message"]

    unauthorized = json2(sandbox, url, "account.move.line", "search_read", {}, key="0" * 40)
    assert unauthorized.status_code == 401
    assert unauthorized.json()["name"] == "werkzeug.exceptions.Unauthorized"
    assert unauthorized.json()["message"] == "Invalid apikey"
    wrong_db = requests.post(f"{url}/json/2/res.company/search_read", json={}, timeout=10,
                             headers={"Authorization": f"bearer {sandbox.api_key}",
                                      "X-Odoo-Database": "other"})
    assert wrong_db.status_code == 404
    bad_domain = json2(sandbox, url, "account.move.line", "search_read",
                       {"domain": [["nope", "=", 1]]})
    assert bad_domain.status_code == 500 and bad_domain.json()["name"] == "builtins.ValueError"
    bad_order = json2(sandbox, url, "account.move.line", "search_read", {"order": "id sideways"})
    assert bad_order.status_code == 500
    bad_kwarg = json2(sandbox, url, "account.move.line", "search_read", {"page": 2})
    assert bad_kwarg.status_code == 422
    unknown_model = json2(sandbox, url, "no.model", "search_read", {})
    assert unknown_model.status_code == 404
    writes = json2(sandbox, url, "account.move", "unlink", {"ids": [1]})
    assert writes.status_code == 403


def test_revoked_and_expired_keys(fresh):
    sandbox, url = fresh
    key = sandbox.api_key
    sandbox.expire_api_key()
    assert json2(sandbox, url, "res.company", "search", {}, key=key).status_code == 401
    assert rpc(url, "common", "authenticate", DATABASE, LOGIN, key, {})["result"] is False
    new = sandbox.issue_api_key()
    assert json2(sandbox, url, "res.company", "search", {}, key=new).json() == [1, 2]
    sandbox.revoke_api_key()
    assert sandbox.api_key is None
    assert execute_kw(sandbox, url, "res.company", "search", [[]], key=new)["error"]["data"][
        "name"] == "odoo.exceptions.AccessDenied"


def test_a_day_moves_write_date_and_unlinks_lines(fresh):
    sandbox, url = fresh
    context = {"allowed_company_ids": [1]}

    def lines():
        return {r["id"]: r for r in json2(sandbox, url, "account.move.line", "search_read", {
            "fields": ["write_date", "name", "analytic_distribution"], "context": context}).json()}

    before = lines()
    last_write = max(r["write_date"] for r in before.values())
    sandbox.advance_to_day(1)
    after = lines()
    changed = {i for i, r in after.items() if i in before and r != before[i]}
    added, removed = set(after) - set(before), set(before) - set(after)
    assert added and removed and changed
    assert all(after[i]["write_date"] > last_write for i in changed | added)
    since = json2(sandbox, url, "account.move.line", "search_read", {
        "domain": [["write_date", ">", last_write]], "fields": ["id"], "context": context}).json()
    assert {r["id"] for r in since} == changed | added
    # A test edit: a line corrected and an entry unlinked by hand.
    ledger = sandbox.ledger(1)
    entry = next(e for e in ledger.entries.values() if e.entry_type == "general")
    line = next(e for e in ledger.entries.values() if e.entry_type == "sales").lines[1]
    sandbox.change_line(1, line.id, description="Gecorrigeerd")
    sandbox.delete_entry(1, entry.entry_number)
    final = lines()
    edited = sandbox.database.line_id(1, line.id)
    assert final[edited]["name"] == "Gecorrigeerd" and final[edited]["write_date"] > last_write
    assert not {sandbox.database.line_id(1, l.id) for l in entry.lines} & set(final)


def test_restart_serves_the_same_ids(tmp_path):
    first = OdooSandbox(tmp_path / "odoo.json", day=2)
    again = OdooSandbox(tmp_path / "odoo.json")
    assert again.day == 2 and again.api_key == first.api_key
    assert [(r["id"], r["write_date"]) for r in again.database.records("account.move.line")] == \
        [(r["id"], r["write_date"]) for r in first.database.records("account.move.line")]


def test_injected_faults_on_both_protocols(fresh):
    sandbox, url = fresh
    sandbox.inject_fault(r"/json/2/account\.move\.line/", 429)
    throttled = json2(sandbox, url, "account.move.line", "search", {})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    assert json2(sandbox, url, "account.move.line", "search", {}).status_code == 200
    # A JSON-RPC call is matched by its model and method; status 200: an error inside the 200.
    sandbox.inject_fault(r"model=account\.move\.line&call=search_read", 200)
    inside = execute_kw(sandbox, url, "account.move.line", "search_read", [[]], {"limit": 1})
    assert inside["id"] == 1 and inside["error"]["data"]["name"] == "odoo.exceptions.UserError"
    assert "result" in execute_kw(sandbox, url, "account.move.line", "search_read", [[]],
                                  {"limit": 1})
    sandbox.inject_fault(r"/jsonrpc", None, edit=lambda body: {**body, "result": [{"id": None}]})
    assert execute_kw(sandbox, url, "res.company", "search_read", [[]])["result"] == [{"id": None}]
    assert ("POST", "/jsonrpc", "service=object&method=execute_kw&model=res.company&call=search_read"
            ) in sandbox.request_log


def test_the_user_can_lose_a_company(fresh):
    sandbox, url = fresh
    sandbox.remove_administration(2)
    assert json2(sandbox, url, "res.company", "search", {}).json() == [1]
    lost = json2(sandbox, url, "account.move", "search", {"context": {"allowed_company_ids": [2]}})
    assert lost.status_code == 403
    sandbox.restore_administration("2")
    assert json2(sandbox, url, "res.company", "search", {}).json() == [1, 2]
