"""End to end: the real import job over the sandbox's CSV upload folder, into the warehouse and marts."""

from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transforms
from monitr_sandbox.csv_import.formats import DUTCH_EXCEL
from monitr_pipeline.warehouse import entry_balance, query, rows_per_mart

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

PROVIDER = "csv_import"
NL_GL_2026 = "gl_lines_2026.csv"
_AMOUNT = 9  # the 'Bedrag' column of the NL layout


def _uploads(sandbox):
    return sandbox.emulators[(PROVIDER, "default")]


def _raw(settings, table, entity_id, columns="id, amount"):
    return {row[0]: row[1:] for row in query(
        settings, f"select {columns} from raw_csv_import.{table} where _monitr_entity_id = ?",
        (entity_id,))}


def _expected_line_ids(ledger):
    """The keys the NL export's columns give: fiscal year/journal/entry number/line number."""
    return {f"{e.fiscal_year}/{e.journal_code}/{e.entry_number}/{line.line_number}"
            for e in ledger.entries.values() for line in e.lines}


def _row_of(uploads, name, entry_number, line_number):
    """The NL 2026 export's row of one GL line (journal;entry;line;... columns first)."""
    return next(row for row in uploads.read_text(name, NL_GL_2026).splitlines()
                if row.split(";")[1:3] == [str(entry_number), str(line_number)])


def _status(control, connection):
    return next(s for s in control.import_statuses(PROVIDER)
                if s.partition_key == connection.partition_key)


# One sandbox world for the module, both administrations imported once; the tests run in file
# order: the full import's checks, then a rejected upload (which puts the export back), then a
# replayed day and a removed file.
@pytest.fixture(scope="module")
def imported(world):
    connections = {c.external_id: c for c in world.connections(PROVIDER)}
    outcomes = [run_import(defs, world.instance, world.control, c) for c in connections.values()]
    assert all(o.success for o in outcomes), [o.run_id for o in outcomes if not o.success]
    return connections


@pytest.fixture
def control(world):
    return world.control


@pytest.fixture
def settings(world):
    return world.settings


@pytest.fixture
def sandbox(world):
    return world.sandbox


@pytest.fixture
def instance(world):
    return world.instance


def _nl(connections, sandbox):
    name = next(a for a in _uploads(sandbox).administrations if "Smit" in a)
    return connections[name], name


def test_full_import_loads_every_file_balanced_into_the_marts(imported, control, settings,
                                                               sandbox, instance):
    uploads = _uploads(sandbox)
    assert sorted(imported) == sorted(uploads.administrations)
    assert {s.status for s in control.import_statuses(PROVIDER)} == {"Succeeded"}
    for name, connection in imported.items():
        ledger, book = uploads.ledger(name), uploads.project_book(name)
        lines = _raw(settings, "gl_lines", connection.entity_id)
        assert set(lines) == _expected_line_ids(ledger)
        assert sum(amount for amount, in lines.values()) == Decimal(0)
        assert len(_raw(settings, "accounts", connection.entity_id, "code")) == len(ledger.accounts)
        assert set(_raw(settings, "projects", connection.entity_id, "code")) == {
            p.code for p in ledger.projects}
        hours = _raw(settings, "project_hours", connection.entity_id, "id, hours")
        assert len(hours) == len(book.hours)
        assert sum(h for h, in hours.values()) == sum(h.hours for h in book.hours.values())
        costs = _raw(settings, "project_costs", connection.entity_id, "id, amount")
        assert sum(a for a, in costs.values()) == sum(c.amount for c in book.costs.values())

    # ... and through dbt into the marts, balanced, in euros, with projects as axes.
    assert run_transforms(defs, instance)
    counts, balance = rows_per_mart(settings), entry_balance(settings)
    for connection in imported.values():
        assert counts[connection.entity_id]["fct_gl_lines"] > 1000
        assert counts[connection.entity_id]["dim_accounts"] > 10
        assert counts[connection.entity_id]["dim_fiscal_periods"] >= 23  # Jan 2025 - Nov 2026
        entries, unbalanced = balance[connection.entity_id]
        assert entries > 100 and unbalanced == 0
    rows = query(settings, "select count(*), count(distinct currency), min(currency), "
                           "sum(case when is_opening_entry then 1 else 0 end) "
                           "from marts.fct_gl_lines where provider = ?", (PROVIDER,))
    [(lines, currencies, currency, opening)] = rows
    assert lines > 2000 and currencies == 1 and currency == "EUR" and opening > 0
    [(projects,)] = query(settings, "select count(*) from marts.dim_analytical_axes "
                                    "where provider = ? and axis_type = 'project'", (PROVIDER,))
    assert projects == 12
    [(hours,)] = query(settings, "select count(*) from staging.stg_csv_import__project_hours")
    assert hours > 100


