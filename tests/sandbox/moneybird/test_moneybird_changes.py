"""Versions move with every change a document shows; vanished documents leave the sync lists; a
restarted emulator serves the same versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS, MoneybirdSandbox
from monitr_sandbox.moneybird.documents import (
    JOURNAL_DOCUMENTS,
    KINDS,
    PURCHASE_INVOICES,
    SALES_INVOICES,
)

STUDIO = SANDBOX_ADMINISTRATIONS[0].id


def _versions(moneybird: MoneybirdSandbox) -> dict[str, int]:
    books = moneybird.books(STUDIO)
    return {v["id"]: v["version"] for kind in KINDS for v in books.versions(kind)}


def test_a_day_adds_changes_and_deletes_documents(moneybird):
    before = _versions(moneybird)
    books = moneybird.books(STUDIO)
    moneybird.advance_to_day(1)
    after = _versions(moneybird)
    added, gone = set(after) - set(before), set(before) - set(after)
    changed = {i for i in set(before) & set(after) if before[i] != after[i]}
    assert len(added) == 2  # a sales invoice and the bank mutation receiving an older one
    assert len(gone) == 1 and books.documents(JOURNAL_DOCUMENTS).keys().isdisjoint(gone)
    invoices = set(books.documents(SALES_INVOICES)) | set(books.documents(PURCHASE_INVOICES))
    assert changed and changed <= invoices  # corrected, paid, or late now
    assert all(after[i] > before[i] for i in changed)
    assert all(after[i] > max(before.values()) for i in added | changed)


def test_only_changed_documents_get_new_versions(moneybird):
    books = moneybird.books(STUDIO)
    entry = next(e for e in books.ledger.entries.values() if e.entry_type == "purchase")
    document_id = books.document_id(entry.entry_number)
    before = _versions(moneybird)
    moneybird.change_line(STUDIO, entry.lines[1].id, description="Gecorrigeerde omschrijving")
    after = _versions(moneybird)
    assert {i for i in before if before[i] != after[i]} == {document_id}
    details = books.document("purchase_invoices", document_id)["details"]
    assert details[0]["description"] == "Gecorrigeerde omschrijving"


def test_deleting_a_payment_reopens_its_invoice_with_a_new_version(moneybird):
    books = moneybird.books(STUDIO)
    invoice_id, payment = next((i, d.body["payments"][0])
                               for i, d in books.documents(SALES_INVOICES).items()
                               if d.state == "paid" and d.body["payments"]
                               and d.body["payments"][0]["financial_mutation_id"])
    mutation_number = next(n for n in books.ledger.entries
                           if books.document_id(n) == payment["financial_mutation_id"])
    before = _versions(moneybird)
    moneybird.delete_entry(STUDIO, mutation_number)
    after = _versions(moneybird)
    assert payment["financial_mutation_id"] not in after
    assert after[invoice_id] > before[invoice_id]
    assert books.document(SALES_INVOICES, invoice_id)["state"] in ("open", "late")


def test_an_invoice_turning_late_gets_a_new_version(moneybird):
    books = moneybird.books(STUDIO)
    due_soon = {i: kind for kind in (SALES_INVOICES, PURCHASE_INVOICES)
                for i, d in books.documents(kind).items() if d.state == "open"
                and date.fromisoformat(d.body["due_date"]) < books.today + timedelta(days=1)}
    assert due_soon, "the studio's ledger has an open invoice due today"
    before = _versions(moneybird)
    moneybird.advance_to_day(1)
    late = [i for i, kind in due_soon.items() if books.documents(kind)[i].state == "late"]
    assert late and all(_versions(moneybird)[i] > before[i] for i in late)


def test_a_manual_entry_becomes_a_journal_document(moneybird):
    books = moneybird.books(STUDIO)
    entry = moneybird.add_entry(STUDIO, date=books.today, description="Correctie bankkosten",
                                lines=[("4800", "125.00"), ("1100", "-125.00")])
    assert books.kind_of(entry.entry_number) == JOURNAL_DOCUMENTS  # a general entry, not bank
    document = books.document(JOURNAL_DOCUMENTS, books.document_id(entry.entry_number))
    assert [(e["debit"], e["credit"]) for e in document["general_journal_document_entries"]] == \
        [("125.0", "0.0"), ("0.0", "125.0")]
    assert document["created_at"] == document["updated_at"] > "2026-11-20T17"


def test_a_restart_at_the_same_day_serves_the_same_versions(tmp_path):
    first = MoneybirdSandbox(state_path=tmp_path / "moneybird.json", day=2)
    versions = _versions(first)
    again = MoneybirdSandbox(state_path=tmp_path / "moneybird.json")  # the stored day wins
    assert again.day == 2 and _versions(again) == versions
    with pytest.raises(ValueError, match="cannot go back"):
        again.advance_to_day(1)
