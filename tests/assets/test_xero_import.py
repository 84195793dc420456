"""End to end: the real Xero import job against the Xero emulator (consented with PKCE), into the
warehouse and the marts; and its failure modes, each failing only its own entity and recovering."""

from collections import defaultdict
from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transforms, sync_partitions
from monitr_sandbox.xero import SANDBOX_TENANTS
from monitr_pipeline.warehouse import entry_balance, query

PROVIDER = "xero"
LINES = "raw_xero.journal_lines"
JOURNALS_PATH = "/api.xro/2.0/Journals"


def _emulator(sandbox):
    return sandbox.emulators[(PROVIDER, "default")]


def _lines(settings, entity_id) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, f"select journal_line_id, net_amount, account_code, journal_number from {LINES} "
                  "where _monitr_entity_id = ?", (entity_id,))}


def _journal_lines(emulator, connection) -> dict[str, dict]:
    return {line["JournalLineID"]: line for journal in emulator.books(connection.external_id).journals
            for line in journal["JournalLines"]}


def _by_account(amounts) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount in amounts:
        totals[account] += Decimal(amount)
    return {account: total for account, total in totals.items() if total}


def _ledger_by_account(emulator, connection) -> dict[str, Decimal]:
    """The ledger as Xero holds it: without the year-start opening entries (no year-end closing)."""
    ledger = emulator.ledger(connection.external_id)
    first_year = ledger.fiscal_years[0]
    return _by_account((line.account_code, line.amount) for entry, line in ledger.lines()
                       if not (entry.entry_type == "opening" and entry.fiscal_year != first_year))


def _invoices(settings, entity_id) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, "select invoice_id, status, amount_due from raw_xero.invoices "
                  "where _monitr_entity_id = ?", (entity_id,))}


def _status(control, connection):
    return next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)


@pytest.fixture
def ready(seeded, control, instance):
    sync_partitions(control, instance)
    return control.connections(PROVIDER)


def test_full_then_incremental_import_matches_the_books(ready, control, settings, sandbox, instance):
    emulator = _emulator(sandbox)
    assert {c.external_id for c in ready} == {t.tenant_id for t in emulator.tenants}
    for connection in ready:
        assert run_import(defs, instance, control, connection).success
        assert _status(control, connection).status == "Succeeded"
        loaded = _lines(settings, connection.entity_id)
        assert set(loaded) == set(_journal_lines(emulator, connection)) and len(loaded) > 2000
        assert _by_account((a, n) for n, a, _ in loaded.values()) == _ledger_by_account(emulator,
                                                                                          connection)
        open_invoices = {i["InvoiceID"] for _, i in
                         emulator.books(connection.external_id).invoices(with_lines=False)
                         if i["Status"] == "AUTHORISED"}
        assert set(_invoices(settings, connection.entity_id)) == open_invoices
    for table in ("accounts", "tracking_options", "organisation", "fixed_assets"):
        [(count,)] = query(settings, f"select count(distinct _monitr_entity_id) from raw_xero.{table}")
        assert count == 2, table

    # A day of bookkeeping (a new invoice, a receipt, an edited line, a deleted memorial) and a
    # voided bill: Xero appends journals and changes invoice statuses; nothing is rewritten.
    nl = ready[0]
    before, requests_before = _lines(settings, nl.entity_id), len(emulator.request_log)
    emulator.advance_to_day(1)
    books = emulator.books(nl.external_id)
    bill = next(n for n, b in books.balances().items()
                if not b.paid and not b.credited and books.ledger.entry(n).entry_type == "purchase")
    voided = emulator.void_invoice(nl.external_id, bill)
    assert run_import(defs, instance, control, nl).success

    after = _lines(settings, nl.entity_id)
    assert set(after) == set(_journal_lines(emulator, nl))  # appended, none lost, none twice
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) > len(before)
    assert _by_account((a, n) for n, a, _ in after.values()) == _ledger_by_account(emulator, nl)
    invoices = _invoices(settings, nl.entity_id)
    assert invoices[str(voided.id)][0] == "VOIDED"
    assert any(status == "PAID" for status, _ in invoices.values())  # the receipt settled one
    status = _status(control, nl)
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 100
    assert len(emulator.request_log) - requests_before <= 10  # incremental: a handful of calls
    [(duplicates,)] = query(settings, f"select count(*) - count(distinct journal_line_id) from {LINES}")
    assert duplicates == 0

    # The marts: balanced per entry, and the voided bill is no longer outstanding.
    assert run_transforms(defs, instance)
    balance = entry_balance(settings)
    for connection in ready:
        entries, unbalanced = balance[connection.entity_id]
        assert entries > 500 and unbalanced == 0
    outstanding = {row[0] for row in query(
        settings, "select source_id from marts.fct_outstanding_items where provider = ?", (PROVIDER,))}
    assert outstanding and str(voided.id) not in outstanding
    june = next(c for c in ready if c.external_id == SANDBOX_TENANTS[1].tenant_id)
    assert SANDBOX_TENANTS[1].year_end_month == 6
    [(periods,)] = query(settings, "select count(*) from marts.dim_fiscal_periods where "
                                   "provider = ? and entity_id = ?", (PROVIDER, june.entity_id))
    assert periods == 36  # its journals (2025-01 to 2026-11) span three financial years


def test_failures_fail_their_entity_by_name_and_the_next_import_recovers(ready, control, instance,
                                                                          sandbox, settings):
    emulator = _emulator(sandbox)
    nl, be = ready
    # Two 429s (Retry-After: 1) are waited out and retried; every page is then read once.
    emulator.inject_fault(JOURNALS_PATH, 429, times=2, headers={"Retry-After": "1"})
    assert run_import(defs, instance, control, nl).success
    journal_calls = [q for _, path, q in emulator.request_log if path == JOURNALS_PATH]
    pages = -(-len(emulator.books(nl.external_id).journals) // 100)
    assert len(journal_calls) == 2 + pages
    before = _lines(settings, nl.entity_id)
    assert len(before) == len(_journal_lines(emulator, nl))

    # An access token Xero no longer accepts: one refresh (the refresh token rotates), same call.
    old_refresh = control.load_credentials(nl.integration_id)["token"]["refresh_token"]
    emulator.expire_access_tokens()
    assert run_import(defs, instance, control, nl).success
    assert control.load_credentials(nl.integration_id)["token"]["refresh_token"] != old_refresh
    assert control.integration(nl.integration_id).health.value == "healthy"

    # A truncated page: the import fails naming entity, endpoint and page; nothing half-loaded.
    emulator.advance_to_day(1)
    emulator.inject_fault(JOURNALS_PATH, 200, times=1, body='{"Journals": [{"JournalID": "trunc')
    assert not run_import(defs, instance, control, nl).success
    status = _status(control, nl)
    assert status.status == "Failed" and "malformed" in status.error
    assert nl.entity_name in status.error and "Journals" in status.error and "page 1" in status.error
    assert _lines(settings, nl.entity_id) == before
    assert run_import(defs, instance, control, nl).success
    assert set(_lines(settings, nl.entity_id)) == set(_journal_lines(emulator, nl))

    # Consent revoked at Xero: the refresh is refused, the entity fails asking to reconnect.
    emulator.revoke_all_tokens()
    assert not run_import(defs, instance, control, be).success
    status = _status(control, be)
    assert status.status == "Failed"
    assert "reconnect" in status.error and be.entity_name in status.error
    assert control.integration(be.integration_id).health.value == "token_expired"
