"""The processes that execute Dagster runs, and the runs whose process died.

A run whose process is killed (or whose machine lost power) stays STARTED in Dagster forever, keeps
its slots in the provider's concurrency pool and leaves its import In Progress; after a few such
deaths every later import of that provider waits for ever. Nothing else notices: the default run
launcher cannot report a dead worker to Dagster's run monitoring. So every run records its worker
(`monitr/worker` = host:pid), and `end_dead_runs` (called by every command that starts runs, by
`monitr status` and by the `dead_runs` sensor) fails the runs whose worker on this machine is
gone: the Dagster run FAILURE, its pool slots freed, its imports Failed with the time.

Runs on other machines (a Kubernetes run launcher) are left to Dagster's own run monitoring, which
those launchers support.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.tags import PROVIDER_TAG, WORKER_TAG

log = logging.getLogger(__name__)

STOPPED_UNEXPECTEDLY = "the import process stopped unexpectedly"
_UNFINISHED = [DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
_STARTED_PROCESS = re.compile(r"Started process for run \(pid: (\d+)\)")
# /proc's start times have clock-tick resolution and the run's start time is written just after
# its process starts: a process that started this much later than the run is another process
# that reuses the pid.
_PID_REUSE_SLACK_SECONDS = 2.0


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record_worker(instance: DagsterInstance, run: DagsterRun) -> None:
    """Tag the run with the process executing it (once: a run started in-process has it already)."""
    if run.tags.get(WORKER_TAG) != this_worker():
        instance.add_run_tags(run.run_id, {WORKER_TAG: this_worker()})


@dataclass(frozen=True)
class DeadRun:
    run_id: str
    job_name: str
    worker: str
    last_seen: datetime
    message: str


def end_dead_runs(instance: DagsterInstance, control: ControlPlane | None = None
                  ) -> list[DeadRun]:
    """Fail every unfinished run whose process on this machine is gone; returns what was ended."""
    if instance.run_launcher.supports_check_run_worker_health:
        return []  # Dagster's run monitoring asks the launcher itself
    ended = []
    for record in instance.get_run_records(RunsFilter(statuses=_UNFINISHED)):
        run = record.dagster_run
        worker = _worker_of(instance, run)
        if worker is None:
            continue
        host, pid = worker
        started = record.start_time or record.create_timestamp.timestamp()
        if host != socket.gethostname() or process_alive(pid, started_by=started):
            continue
        ended.append(_end(instance, control, record, f"{host}:{pid}"))
    return ended


def _worker_of(instance: DagsterInstance, run: DagsterRun) -> tuple[str, int] | None:
    tagged = run.tags.get(WORKER_TAG)
    if tagged:
        host, _, pid = tagged.rpartition(":")
        return host, int(pid)
    # Launched by the daemon or the webserver (the default launcher, always on their machine)
    # and dead before our code ran: the run worker said its pid when it started.
    for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT):
        match = _STARTED_PROCESS.search(entry.message or "")
        if match:
            return socket.gethostname(), int(match.group(1))
    return None


def process_alive(pid: int, started_by: float) -> bool:
    """Whether `pid` is a live process that started no later than `started_by` (a process that
    started after the run is another one that reuses the pid; a zombie is dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc (macOS): existence is all we can tell
    state, started_at = stat
    return state != "Z" and started_at <= started_by + _PID_REUSE_SLACK_SECONDS


def _proc_stat(pid: int) -> tuple[str, float] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/stat") as handle:
            boot = next(float(line.split()[1]) for line in handle if line.startswith("btime"))
    except (OSError, IndexError, StopIteration):
        return None
    # fields[0] is the state (field 3 of proc(5)); fields[19] is starttime (field 22), in ticks.
    return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _end(instance: DagsterInstance, control: ControlPlane | None, record, worker: str) -> DeadRun:
    run = record.dagster_run
    last = instance.get_records_for_run(run.run_id, limit=1, ascending=False).records
    last_seen = datetime.fromtimestamp(last[0].timestamp if last else record.update_timestamp
                                       .timestamp(), UTC)
    what = STOPPED_UNEXPECTEDLY if run.tags.get(PROVIDER_TAG) else "the run's process stopped unexpectedly"
    message = (f"{what} (process {worker} is gone; last sign of life "
               f"{last_seen:%Y-%m-%d %H:%M:%S} UTC)")
    instance.report_run_failed(run, message)
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    if control is not None:
        control.fail_unfinished_imports(run.run_id, message)
    log.warning("Dagster run %s of %s: %s", run.run_id, run.job_name, message)
    return DeadRun(run.run_id, run.job_name, worker, last_seen, message)
