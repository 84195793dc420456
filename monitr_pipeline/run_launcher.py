"""Runs of the local instance start from a warm process: forked from one that loaded the code
location once, instead of a new interpreter per run.

Dagster's DefaultRunLauncher asks the code server to start every run in a new interpreter, which
imports the code location again before the run begins: ~1.2 s to spawn it and ~3.5 s to import
dagster, dlt, dbt and build the definitions, against an import step of 1-3 s for a small entity
(bench/fan_out.py --launched-overhead). A night of thousands of entities spends most of its time
there. This launcher keeps a multiprocessing forkserver that has imported the definitions; each
run is a fork of it, executed exactly as the code server's run process executes one
(core_execute_run), so the run's events, status and logs are the same.

The warm process holds the code as it was when it started: when a file of the package, the dbt
project or its manifest is newer than that, the next launch starts a fresh one (as reloading a
code location would). The Kubernetes deployment keeps its own launcher (deploy/dagster.yaml).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import DagsterInstance
from dagster._core.events import EngineEventData
from dagster._core.launcher import LaunchRunContext, RunLauncher
from dagster._core.storage.dagster_run import DagsterRunStatus
from dagster._serdes import (
    ConfigurableClass,
    ConfigurableClassData,
    deserialize_value,
    serialize_value,
)

DEFINITIONS_MODULE = "monitr_pipeline.definitions"
# The forked run's pid, so the run can be cancelled.
RUN_PID_TAG = "monitr/run_pid"
_PACKAGE_ROOT = Path(__file__).resolve().parent


class WarmProcessRunLauncher(RunLauncher, ConfigurableClass):
    def __init__(self, inst_data: ConfigurableClassData | None = None):
        self._inst_data = inst_data
        self._lock = threading.Lock()
        self._warm_since: float | None = None
        super().__init__()

    @property
    def inst_data(self) -> ConfigurableClassData | None:
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict:
        return {}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]
                          ) -> WarmProcessRunLauncher:
        return cls(inst_data=inst_data)

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        with self._lock:
            process = self._warm_context().Process(
                target=execute_forked_run,
                # The launcher's environment and folder, not the warm process's (from when it
                # started): a run sees what a run started now by a new interpreter would.
                args=(serialize_value(self._instance.get_ref()), run.run_id, dict(os.environ),
                      os.getcwd()),
                name=f"dagster-run-{run.run_id}", daemon=False)
            process.start()
            # Finished runs' Process objects are reaped here, not kept for the daemon's lifetime.
            multiprocessing.active_children()
        self._instance.add_run_tags(run.run_id, {RUN_PID_TAG: str(process.pid)})

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id)
        pid = run.tags.get(RUN_PID_TAG) if run else None
        if run is None or pid is None or run.is_finished:
            return False
        self._instance.report_run_canceling(run)
        try:
            # Dagster's run process turns an interrupt into a cancelled run.
            os.kill(int(pid), signal.SIGINT)
        except ProcessLookupError:
            return False
        return True

    def _warm_context(self) -> multiprocessing.context.BaseContext:
        context = multiprocessing.get_context("forkserver")
        changed = _newest_code_change()
        if self._warm_since is not None and changed > self._warm_since:
            # The code changed since the warm process loaded it: start a fresh one.
            multiprocessing.forkserver._forkserver._stop()  # noqa: SLF001 - no public restart
            self._warm_since = None
        if self._warm_since is None:
            context.set_forkserver_preload([DEFINITIONS_MODULE])
            self._warm_since = time.time()
        return context


def _newest_code_change() -> float:
    from monitr_pipeline.settings import DBT_PROJECT_DIR

    paths = [*_PACKAGE_ROOT.rglob("*.py"), Path(DBT_PROJECT_DIR) / "target" / "manifest.json"]
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def execute_forked_run(instance_ref: str, run_id: str, environment: Mapping[str, str],
                       folder: str) -> None:
    """In the forked process: execute the run as the code server's run process does."""
    from dagster._grpc.impl import core_execute_run
    from dagster._utils.hosted_user_process import recon_job_from_origin

    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)
    with DagsterInstance.from_ref(deserialize_value(instance_ref)) as instance:
        run = instance.get_run_by_id(run_id)
        if run is None or run.status not in (DagsterRunStatus.NOT_STARTED,
                                             DagsterRunStatus.STARTING):
            return
        pid = os.getpid()
        instance.report_engine_event(
            f"Started process for run (pid: {pid}), forked from the warm process that loaded "
            f"the code location.", run, EngineEventData.in_process(pid))
        try:
            for _ in core_execute_run(recon_job_from_origin(run.job_code_origin), run, instance,
                                      inject_env_vars=False):
                pass
        except Exception:  # noqa: BLE001 - core_execute_run has written it to the run's events
            pass
        finally:
            instance.report_engine_event(f"Process for run exited (pid: {pid}).", run)
