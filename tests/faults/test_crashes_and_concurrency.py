"""Faults of the process around an import: killed mid-way, two at once, a fresh home raced.

Each ends the same way: nothing stuck (no run STARTED for ever, no pool slot held, no import In
Progress), nothing duplicated or lost, and the next import of any entity just works."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

import pytest
from dagster import DagsterRunStatus

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.definitions import defs
from monitr_pipeline.run_workers import STOPPED_UNEXPECTEDLY
from monitr_pipeline.runner import run_import
from monitr_pipeline.tags import WORKER_TAG

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

POOL = "exact_online_api"


def _wait_until(condition, timeout: float = 120.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _claimed_slots(instance) -> int:
    return instance.event_log_storage.get_concurrency_info(POOL).active_slot_count


def _in_progress(control: ControlPlane, connection) -> list:
    return [run for run in control.import_runs(connection.connection_id)
            if run.status.value == "In Progress"]


@pytest.mark.parametrize("die_at", ["extract", "load"])
def test_a_killed_import_is_ended_and_the_next_imports_proceed(die_at, world, exact, spawn_import,
                                                               warehouse_lines, ledger_lines):
    """Four imports of one provider killed (so far past its pool of 4 that, unended, every
    later import of it would wait for ever), then the next import of each entity succeeds with
    every line exactly once, at the next command, with no one cleaning up."""
    control, instance = world.control, world.instance
    victims = exact["nl"] + exact["be"]
    children = [spawn_import(c.partition_key, die_at=die_at) for c in victims]
    for child in children:
        child.wait(timeout=300)
        assert child.returncode == -9, child.stderr.read()[-2000:]
    pids = {str(child.pid) for child in children}
    killed = [r.dagster_run.run_id for r in instance.get_run_records()
              if r.dagster_run.tags.get(WORKER_TAG, "").rpartition(":")[2] in pids]
    assert len(killed) == len(victims)
    # A child ends the runs of children that died before it started; the last ones are left.
    assert any(instance.get_run_by_id(run_id).status is DagsterRunStatus.STARTED
               for run_id in killed)

    for connection in victims:
        outcome = _within(180, lambda: run_import(defs, instance, control, connection, quiet=True))
        assert outcome.success, outcome.status.error
        assert warehouse_lines(connection.entity_id) == ledger_lines(connection)

    assert all(instance.get_run_by_id(run_id).status is DagsterRunStatus.FAILURE
               for run_id in killed)
    assert _claimed_slots(instance) == 0
    for connection in victims:
        ended = [run for run in control.import_runs(connection.connection_id)
                 if run.dagster_run_id in killed]
        assert len(ended) == 1 and ended[0].status.value == "Failed"
        assert STOPPED_UNEXPECTEDLY in ended[0].error and "UTC" in ended[0].error
        assert not _in_progress(control, connection)


def _within(seconds: float, call):
    """call(), failing the test (instead of hanging it) when it waits for ever, as an import
    queued behind pool slots that dead runs never give back would."""
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still waiting after {seconds} s"
    return outcome[0]


def test_a_second_import_of_the_same_entity_waits_for_the_first(world, exact, exact_emulator,
                                                                 spawn_import, warehouse_lines,
                                                                 ledger_lines, caplog):
    control, instance = world.control, world.instance
    connection = exact["nl"][0]
    emulator = exact_emulator(connection)
    emulator.advance_to_day(emulator.day + 1)
    # The child's import is slow on its GL pages, so the two overlap for sure.
    emulator.inject_fault(r"/TransactionLines", None, times=1, delay=8)
    child = spawn_import(connection.partition_key)
    _wait_until(lambda: _in_progress(control, connection), what="the child's import to start")
    first = _in_progress(control, connection)[0]

    with caplog.at_level(logging.INFO, logger="monitr_pipeline"):
        outcome = run_import(defs, instance, control, connection, quiet=True)
    assert child.wait(timeout=300) == 0, child.stderr.read()[-2000:]
    assert outcome.success, outcome.status.error
    waited = [r.getMessage() for r in caplog.records if "waiting for the import of" in r.getMessage()]
    assert waited and f"import run {first.id}" in waited[0]
    runs = {run.id: run for run in control.import_runs(connection.connection_id)}
    mine = runs[max(runs)]
    # Never interleaved: the second started once the first had finished.
    assert runs[first.id].status.value == "Succeeded"
    assert _utc(mine.started_at) >= _utc(runs[first.id].finished_at)
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)


def test_imports_of_two_entities_take_turns_on_the_duckdb_warehouse(world, exact, exact_emulator,
                                                                     spawn_import, warehouse_lines,
                                                                     ledger_lines, caplog):
    control, instance = world.control, world.instance
    slow, other = exact["be"]
    exact_emulator(slow).inject_fault(r"/TransactionLines", None, times=1, delay=8)
    child = spawn_import(slow.partition_key)
    _wait_until(lambda: _in_progress(control, slow), what="the child's import to start")

    with caplog.at_level(logging.INFO, logger="monitr_pipeline"):
        outcome = run_import(defs, instance, control, other, quiet=True)
    assert child.wait(timeout=300) == 0, child.stderr.read()[-2000:]
    assert outcome.success, outcome.status.error
    assert any("waiting for the DuckDB warehouse" in r.getMessage() for r in caplog.records)
    for connection in (slow, other):
        assert warehouse_lines(connection.entity_id) == ledger_lines(connection)


def test_the_cli_reports_its_own_run_not_the_latest(world, exact, exact_emulator, capsys,
                                                    monkeypatch):
    """A schedule tick asks for another import of the entity while the CLI's import runs; the
    CLI still prints its own run's outcome (here: failed, with its error)."""
    from monitr_pipeline.cli import main

    control = world.control
    connection = exact["be"][0]
    start_import = ControlPlane.start_import

    def tick_during_the_run(self, connection_id, *args, **kwargs):
        run_id = start_import(self, connection_id, *args, **kwargs)
        self.request_import(connection_id, f"nightly:{time.time()}", "schedule")
        return run_id

    monkeypatch.setattr(ControlPlane, "start_import", tick_during_the_run)
    exact_emulator(connection).inject_fault(r"/financial/FinancialPeriods", 400)
    assert main(["import", connection.partition_key]) == 1
    out = capsys.readouterr().out
    assert f"({connection.provider}, {connection.partition_key}): Failed" in out
    assert "FinancialPeriods" in out and "answered 400" in out
    latest = next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)
    assert latest.status == "Waiting"  # what the old CLI printed


def test_first_commands_on_a_fresh_home_do_not_race(tmp_path):
    home = tmp_path / "fresh"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MONITR_")},
           "MONITR_HOME": str(home)}
    monitr = os.path.join(os.path.dirname(sys.executable), "monitr")
    commands = [subprocess.Popen([monitr, "status"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(4)]
    outcomes = [(c.wait(timeout=300), c.stderr.read()) for c in commands]
    assert all(code == 0 for code, _ in outcomes), [err[-1500:] for _, err in outcomes]
    assert not any("already exists" in err for _, err in outcomes)


def _utc(moment):
    # SQLite hands back naive UTC datetimes, Postgres aware ones.
    return moment.replace(tzinfo=None)
