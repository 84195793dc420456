"""Benchmark of failure safety: every fault the pipeline must survive, injected in turn against
the sandbox emulators over real HTTP, and what each did.

For each fault: the faulted import's status and error, then (after the source is whole again and
one more import ran) the rows duplicated (a key twice, or a row the source no longer has), the
rows lost (at the source, not in the warehouse) and the other entities whose raw rows changed at
all. Every row of the table should read 0 / 0 / 0. Run: .venv/bin/python bench/fault_table.py
(about five minutes). Not part of the test suite.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.settings import Settings

LINES_PATH = r"/sync/Financial/TransactionLines"
SCOPE_VIOLATED = json.dumps({"error": {"code": "", "message": {
    "lang": "", "value": "Forbidden - Application Scope Violated"}}})


@dataclass
class World:
    settings: Settings
    control: ControlPlane
    sandbox: object
    instance: object
    defs: object
    # Entities a fault's scenario imported itself (their rows may change; checked like the target).
    imported: set[int] = field(default_factory=set)

    def emulator(self, connection: ConnectionInfo):
        return self.sandbox.emulators[(connection.provider, connection.environment or "default")]

    def run(self, connection: ConnectionInfo, **kwargs):
        from monitr_pipeline.runner import run_import

        self.imported.add(connection.entity_id)
        return run_import(self.defs, self.instance, self.control, connection, quiet=True, **kwargs)


def _query(world: World, sql: str, params: tuple = ()) -> list[tuple]:
    from monitr_pipeline.warehouse import query

    return query(world.settings, sql, params)


def _fingerprints(world: World) -> dict[tuple[int, str], tuple]:
    """(entity, raw table) -> (rows, hash of every row): what 'affected' compares."""
    tables = _query(world, "select table_schema, table_name from information_schema.tables "
                           "where table_schema like 'raw_%' and table_schema not like '%_staging' "
                           "and table_name not like '_dlt%'")
    prints = {}
    for schema, table in tables:
        for entity, rows, digest in _query(world, f'select _monitr_entity_id, count(*), '
                                                  f'sum(hash(t)) from {schema}."{table}" t '
                                                  'group by 1'):
            prints[(int(entity), f"{schema}.{table}")] = (rows, digest)
    return prints


def _exact_lines(world: World, connection: ConnectionInfo) -> tuple[list[str], set[str]]:
    """The entity's GL line ids in the warehouse (a list: duplicates show) and at the source."""
    stored = [row[0] for row in _query(world, "select id from raw_exact_online."
                                              "gl_transaction_lines where _monitr_entity_id = ?",
                                       (connection.entity_id,))]
    ledger = world.emulator(connection).ledger(int(connection.external_id))
    return stored, {str(line.id) for entry in ledger.entries.values() for line in entry.lines}


def _csv_lines(world: World, connection: ConnectionInfo) -> tuple[list[str], set[str]]:
    stored = [row[0] for row in _query(world, "select id from raw_csv_import.gl_lines "
                                              "where _monitr_entity_id = ?",
                                       (connection.entity_id,))]
    ledger = world.emulator(connection).ledger(connection.external_id)
    return stored, {f"{e.fiscal_year}/{e.journal_code}/{e.entry_number}/{line.line_number}"
                    for e in ledger.entries.values() for line in e.lines}


# --- the faults: each injects, runs the faulted import(s), returns that import's outcome ----------

def killed(die_at: str) -> Callable[[World, ConnectionInfo], object]:
    def scenario(world: World, connection: ConnectionInfo):
        from monitr_sandbox.crashes import spawn_import

        child = spawn_import(world.settings.home, connection.partition_key, die_at)
        child.wait(timeout=600)
        # What the next command (or the dead_runs sensor) does first: end the dead run.
        from monitr_pipeline.run_workers import end_dead_runs

        end_dead_runs(world.instance, world.control)
        return world.control.import_runs(connection.connection_id)[-1]

    return scenario


def concurrent(same_entity: bool) -> Callable[[World, ConnectionInfo], object]:
    def scenario(world: World, connection: ConnectionInfo):
        from monitr_sandbox.crashes import spawn_import

        emulator = world.emulator(connection)
        emulator.advance_to_day(emulator.day + 1)
        emulator.inject_fault(LINES_PATH, None, delay=6)
        child = spawn_import(world.settings.home, connection.partition_key)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(  # the child's import is under way
                run.status.value == "In Progress"
                for run in world.control.import_runs(connection.connection_id)):
            time.sleep(0.2)
        other = connection if same_entity else next(
            c for c in world.control.connections("exact_online") if c != connection)
        outcome = world.run(other)
        child.wait(timeout=600)
        return outcome.status

    return scenario


def edited(path: str, edit: Callable, advance: bool = True) -> Callable:
    def scenario(world: World, connection: ConnectionInfo):
        emulator = world.emulator(connection)
        if advance:
            emulator.advance_to_day(emulator.day + 1)
        emulator.inject_fault(path, None, edit=edit)
        return world.run(connection).status

    return scenario


def answered(path: str, status: int | None, **fault) -> Callable:
    def scenario(world: World, connection: ConnectionInfo):
        emulator = world.emulator(connection)
        emulator.advance_to_day(emulator.day + 1)
        emulator.inject_fault(path, status, **fault)
        return world.run(connection).status

    return scenario


