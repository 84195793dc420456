"""One schedule or sensor tick as the Dagster daemon runs it: evaluated by the code location's own
gRPC server (a subprocess loading monitr_pipeline.definitions, as in production), then every run
request turned into a run (its execution plan fetched from the code server, the run record
written, the run queued). Uses the daemon's iteration functions, which are Dagster internals."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dagster import DagsterInstance
from dagster._core.scheduler.instigation import InstigatorType, TickStatus
from dagster._core.test_utils import create_test_daemon_workspace_context, freeze_time
from dagster._core.workspace.load_target import ModuleTarget
from dagster._daemon.sensor import execute_sensor_iteration
from dagster._scheduler.scheduler import launch_scheduled_runs

from monitr_pipeline.job_runs import CODE_LOCATION, DEFINITIONS_MODULE, REPOSITORY
from monitr_pipeline.settings import PROJECT_ROOT

LOG = logging.getLogger("bench.daemon_ticks")


@dataclass(frozen=True)
class DaemonTick:
    seconds: float  # wall time of the daemon's iteration for this one instigator
    status: str
    runs: int  # runs the tick created and queued


class Daemon:
    """The daemon's view of the code location, with every schedule and sensor stopped except the
    one a tick is asked of (each runs its own tick, as the daemon would run them apart)."""

    def __init__(self, workspace, instance: DagsterInstance):
        self._workspace = workspace
        self._instance = instance
        # Sensors keep a minimum interval; each sensor tick is taken this much later than the last.
        self._clock = datetime.now(UTC)

    def _repository(self):
        location = self._workspace.create_request_context().get_code_location(CODE_LOCATION)
        return location.get_repository(REPOSITORY)

    def _only_schedule(self, name: str) -> None:
        # The schedule asked of is never stopped here, so it keeps its state declared in code.
        for schedule in self._repository().get_schedules():
            if schedule.name != name:
                self._instance.stop_schedule(schedule.get_remote_origin_id(), schedule.selector_id,
                                             schedule)

    def _only_sensor(self, name: str) -> None:
        for sensor in self._repository().get_sensors():
            if sensor.name == name:
                self._instance.start_sensor(sensor)  # a no-op if it runs
            else:
                self._instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id, sensor)

    def _latest_tick(self, name: str, kind: InstigatorType):
        repository = self._repository()
        instigator = (repository.get_schedule(name) if kind is InstigatorType.SCHEDULE
                      else repository.get_sensor(name))
        ticks = self._instance.get_ticks(instigator.get_remote_origin_id(), instigator.selector_id,
                                         limit=1)
        return ticks[0] if ticks else None

    def sensor_tick(self, name: str) -> DaemonTick:
        self._only_sensor(name)
        self._clock += timedelta(seconds=120)
        with freeze_time(self._clock):
            started = time.perf_counter()
            for _ in execute_sensor_iteration(self._workspace, LOG, None, None):
                pass
            seconds = time.perf_counter() - started
        return self._outcome(name, InstigatorType.SENSOR, seconds)

    def schedule_tick(self, name: str, scheduled_at: datetime) -> DaemonTick:
        """The tick of `scheduled_at`: the daemon first records the schedule as running a minute
        before it (no tick), then iterates just after it."""
        self._only_schedule(name)
        iteration_times: dict = {}
        for _ in launch_scheduled_runs(self._workspace, LOG, scheduled_at - timedelta(minutes=1),
                                       iteration_times):
            pass
        started = time.perf_counter()
        for _ in launch_scheduled_runs(self._workspace, LOG, scheduled_at + timedelta(seconds=5),
                                       iteration_times):
            pass
        seconds = time.perf_counter() - started
        return self._outcome(name, InstigatorType.SCHEDULE, seconds)

    def _outcome(self, name: str, kind: InstigatorType, seconds: float) -> DaemonTick:
        tick = self._latest_tick(name, kind)
        if tick is None:
            return DaemonTick(seconds, "no tick", 0)
        if tick.status is TickStatus.FAILURE:
            LOG.error("%s tick failed: %s", name, tick.error)
        return DaemonTick(seconds, tick.status.value, len(tick.run_ids))


@contextmanager
def daemon(instance: DagsterInstance) -> Iterator[Daemon]:
    """A code server for monitr_pipeline (as workspace.yaml names it) and the daemon's view of
    it; MONITR_HOME must be in the environment, which the code server inherits."""
    target = ModuleTarget(module_name=DEFINITIONS_MODULE, attribute=None,
                          working_directory=str(PROJECT_ROOT), location_name=CODE_LOCATION)
    with create_test_daemon_workspace_context(target, instance) as workspace:
        yield Daemon(workspace, instance)
