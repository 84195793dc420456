"""Runs the daemon launches are forked from a warm process that loaded the code location once:
they run as any run does (events, status, the entity's import recorded), can be cancelled, and a
change to the code starts a fresh warm process."""

import time

import pytest
from dagster import DagsterEventType, DagsterRunStatus

from monitr_pipeline.job_runs import create_job_run
from monitr_pipeline.run_launcher import RUN_PID_TAG, WarmProcessRunLauncher
from monitr_pipeline.runner import QUIET_RUN_CONFIG
from monitr_pipeline.tags import import_job_name, import_tags

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def _launch_import(world, connection, request_key: str):
    world.control.request_import(connection.connection_id, request_key, "manual")
    run, _ = create_job_run(world.instance, import_job_name(connection.provider),
                            tags=import_tags(connection.provider, request_key, "manual"),
                            partition_key=connection.partition_key, run_config=QUIET_RUN_CONFIG)
    world.instance.launch_run(run.run_id, workspace=None)
    return run.run_id


def _wait(world, run_id: str, statuses=FINISHED, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = world.instance.get_run_by_id(run_id)
        if run.status in statuses:
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still {run.status} after {timeout} s")


def test_the_local_instance_launches_runs_from_the_warm_process(world):
    assert isinstance(world.instance.run_launcher, WarmProcessRunLauncher)


def test_a_launched_import_runs_in_a_forked_process_and_records_the_entity(world):
    connection = world.connections("csv_import")[0]
    run_id = _launch_import(world, connection, "launcher-test:1")

    run = _wait(world, run_id)
    assert run.status is DagsterRunStatus.SUCCESS
    messages = [record.message for record in world.instance.all_logs(run_id)
                if record.dagster_event
                and record.dagster_event.event_type is DagsterEventType.ENGINE_EVENT]
    assert any("forked from the warm process" in message for message in messages)
    assert int(run.tags[RUN_PID_TAG]) > 0
    assert world.control.import_run_status(connection.connection_id,
                                           "launcher-test:1").status == "Succeeded"


def test_a_launched_run_can_be_cancelled(world):
    connection = world.connections("csv_import")[0]
    # The entity's import lock is held elsewhere: the run waits for it until cancelled.
    with world.control.import_lock(connection, "this test"):
        run_id = _launch_import(world, connection, "launcher-test:2")
        _wait(world, run_id, {DagsterRunStatus.STARTED, *FINISHED})
        time.sleep(1)  # into the step, waiting for the lock
        assert world.instance.run_launcher.terminate(run_id)
        run = _wait(world, run_id)
    assert run.status is DagsterRunStatus.CANCELED


def test_a_code_change_starts_a_fresh_warm_process(world, monkeypatch: pytest.MonkeyPatch):
    import multiprocessing.forkserver

    launcher = world.instance.run_launcher
    launcher._warm_context()
    stopped = []
    monkeypatch.setattr(multiprocessing.forkserver._forkserver, "_stop",
                        lambda: stopped.append(True))
    launcher._warm_context()
    assert stopped == []  # nothing changed since it started
    launcher._warm_since -= 10 ** 9  # as if every file had changed since
    launcher._warm_context()
    assert stopped == [True]
