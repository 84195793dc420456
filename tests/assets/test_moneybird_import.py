"""End to end: the real import job against the Moneybird emulator, into the warehouse and the marts."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from monitr_pipeline.assets.transforms import dbt_resource
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.warehouse import query

PROVIDER = "moneybird"
# The marts this test reads, and what they are built from (every provider's staging views).
MARTS = ("+fct_gl_lines", "+fct_entry_balances", "+fct_outstanding_items", "+dim_fiscal_periods",
         "+int_accounts__unioned")
DOCUMENT_TABLES = ("general_journal_documents", "financial_mutations", "sales_invoices",
                   "purchase_invoices")
SALES_SYNC = "sales_invoices/synchronization.json"


def _emulator(sandbox):
    return sandbox.emulators[(PROVIDER, "default")]


def _documents(settings, entity_id) -> dict[str, tuple[str, int]]:
    """Document id -> (table, version) of every raw document row of the entity."""
    found = {}
    for table in DOCUMENT_TABLES:
        for document_id, version in query(
                settings, f"select id, version from raw_moneybird.{table} where _monitr_entity_id = ?",
                (entity_id,)):
            assert document_id not in found, f"{document_id} loaded twice"
            found[document_id] = (table, version)
    return found


def _expected_documents(books) -> set[str]:
    return {books.document_id(number) for number in books.ledger.entries}


def _status(control, connection):
    return next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)


@pytest.fixture
def connections(seeded, control, instance):
    sync_partitions(control, instance)
    return control.connections(PROVIDER)


def _build_marts(settings, monkeypatch, target_path) -> None:
    """dbt run of the marts this test reads (the whole build with every test is the demo's job)."""
    for name, value in settings.dbt_env().items():
        monkeypatch.setenv(name, value)
    dbt_resource().cli(["run", "--select", " ".join(MARTS)], target_path=target_path).wait()


def test_import_lands_every_entry_as_balanced_gl_lines_and_follows_changes(
        connections, control, settings, sandbox, instance, monkeypatch, tmp_path):
    emulator = _emulator(sandbox)
    assert len(connections) == 2
    for connection in connections:
        assert run_import(defs, instance, control, connection).success
    assert {s.status for s in control.import_statuses(PROVIDER)} == {"Succeeded"}
    for connection in connections:
        books = emulator.books(connection.external_id)
        assert set(_documents(settings, connection.entity_id)) == _expected_documents(books)
        for table in ("ledger_accounts", "projects", "assets", "administrations"):
            [(count,)] = query(settings, f"select count(*) from raw_moneybird.{table} "
                                         "where _monitr_entity_id = ?", (connection.entity_id,))
            assert count > 0, table

    _build_marts(settings, monkeypatch, tmp_path / "dbt")
    for connection in connections:
        books = emulator.books(connection.external_id)
        # Every ledger entry is one document whose GL lines carry the entry's amounts per account.
        expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for entry, line in books.ledger.lines():
            expected[(books.document_id(entry.entry_number), line.account_code)] += line.amount
        loaded: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for entry_id, account_code, amount in query(
                settings, "select source_entry_id, account_code, amount from marts.fct_gl_lines "
                          "where provider = ? and entity_id = ?", (PROVIDER, connection.entity_id)):
            loaded[(entry_id, account_code)] += amount
        assert {k: v for k, v in loaded.items() if v} == {k: v for k, v in expected.items() if v}
        [(lines, unbalanced)] = query(settings, """
            select sum(line_count), sum(case when is_balanced then 0 else 1 end)
            from marts.fct_entry_balances where provider = ? and entity_id = ?""",
                                      (PROVIDER, connection.entity_id))
        assert lines == sum(len(e.lines) for e in books.ledger.entries.values())
        assert unbalanced == 0
        # Open invoices match the ledger's open items, amount for amount.
        open_items = Counter((item.kind, str(item.entry_number), item.amount)
                             for item in books.ledger.open_items)
        loaded_items = Counter(query(settings, """
            select item_type, entry_number, open_amount from marts.fct_outstanding_items
            where provider = ? and entity_id = ?""", (PROVIDER, connection.entity_id)))
        assert loaded_items == open_items and open_items
    [(opening, with_rgs, periods)] = query(settings, """
        select (select count(*) from marts.fct_gl_lines
                where provider = 'moneybird' and is_opening_entry),
               (select count(*) from intermediate.int_accounts__unioned
                where provider = 'moneybird' and rgs_code is not null),
               (select count(*) from marts.dim_fiscal_periods where provider = 'moneybird')""")
    assert opening > 0 and with_rgs > 0 and periods >= 2 * 24

    # A bookkeeping day: an invoice and a payment added, an invoice line changed, a memorial deleted.
    first = connections[0]
    books = emulator.books(first.external_id)
    before = _documents(settings, first.entity_id)
    calls_before = len(emulator.request_log)
    emulator.advance_to_day(1)
    assert run_import(defs, instance, control, first).success
    after = _documents(settings, first.entity_id)
    assert set(after) == _expected_documents(books)  # no duplicates, deletions gone, additions in
    assert set(before) - set(after), "the day deleted a memorial booking"
    assert set(after) - set(before), "the day added an invoice and a payment"
    changed = {d for d in set(before) & set(after) if before[d][1] != after[d][1]}
    assert changed, "the day changed (and paid) invoices"
    for document_id in changed:  # fetched again: the rows hold the emulator's version now
        table, version = after[document_id]
        assert version == next(v["version"] for v in books.versions(table) if v["id"] == document_id)
    status = _status(control, first)
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 20
    api_calls = [c for c in emulator.request_log[calls_before:] if c[1].startswith("/api/")]
    fetches = [path for method, path, _ in api_calls if method == "POST"]
    assert len(api_calls) < 20 and 1 <= len(fetches) <= 4  # changed document types, one batch each

    # Nothing changed since: the lists are read again, no document is fetched.
    calls_before = len(emulator.request_log)
    assert run_import(defs, instance, control, first).success
    assert _documents(settings, first.entity_id) == after
    assert not [c for c in emulator.request_log[calls_before:]
                if c[0] == "POST" and "synchronization" in c[1]]


def test_failures_fail_their_entity_by_name_and_the_next_import_recovers(connections, control,
                                                                         instance, sandbox, settings):
    first, second = connections
    emulator = _emulator(sandbox)
    books = emulator.books(first.external_id)

    # An access token Moneybird expired (its tokens carry no expiry, so we hold it as valid) and two
    # 429s: the 401 leads to a refresh and a retry, the 429s wait for Retry-After.
    store = control.credential_store(first.integration_id)
    credentials = store.load()
    store.save({**credentials, "token": {**credentials["token"], "expires_at": 4102444800.0}})
    emulator.expire_access_tokens()
    emulator.inject_fault(SALES_SYNC, 429, times=2, headers={"Retry-After": "1"})
    calls_before = len(emulator.request_log)
    assert run_import(defs, instance, control, first).success
    calls = emulator.request_log[calls_before:]
    assert ("POST", "/oauth/token", "") in calls
    assert store.load()["token"]["access_token"] != credentials["token"]["access_token"]
    listed = [c for c in calls if c[0] == "GET" and c[1].endswith(SALES_SYNC)]
    assert len(listed) == 3  # two refused, then the list itself
    loaded = _documents(settings, first.entity_id)
    assert set(loaded) == _expected_documents(books)

    # A malformed page fails the import by entity, endpoint and page; nothing is half-loaded.
    emulator.advance_to_day(1)
    emulator.inject_fault(SALES_SYNC, 200, times=1, body='[{"id": "4123", "version": 17')
    assert not run_import(defs, instance, control, first).success
    status = _status(control, first)
    assert status.status == "Failed" and "malformed" in status.error and "page 1" in status.error
    assert first.entity_name in status.error and SALES_SYNC in status.error
    assert _documents(settings, first.entity_id) == loaded

    # A record with a bad field names entity, table, record and field.
    emulator.inject_fault(f"{first.external_id}/projects.json", 200, times=1,
                          body='[{"id": "4999", "name": "Kapot", "state": "active", "budget": "veel"}]')
    assert not run_import(defs, instance, control, first).success
    error = _status(control, first).error
    assert first.entity_name in error and "projects" in error and "4999" in error and "budget" in error
    assert _documents(settings, first.entity_id) == loaded

    # The next import recovers and brings the day in.
    assert run_import(defs, instance, control, first).success
    assert set(_documents(settings, first.entity_id)) == _expected_documents(books) != set(loaded)

    # A consent revoked at Moneybird: the refresh is refused, the integration asks to reconnect.
    emulator.revoke_all_tokens()
    assert not run_import(defs, instance, control, second).success
    status = _status(control, second)
    assert status.status == "Failed"
    assert "reconnect" in status.error and second.entity_name in status.error
    assert control.integration(second.integration_id).health.value == "token_expired"