def timed_out(world: World, connection: ConnectionInfo):
    from monitr_pipeline.ingestion import http

    http.REQUEST_TIMEOUT_SECONDS, timeout = 1, http.REQUEST_TIMEOUT_SECONDS
    try:
        return answered(LINES_PATH, None, delay=3)(world, connection)
    finally:
        http.REQUEST_TIMEOUT_SECONDS = timeout


def pages_change(world: World, connection: ConnectionInfo):
    emulator, division = world.emulator(connection), int(connection.external_id)
    entry = world.emulator(connection).ledger(division).entries
    first = entry[min(entry)]
    account = first.lines[0].account_code

    def book_and_delete():
        emulator.add_entry(division, date=first.date, description="booked during the read",
                           lines=[(account, "1.00"), (account, "-1.00")])
        emulator.delete_entry(division, first.entry_number)

    emulator.inject_fault(r"TransactionLines\?.*skiptoken", None, action=book_and_delete)
    return world.run(connection).status


def header_only_csv(world: World, connection: ConnectionInfo):
    uploads = world.emulator(connection)
    header = uploads.read_text(connection.external_id, "gl_lines_2026.csv").splitlines()[0]
    uploads.write_file(connection.external_id, "gl_lines_2026.csv",
                       (header + "\r\n").encode("cp1252"))
    outcome = world.run(connection)
    uploads.rewrite()
    return outcome.status


def _without(field: str) -> Callable:
    def edit(body):
        del body["d"]["results"][0][field]
        return body

    return edit


def _first(count: int) -> Callable:
    def edit(body):
        body["d"]["results"] = body["d"]["results"][:count]
        return body

    return edit


FAULTS: list[tuple[str, str, Callable]] = [
    ("process killed in extraction", "exact", killed("extract")),
    ("process killed in the load step", "exact", killed("load")),
    ("same entity imported twice at once", "exact", concurrent(same_entity=True)),
    ("two entities at once (DuckDB)", "exact", concurrent(same_entity=False)),
    ("GL line without its amount", "exact", edited(LINES_PATH, _without("AmountDC"))),
    ("GL line without its cursor", "exact", edited(LINES_PATH, _without("Timestamp"))),
    ("429, Retry-After 1 s", "exact", answered(LINES_PATH, 429, headers={"Retry-After": "1"})),
    ("request timeout", "exact", timed_out),
    ("entry booked and deleted mid-pagination", "fresh", pages_change),
    ("record hard-deleted from a snapshot", "exact",
     edited(r"/hrm/Costcenters", _first(2), advance=False)),
    ("snapshot shrunk to 2 of 24 periods", "exact",
     edited(r"/financial/FinancialPeriods", _first(2))),
    ("header-only CSV export", "csv", header_only_csv),
    ("optional table: 403 scope violated", "exact",
     answered(r"/sync/Project/Projects", 403, body=SCOPE_VIOLATED)),
    ("optional table: 404 module missing", "exact", answered(r"/assets/Assets", 404)),
    ("required table: 403", "exact", answered(r"/financial/FinancialPeriods", 403)),
]


def main() -> None:
    # The table says what each fault did; the pipeline's own account of it would interleave.
    logging.getLogger("monitr_pipeline").setLevel(logging.ERROR)
    os.environ["MONITR_HOME"] = str(Path(tempfile.mkdtemp(prefix="monitr-faults-")) / "monitr")
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import sync_partitions
    from monitr_sandbox.organisation import seed_organisation, start_sandbox

    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    with start_sandbox(settings.sandbox_dir, day=0, ports={}, relaxed_limits=True) as sandbox:
        seed_organisation(control, sandbox)
        world = World(settings, control, sandbox, monitr_instance(settings), defs)
        sync_partitions(control, world.instance)
        exact = control.connections("exact_online")
        # The last Exact division is first imported by the mid-pagination fault: a full read of
        # its GL takes several pages.
        targets = {"exact": exact[0], "fresh": exact[-1],
                   "csv": next(c for c in control.connections("csv_import")
                               if "Smit" in c.external_id)}
        for connection in [*exact[:-1], targets["csv"]]:
            assert world.run(connection).success
        by_entity = {c.entity_id: c for c in [*exact, targets["csv"]]}
        print(f"{'fault':<42} {'dup':>4} {'lost':>5} {'others':>6}  status: error or warnings")
        for name, target, fault in FAULTS:
            connection = targets[target]
            before, world.imported = _fingerprints(world), set()
            outcome = fault(world, connection)
            world.run(connection)  # the source whole again: the next import converges
            duplicated = lost = 0
            for entity in world.imported:
                checked = by_entity[entity]
                stored, source = (_csv_lines if checked.provider == "csv_import"
                                  else _exact_lines)(world, checked)
                duplicated += len(stored) - len(set(stored)) + len(set(stored) - source)
                lost += len(source - set(stored))
            after = _fingerprints(world)
            others = {entity for entity, table in before | after
                      if entity not in world.imported
                      and before.get((entity, table)) != after.get((entity, table))}
            status = getattr(outcome.status, "value", outcome.status)
            text = (outcome.error or getattr(outcome, "warnings", None) or "").replace("\n", " ")
            print(f"{name:<42} {duplicated:>4} {lost:>5} {len(others):>6}  {status}: {text[:160]}")
        world.instance.dispose()


if __name__ == "__main__":
    main()
