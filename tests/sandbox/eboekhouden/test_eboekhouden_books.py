"""The administration's books: sandbox entries as e-Boekhouden mutations, days, restarts."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from monitr_sandbox.eboekhouden import EBoekhoudenSandbox
from monitr_sandbox.eboekhouden.mutations import ROW_DEBIT_SIGN


def _d(value) -> Decimal:
    return Decimal(str(value))


def _lines_by_the_type_rules(books) -> dict[tuple[int, str], Decimal]:
    """GL totals from the served mutations alone: rows signed by type, their VAT on the VAT code's
    ledger, the main ledger opposite. What any client must be able to rebuild."""
    code = {ledger["id"]: ledger["code"] for ledger in books.ledgers()}
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for mutation_id, mutation in books.details().items():
        sign, main = ROW_DEBIT_SIGN[mutation["type"]], Decimal(0)
        for row in mutation["rows"]:
            totals[(mutation_id, code[row["ledgerId"]])] += sign * _d(row["amount"])
            main += sign * _d(row["amount"])
            if row["vatAmount"]:
                vat_ledger = books.chart.vat_ledger(row["vatCode"]).code
                totals[(mutation_id, vat_ledger)] += sign * _d(row["vatAmount"])
                main += sign * _d(row["vatAmount"])
        if mutation["type"]:
            totals[(mutation_id, code[mutation["ledgerId"]])] -= main
    return {key: amount for key, amount in totals.items() if amount}


def test_mutations_rebuild_the_sandbox_ledger_to_the_cent(shared_books):
    books = shared_books.books
    assert _lines_by_the_type_rules(books) == books.gl_totals()
    assert sum(books.gl_totals().values()) == 0
    types = Counter(m["type"] for m in books.details().values())
    assert {0, 1, 2, 3, 4, 6, 7} <= set(types) and types[0] == 1


def test_shapes_follow_e_boekhouden_rules(shared_books):
    books = shared_books.books
    category = {ledger["id"]: ledger["category"] for ledger in books.ledgers()}
    main_categories = {1: {"CRED"}, 2: {"DEB"}, 3: {"FIN"}, 4: {"FIN"}, 5: {"FIN"}, 6: {"FIN"}}
    for mutation in books.details().values():
        kind = mutation["type"]
        if kind in main_categories:
            assert category[mutation["ledgerId"]] in main_categories[kind], mutation
        if kind in (1, 2, 5, 6):  # MutationRow.ledgerId: rows may not be FIN, CRED or DEB
            assert not {category[r["ledgerId"]] for r in mutation["rows"]} & {"FIN", "CRED", "DEB"}
        if kind in (3, 4):  # payments name the invoice they settle
            assert all(r["invoiceNumber"] for r in mutation["rows"]) and mutation["relationId"]
        if kind in (1, 2):
            assert mutation["relationId"] and mutation["invoiceNumber"] and mutation["termOfPayment"] >= 0
            assert {v["vatCode"]: _d(v["amount"]) for v in mutation["vat"]} == {
                code: sum((_d(r["vatAmount"]) for r in mutation["rows"] if r["vatCode"] == code),
                          Decimal(0))
                for code in {r["vatCode"] for r in mutation["rows"] if r["vatAmount"]}}
    sent = [m for m in books.details().values() if m["type"] == 2]
    assert any(_d(r["amount"]) < 0 for m in sent for r in m["rows"])  # credit notes
    assert {r["vatCode"] for m in sent for r in m["rows"]} >= {"HOOG_VERK_21", "LAAG_VERK_9"}


def test_opening_balance_is_mutation_zero_and_years_roll_forward(shared_books):
    books = shared_books.books
    ledger = books.ledger
    items = [i for i in books.list_items() if i["type"] == 0]
    assert items and {i["id"] for i in items} == {0}
    first_day = date(ledger.profile.fiscal_years[0], 1, 1)
    assert {i["date"] for i in items} == {(first_day - timedelta(days=1)).isoformat()}
    assert sum(_d(i["amount"]) for i in items) == 0
    assert books.list_items()[:len(items)] == items  # listed first, by id
    # No year-start opening mutations: e-Boekhouden carries balances forward itself.
    year_start = [e for e in ledger.entries.values()
                  if e.entry_type == "opening" and e.fiscal_year != first_day.year]
    assert year_start and all(books.mutation_id(e.entry_number) is None for e in year_start)
    assert all(m["date"] > items[0]["date"] for m in books.details().values() if m["id"])


def test_outstanding_invoices_match_the_open_items(shared_books):
    books = shared_books.books
    for cred_deb, kind in (("D", "receivable"), ("C", "payable")):
        served = books.outstanding(cred_deb)
        expected = [i for i in books.ledger.open_items if i.kind == kind]
        assert served and len(served) == len(expected)
        assert sum(_d(s["outstandingAmount"]) for s in served) == sum(i.amount for i in expected)
        for item in served:
            assert _d(item["totalAmount"]) - _d(item["paidAmount"]) == _d(item["outstandingAmount"])
            assert item["mutationId"] in books.details()


def test_days_add_change_and_delete_mutations_with_stable_ids(tmp_path):
    state = tmp_path / "eboekhouden.json"
    sandbox = EBoekhoudenSandbox(state)
    token, before = sandbox.api_token, dict(sandbox.books.details())
    [day] = sandbox.advance_to_day(1)
    after = sandbox.books.details()
    deleted = {sandbox.books._ids[n] for n in day.deleted_entries}
    added = {sandbox.books.mutation_id(n) for n in day.added_entries}
    assert deleted and not deleted & set(after) and deleted <= set(before)
    assert added and min(added) > max(before)
    assert [i for i in before if i in after and before[i] != after[i]]  # a corrected row

    restarted = EBoekhoudenSandbox(state)  # replays to the stored day, keeps the API token
    assert restarted.day == 1 and restarted.api_token == token
    assert restarted.books.details() == after


def test_a_bookkeeper_edits_rows_deletes_and_books_mutations(eboekhouden):
    books = eboekhouden.books
    listed = {item["id"]: item for item in books.list_items() if item["type"]}
    totals = books.gl_totals()
    sales = next(m for m in sorted(listed) if books.details()[m]["type"] == 2)
    centre = next(c.code for c in books.ledger.cost_centres
                  if books.chart.cost_centre_ids[c.code] != books.details()[sales]["rows"][0]["costCenterId"])

    eboekhouden.change_row(sales, 1, description="Herstelde omschrijving", cost_centre=centre)
    [row, *_] = books.details()[sales]["rows"]
    assert row["description"] == "Herstelde omschrijving"
    assert row["costCenterId"] == books.chart.cost_centre_ids[centre]
    # The list shows headers only: a row's description or cost centre leaves the item as it was.
    assert {item["id"]: item for item in books.list_items() if item["type"]}[sales] == listed[sales]
    assert books.gl_totals() == totals

    memorial = next(m for m in sorted(listed) if books.details()[m]["type"] == 7)
    lines = [(line.account_code, line.amount) for line in books.entry(memorial).lines]
    eboekhouden.delete_mutation(memorial)
    assert memorial not in books.details()
    assert memorial not in {item["id"] for item in books.list_items()}
    booked = eboekhouden.add_entry(on=books.entry(max(listed)).date, description="Kasverschil",
                                   lines=lines)
    assert books.mutation_id(booked.entry_number) == max(listed) + 1  # numbers are never reused
    assert books.details()[max(listed) + 1]["type"] == 7
