"""The ledger as Moneybird documents: every entry is one document whose bookings are its lines."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS
from monitr_sandbox.moneybird.books import AdministrationBooks
from monitr_sandbox.moneybird.documents import (
    JOURNAL_DOCUMENTS,
    KINDS,
    MUTATIONS,
    PURCHASE_INVOICES,
    SALES_INVOICES,
)


def _bookings(books: AdministrationBooks, kind: str, document: dict) -> list[tuple[str, Decimal]]:
    """(account code, signed amount) of a document's bookings, read the way staging reads them;
    control and VAT accounts are the chart's, as staging finds them by RGS code."""
    codes = {a["id"]: a["account_id"] for a in books.ledger_accounts()}
    chart = books.ledger.chart
    role = {name: chart.account(name).code
            for name in ("receivables", "payables", "vat_payable", "vat_recoverable", "bank")}
    if kind == JOURNAL_DOCUMENTS:
        return [(codes[e["ledger_account_id"]], Decimal(e["debit"]) - Decimal(e["credit"]))
                for e in document["general_journal_document_entries"]]
    if kind == MUTATIONS:
        against = 1 if Decimal(document["amount"]) < 0 else -1
        return [(role["bank"], Decimal(document["amount"]))] + [
            (codes[b["ledger_account_id"]], against * Decimal(b["price"]))
            for b in document["ledger_account_bookings"]] + [
            (codes[p["ledger_account_id"]], against * Decimal(p["price_base"]))
            for p in document["payments"]]
    sign = 1 if kind == SALES_INVOICES else -1
    control = role["receivables" if kind == SALES_INVOICES else "payables"]
    vat = role["vat_payable" if kind == SALES_INVOICES else "vat_recoverable"]
    incl = Decimal(document["total_price_incl_tax_base"])
    excl = Decimal(document["total_price_excl_tax_base"])
    lines = [(control, sign * incl)] + [
        (codes[d["ledger_account_id"]], -sign * Decimal(d["total_price_excl_tax_with_discount_base"]))
        for d in document["details"]]
    if kind == SALES_INVOICES:
        return lines + [(vat, -Decimal(t["tax_amount_base"])) for t in document["tax_totals"]
                        if Decimal(t["tax_amount_base"])]
    return lines + ([(vat, incl - excl)] if incl != excl else [])


@pytest.fixture(scope="module", params=SANDBOX_ADMINISTRATIONS, ids=lambda a: a.name)
def books(request) -> AdministrationBooks:
    return AdministrationBooks(request.param)


def test_every_entry_is_one_document_booking_exactly_its_lines(books):
    documents = {kind: books.documents(kind) for kind in KINDS}
    assert sum(len(d) for d in documents.values()) == len(books.ledger.entries)
    assert all(documents.values()), "every kind of document occurs"
    for entry in books.ledger.entries.values():
        kind = books.kind_of(entry.entry_number)
        document = books.document(kind, books.document_id(entry.entry_number))
        booked = Counter()
        for code, amount in _bookings(books, kind, document):
            booked[code] += amount
        expected = Counter()
        for line in entry.lines:
            expected[line.account_code] += line.amount
        assert {k: v for k, v in booked.items() if v} == {k: v for k, v in expected.items() if v}, \
            (entry.entry_number, entry.entry_type, kind)
        assert len(_bookings(books, kind, document)) == len(entry.lines)


def test_entry_types_map_onto_document_types(books):
    kinds = defaultdict(Counter)
    for entry in books.ledger.entries.values():
        kinds[entry.entry_type][books.kind_of(entry.entry_number)] += 1
    assert set(kinds["sales"]) == set(kinds["sales_credit"]) == {SALES_INVOICES}
    assert set(kinds["purchase"]) == {PURCHASE_INVOICES}
    assert set(kinds["bank"]) == {MUTATIONS}
    memorials = ("opening", "general", "depreciation")
    assert all(set(kinds[entry_type]) == {JOURNAL_DOCUMENTS} for entry_type in memorials)


def test_invoices_show_what_is_still_open_like_the_ledger(books):
    unpaid = {}
    for kind in (SALES_INVOICES, PURCHASE_INVOICES):
        for document_id in books.documents(kind):
            document = books.document(kind, document_id)
            paid = sum((Decimal(p["price_base"]) for p in document["payments"]), Decimal(0))
            open_amount = Decimal(document["total_price_incl_tax_base"]) - paid
            assert (document["state"] == "paid") == (open_amount == 0), document_id
            if kind == SALES_INVOICES:
                assert Decimal(document["total_unpaid_base"]) == open_amount
            if open_amount:
                unpaid[(kind, document_id)] = open_amount
    expected = {((SALES_INVOICES if item.kind == "receivable" else PURCHASE_INVOICES),
                 books.document_id(item.entry_number)): item.amount for item in books.ledger.open_items}
    assert unpaid == expected and expected


def test_credit_invoices_settle_against_the_invoice_they_credit(books):
    invoices = books.documents(SALES_INVOICES)
    credits = [books.document(SALES_INVOICES, i) for i, d in invoices.items()
               if d.body["original_sales_invoice_id"]]
    assert credits
    for credit in credits:
        assert credit["state"] == "paid" and Decimal(credit["total_price_incl_tax"]) < 0
        original = books.document(SALES_INVOICES, credit["original_sales_invoice_id"])
        settlement = [p for p in original["payments"] if p["credit_invoice_id"] == credit["id"]]
        assert [Decimal(p["price"]) for p in settlement] == [-Decimal(credit["total_price_incl_tax"])]


def test_late_and_open_follow_the_due_date(books):
    for document_id in books.documents(SALES_INVOICES):
        document = books.document(SALES_INVOICES, document_id)
        if document["state"] in ("open", "late"):
            late = document["due_date"] < books.today.isoformat()
            assert document["state"] == ("late" if late else "open")


def test_master_data(books):
    accounts = books.ledger_accounts()
    assert len(accounts) == len(books.ledger.accounts)
    assert all(a["taxonomy_item"]["code"] for a in accounts)
    banks = [a for a in accounts if a["financial_account_id"]]
    assert [a["account_id"] for a in banks] == [books.ledger.chart.account("bank").code]
    assert {p["state"] for p in books.projects()} <= {"active", "archived"}
    assets = books.assets()
    assert len(assets) == len(books.ledger.fixed_assets)
    for asset in assets:
        written_off = -sum(Decimal(v["amount"]) for v in asset["value_changes"])
        assert Decimal(asset["purchase_value"]) - written_off == Decimal(asset["current_value"])
        assert all(v["externally_booked"] for v in asset["value_changes"])  # by memorial entries
        assert len(asset["sources"]) == 1