def test_bad_row_rejects_the_upload_and_a_corrected_file_loads(imported, control, settings,
                                                               sandbox, instance):
    uploads = _uploads(sandbox)
    connection, name = _nl(imported, sandbox)
    before = _raw(settings, "gl_lines", connection.entity_id)
    hours_before = _raw(settings, "project_hours", connection.entity_id, "id, hours")

    # Break one amount, and drop one whole file: SNAPSHOT would delete that file's rows if the
    # import went ahead, so the bad file must stop everything.
    entry = next(e for e in uploads.ledger(name).entries.values()
                 if e.entry_type == "general" and e.fiscal_year == 2026)
    row = _row_of(uploads, name, entry.entry_number, entry.lines[0].line_number)
    line_number = uploads.read_text(name, NL_GL_2026).splitlines().index(row) + 1
    cells = row.split(";")
    cells[_AMOUNT] = "12,3x"
    uploads.replace_in_file(name, NL_GL_2026, row, ";".join(cells))
    uploads.remove_file(name, "project_hours.csv")

    assert not run_import(defs, instance, control, connection).success
    status = _status(control, connection)
    assert status.status == "Failed"
    assert connection.entity_name in status.error
    assert (f"{name}/{NL_GL_2026} line {line_number}, field 'amount' (column 'Bedrag'): "
            "'12,3x' is not a number" in status.error)
    assert _raw(settings, "gl_lines", connection.entity_id) == before
    assert _raw(settings, "project_hours", connection.entity_id, "id, hours") == hours_before

    uploads.rewrite()  # the corrected export
    assert run_import(defs, instance, control, connection).success
    assert _raw(settings, "gl_lines", connection.entity_id) == before
    assert _status(control, connection).rows_loaded == 0

    # An entry whose lines do not balance is named.
    entry = next(e for e in reversed(uploads.ledger(name).entries.values())
                 if e.entry_type == "sales")
    line = entry.lines[1]
    row = _row_of(uploads, name, entry.entry_number, line.line_number)
    cells = row.split(";")
    cells[_AMOUNT] = DUTCH_EXCEL.number(line.amount - Decimal("10.00"))
    uploads.replace_in_file(name, NL_GL_2026, row, ";".join(cells))

    assert not run_import(defs, instance, control, connection).success
    error = _status(control, connection).error
    assert (f"entry {entry.entry_number} (journal {entry.journal_code}, fiscal year 2026; "
            f"lines ") in error
    assert "does not balance" in error and "difference -10.00" in error


def test_rewritten_files_load_changes_and_deletions(imported, control, settings, sandbox, instance):
    uploads = _uploads(sandbox)
    connection, name = _nl(imported, sandbox)
    before = _raw(settings, "gl_lines", connection.entity_id, "id, description")
    hours_before = _raw(settings, "project_hours", connection.entity_id, "id, hours")

    uploads.advance_to_day(1)  # a new export: new entries, a corrected line, a deleted entry
    assert run_import(defs, instance, control, connection).success

    after = _raw(settings, "gl_lines", connection.entity_id, "id, description")
    assert set(after) == _expected_line_ids(uploads.ledger(name))  # no duplicates, no leftovers
    assert set(before) - set(after), "the deleted entry's lines are gone"
    assert set(after) - set(before), "the new entries' lines are there"
    assert [k for k in set(before) & set(after) if before[k] != after[k]], "a line was corrected"
    hours_after = _raw(settings, "project_hours", connection.entity_id, "id, hours")
    assert set(hours_after) == set(uploads.project_book(name).hours)
    assert [k for k in set(hours_before) & set(hours_after) if hours_before[k] != hours_after[k]]
    status = _status(control, connection)
    # Only what changed is written: a handful of lines, not the whole upload again.
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 60

    # A removed file's rows are deleted too, once someone confirms it: unconfirmed, losing a
    # whole file looks like a failed export, and the import refuses, deleting nothing.
    in_2025 = sum(1 for source_file, in _raw(settings, "gl_lines", connection.entity_id,
                                             "id, source_file").values()
                  if source_file == "gl_lines_2025.csv")
    uploads.remove_file(name, "gl_lines_2025.csv")
    refused = run_import(defs, instance, control, connection)
    assert not refused.success and refused.status.status == "Failed"
    assert f"{in_2025:,} of the {in_2025:,} rows from gl_lines_2025.csv" in refused.status.error
    assert f"monitr import {connection.partition_key} --confirm-deletions" in refused.status.error
    assert _raw(settings, "gl_lines", connection.entity_id, "id, description") == after
    assert run_import(defs, instance, control, connection, confirm_deletions=True).success
    years = {year for year, in _raw(settings, "gl_lines", connection.entity_id,
                                     "id, fiscal_year").values()}
    assert years == {2026}
