"""Runs whose process died are found and ended, however they were started; live ones are not."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from dagster import DagsterInstance, DagsterRunStatus, job, op
from dagster._core.events import EngineEventData

from monitr_pipeline.run_workers import (
    STOPPED_UNEXPECTEDLY,
    end_dead_runs,
    process_alive,
    this_worker,
)
from monitr_pipeline.tags import PROVIDER_TAG, WORKER_TAG


@op
def nothing() -> None:
    pass


@job
def import_something():
    nothing()


def _started_run(instance: DagsterInstance, tags: dict[str, str]):
    return instance.create_run_for_job(import_something, status=DagsterRunStatus.STARTED,
                                       tags={PROVIDER_TAG: "exact_online", **tags})


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_whose_tagged_worker_is_gone_is_failed_with_its_imports(instance, control):
    dead = _started_run(instance, {WORKER_TAG: f"{socket.gethostname()}:{_dead_pid()}"})
    alive = _started_run(instance, {WORKER_TAG: this_worker()})
    elsewhere = _started_run(instance, {WORKER_TAG: "another-host:1"})

    ended = end_dead_runs(instance, control)

    assert [run.run_id for run in ended] == [dead.run_id]
    assert STOPPED_UNEXPECTEDLY in ended[0].message and "UTC" in ended[0].message
    assert instance.get_run_by_id(dead.run_id).status is DagsterRunStatus.FAILURE
    # Ours is running; another machine's is Dagster's run monitoring's to judge.
    assert instance.get_run_by_id(alive.run_id).status is DagsterRunStatus.STARTED
    assert instance.get_run_by_id(elsewhere.run_id).status is DagsterRunStatus.STARTED
    assert end_dead_runs(instance, control) == []


def test_a_run_launched_by_the_daemon_is_judged_by_the_pid_its_worker_reported(instance):
    run = _started_run(instance, {})
    pid = _dead_pid()
    instance.report_engine_event(f"Started process for run (pid: {pid}).", run,
                                 EngineEventData.in_process(pid))
    assert [r.run_id for r in end_dead_runs(instance)] == [run.run_id]


def test_a_pid_reused_by_a_later_process_or_a_zombie_is_not_alive():
    assert process_alive(os.getpid(), started_by=time.time())
    # This process started before now, so it cannot be the worker of a run that starts later.
    assert not process_alive(os.getpid(), started_by=time.time() - 3600 * 24 * 365)
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    time.sleep(1)  # exited, not yet waited for
    assert not process_alive(zombie.pid, started_by=time.time())
    zombie.wait()
    assert not process_alive(zombie.pid, started_by=time.time())
