"""Faults in what providers answer: records missing required fields, snapshots that shrink or
empty, tables the connection may not read, records deleted at the source, pages that change
while they are read. Each is caught or handled without a row duplicated or lost."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from dagster import AssetKey
from sqlalchemy import select

from monitr_pipeline.control.models import UnreadableEndpoint
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

LINES_PATH = r"/sync/Financial/TransactionLines"
PERIODS_PATH = r"/financial/FinancialPeriods"
PROJECTS_PATH = r"/sync/Project/Projects"
ASSETS_PATH = r"/assets/Assets"


def _import(world, connection, **kwargs):
    return run_import(defs, world.instance, world.control, connection, quiet=True, **kwargs)


def _rows(world, table: str, entity_id: int, key: str = "id") -> set:
    return {key for key, in query(world.settings, f"select {key} from raw_exact_online.{table} "
                                                  "where _monitr_entity_id = ?", (entity_id,))}


def _without(field: str, taken: list):
    """An edit of an OData page: its first record loses `field` (its id goes into `taken`)."""

    def edit(body):
        record = body["d"]["results"][0]
        taken.append(record["ID"])
        del record[field]
        return body

    return edit


def _keep_first(count: int, taken: list | None = None):
    """An edit of an OData page: only its first `count` records (the others into `taken`)."""

    def edit(body):
        results = body["d"]["results"]
        if taken is not None:
            taken.extend(r["ID"] for r in results[count:])
        body["d"]["results"] = results[:count]
        return body

    return edit


def _requests(emulator, path_pattern: str) -> int:
    return sum(1 for _, path, _ in emulator.request_log if path.endswith(path_pattern.lstrip("/")))


def test_a_gl_line_missing_its_amount_fails_loads_nothing_and_is_read_again(
        world, exact, exact_emulator, warehouse_lines, ledger_lines):
    connection = exact["nl"][0]
    emulator = exact_emulator(connection)
    assert _import(world, connection).success
    emulator.advance_to_day(emulator.day + 1)  # new lines after the cursor
    before = warehouse_lines(connection.entity_id)

    taken: list = []
    emulator.inject_fault(LINES_PATH, None, edit=_without("AmountDC", taken))
    outcome = _import(world, connection)
    assert not outcome.success and outcome.status.status == "Failed"
    error = outcome.status.error
    assert connection.entity_name in error and "gl_transaction_lines" in error
    assert repr(taken[0]) in error and "'AmountDC'" in error
    assert warehouse_lines(connection.entity_id) == before  # nothing of this import loaded

    # The cursor stayed where it was: corrected at the source, the line is read again.
    assert _import(world, connection).success
    lines = warehouse_lines(connection.entity_id)
    assert lines == ledger_lines(connection) and lines[taken[0]] is not None
    assert sum(lines.values()) == Decimal(0)  # the ledger balances again


def test_a_gl_line_missing_its_cursor_is_named_not_a_dlt_internal(
        world, exact, exact_emulator, warehouse_lines, ledger_lines):
    connection = exact["nl"][0]
    emulator = exact_emulator(connection)
    assert _import(world, connection).success
    emulator.advance_to_day(emulator.day + 1)
    before = warehouse_lines(connection.entity_id)

    taken: list = []
    emulator.inject_fault(LINES_PATH, None, edit=_without("Timestamp", taken))
    outcome = _import(world, connection)
    error = outcome.status.error
    assert not outcome.success
    assert repr(taken[0]) in error and "'Timestamp'" in error
    assert "IncrementalCursorPathHasValueNone" not in error
    assert warehouse_lines(connection.entity_id) == before
    assert _import(world, connection).success
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)


def test_a_record_deleted_from_a_snapshot_endpoint_is_deleted_and_nothing_else(
        world, exact, exact_emulator):
    connection = exact["nl"][1]
    emulator = exact_emulator(connection)
    assert _import(world, connection).success
    before = _rows(world, "cost_centers", connection.entity_id)

    deleted: list = []
    emulator.inject_fault(r"/hrm/Costcenters", None, edit=_keep_first(len(before) - 1, deleted))
    assert _import(world, connection).success
    assert _rows(world, "cost_centers", connection.entity_id) == before - set(deleted)
    assert len(deleted) == 1

    assert _import(world, connection).success  # back at the source: back here
    assert _rows(world, "cost_centers", connection.entity_id) == before


def test_a_sharply_shrunken_snapshot_is_refused_until_confirmed(world, exact, exact_emulator):
    control = world.control
    connection = exact["nl"][1]
    emulator = exact_emulator(connection)
    assert _import(world, connection).success
    periods = _rows(world, "financial_periods", connection.entity_id)
    assert len(periods) > 20

    for edit in (_keep_first(2), _keep_first(0)):  # most of it gone; all of it gone
        emulator.inject_fault(PERIODS_PATH, None, edit=edit)
        outcome = _import(world, connection)
        assert not outcome.success
        assert "financial_periods would lose" in outcome.status.error
        assert f"monitr entities confirm-deletions {connection.connection_id}" in outcome.status.error
        assert _rows(world, "financial_periods", connection.entity_id) == periods

    control.confirm_deletions(connection.connection_id)
    emulator.inject_fault(PERIODS_PATH, None, edit=_keep_first(2))
    assert _import(world, connection).success
    assert len(_rows(world, "financial_periods", connection.entity_id)) == 2
    # The confirmation was for one import; the source's full list then comes back.
    assert control.connection_for_partition(
        "exact_online", connection.partition_key).deletions_confirmed_at is None
    assert _import(world, connection).success
    assert _rows(world, "financial_periods", connection.entity_id) == periods


def test_a_header_only_csv_export_is_refused_then_confirmed(world):
    uploads = world.sandbox.emulators[("csv_import", "default")]
    connection = next(c for c in world.connections("csv_import") if "Smit" in c.external_id)
    assert _import(world, connection).success
    lines = dict(query(world.settings, "select id, amount from raw_csv_import.gl_lines "
                                       "where _monitr_entity_id = ?", (connection.entity_id,)))
    header = uploads.read_text(connection.external_id, "gl_lines_2026.csv").splitlines()[0]
    in_2026 = sum(1 for source, in query(world.settings, "select source_file from "
                                                        "raw_csv_import.gl_lines where "
                                                        "_monitr_entity_id = ?",
                                         (connection.entity_id,))
                  if source == "gl_lines_2026.csv")

    uploads.write_file(connection.external_id, "gl_lines_2026.csv",
                       (header + "\r\n").encode("cp1252"))
    outcome = _import(world, connection)
    assert not outcome.success and outcome.status.status == "Failed"
    assert f"{in_2026:,} of the {in_2026:,} rows from gl_lines_2026.csv" in outcome.status.error
    assert f"monitr import {connection.partition_key} --confirm-deletions" in outcome.status.error
    assert dict(query(world.settings, "select id, amount from raw_csv_import.gl_lines "
                                      "where _monitr_entity_id = ?",
                      (connection.entity_id,))) == lines

    assert _import(world, connection, confirm_deletions=True).success
    [(left,)] = query(world.settings, "select count(*) from raw_csv_import.gl_lines where "
                                      "_monitr_entity_id = ?", (connection.entity_id,))
    assert left == len(lines) - in_2026
    uploads.rewrite()
    assert _import(world, connection).success


def test_an_optional_table_the_app_may_not_read_is_skipped_and_not_asked_again(
        world, exact, exact_emulator, warehouse_lines, ledger_lines, capsys):
    from monitr_pipeline.cli import main

    control = world.control
    connection = exact["be"][0]
    emulator = exact_emulator(connection)
    assert _import(world, connection).success
    projects = _rows(world, "projects", connection.entity_id)
    emulator.advance_to_day(emulator.day + 1)

    scope = json.dumps({"error": {"code": "", "message": {
        "lang": "", "value": "Forbidden - Application Scope Violated"}}})
    emulator.inject_fault(PROJECTS_PATH, 403, body=scope)
    outcome = _import(world, connection)
    assert outcome.success, outcome.status.error
    assert outcome.status.status == "Succeeded"
    assert "projects skipped" in outcome.status.warnings
    assert "Application Scope Violated" in outcome.status.warnings
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)  # the rest loaded
    assert _rows(world, "projects", connection.entity_id) == projects  # kept, not deleted
    materialization = world.instance.get_latest_materialization_event(
        AssetKey(["raw", "exact_online", "projects"]))
    assert "monitr/skipped" in materialization.asset_materialization.metadata
    assert main(["status"]) == 0
    assert "warning: projects skipped" in capsys.readouterr().out

    # Not asked again (Exact's 10-errors-an-hour budget), but still said.
    asked = _requests(emulator, PROJECTS_PATH)
    outcome = _import(world, connection)
    assert outcome.success and "projects skipped" in outcome.status.warnings
    assert _requests(emulator, PROJECTS_PATH) == asked

    # A week later it is asked again (and now read), as after a reconnect.
    with control.session() as s:
        for unreadable in s.scalars(select(UnreadableEndpoint)):
            unreadable.probed_at -= timedelta(days=8)
    outcome = _import(world, connection)
    assert outcome.success and not outcome.status.warnings
    assert _requests(emulator, PROJECTS_PATH) == asked + 1


def test_a_division_without_the_assets_module_is_asked_again_after_a_reconnect(
        world, exact, exact_emulator):
    control = world.control
    connection = exact["be"][0]
    emulator = exact_emulator(connection)
    emulator.inject_fault(ASSETS_PATH, 404)
    outcome = _import(world, connection)
    assert outcome.success and "fixed_assets skipped" in outcome.status.warnings
    asked = _requests(emulator, ASSETS_PATH)
    assert _import(world, connection).success
    assert _requests(emulator, ASSETS_PATH) == asked

    credentials = control.load_credentials(connection.integration_id)
    control.save_credentials(connection.integration_id, credentials, new_consent=True)
    outcome = _import(world, connection)
    assert outcome.success and not outcome.status.warnings
    assert _requests(emulator, ASSETS_PATH) == asked + 1


def test_a_required_table_the_app_may_not_read_fails_the_import(world, exact, exact_emulator,
                                                                  warehouse_lines):
    connection = exact["be"][0]
    emulator = exact_emulator(connection)
    emulator.advance_to_day(emulator.day + 1)
    before = warehouse_lines(connection.entity_id)
    emulator.inject_fault(PERIODS_PATH, 403)
    outcome = _import(world, connection)
    assert not outcome.success and "FinancialPeriods" in outcome.status.error
    assert warehouse_lines(connection.entity_id) == before


def test_pages_that_change_between_two_reads_lose_and_repeat_nothing(
        world, exact, exact_emulator, warehouse_lines, ledger_lines):
    """An entry booked and another deleted while the GL is being paged through (this entity is
    imported here for the first time: its GL takes several pages)."""
    connection = exact["be"][1]
    emulator = exact_emulator(connection)
    division = int(connection.external_id)
    ledger = emulator.ledger(division)
    assert len(ledger_lines(connection)) > 2000
    entry = ledger.entries[min(ledger.entries)]  # on the first page
    account = entry.lines[0].account_code

    def book_and_delete():
        emulator.add_entry(division, date=entry.date, description="booked during the read",
                           lines=[(account, "12.34"), (account, "-12.34")])
        emulator.delete_entry(division, entry.entry_number)

    emulator.inject_fault(r"TransactionLines\?.*skiptoken", None, action=book_and_delete)
    assert _import(world, connection).success
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)
    again = _import(world, connection)
    assert again.success and warehouse_lines(connection.entity_id) == ledger_lines(connection)
