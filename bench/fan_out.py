"""Benchmark: fan-out over many entity connections on the embedded default (SQLite storage, DuckDB).

--ticks N         N connections written straight into the control plane; the partition-sync
                  sensor (N new: a batch a tick until all are added; then a tick with nothing
                  to do), the nightly schedule and the import_queue sensor, each evaluated in
                  this process (time, SQL statements sent to the control plane) and as the
                  daemon runs it (the code server evaluates, then every run request becomes
                  a queued run). Goals: the partition sync under 5 s, the nightly tick well
                  under Dagster's 60 s.
--run-overhead    one small entity's import run through the instance (execute_job_run, as the CLI
                  and the demo run them) against its import step's own time; goal: at most 3 s
                  beyond the step.
--launched-overhead
                  the same, launched as the daemon launches a queued run: through the instance's
                  run launcher (a fork of the warm process that loaded the code location).
--night N         a night of N small sandbox entities (one Exact login, ~900 GL lines each): the
                  nightly schedule's requests and the import_queue's batches run one at a time,
                  as the embedded default's run queue allows; wall time, runs/minute, failures.
--dbt             after the night (or --dbt-entities small entities), dbt build --full-refresh
                  against dbt build after one entity changed and was imported again.

Each part runs under its own MONITR_HOME in /tmp. Quick check: --ticks 1000 --night 10 --dbt.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import DagsterEventType, DagsterInstance, build_schedule_context, build_sensor_context
from sqlalchemy import delete

from monitr_pipeline.control.models import ImportRun
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from control_plane_seed import counted_statements, seed_connections  # bench/ is on sys.path

PROVIDER = "exact_online"
NIGHTLY = f"nightly_{PROVIDER}"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass
class BenchHome:
    path: Path
    settings: Settings
    control: ControlPlane
    instance: DagsterInstance


@contextmanager
def bench_home(label: str) -> Iterator[BenchHome]:
    """A fresh MONITR_HOME, in the environment too: the resources read it when a tick or run
    uses them, and the daemon's code server inherits it."""
    from monitr_pipeline.instance import monitr_instance

    with tempfile.TemporaryDirectory(prefix=f"fan-out-{label}-", dir="/tmp") as path:
        for name in ("MONITR_CONTROL_DB_URL", "MONITR_WAREHOUSE_URL", "MONITR_DAGSTER_PG_URL"):
            os.environ.pop(name, None)
        os.environ["MONITR_HOME"] = path
        settings = Settings.from_env()
        instance = monitr_instance(settings)
        try:
            yield BenchHome(Path(path), settings, ControlPlane.from_settings(settings), instance)
        finally:
            instance.dispose()


def _resources() -> dict:
    from monitr_pipeline.resources import MonitrResource

    return {"monitr": MonitrResource()}


def next_nightly_tick(hour: int = 1) -> datetime:
    now = datetime.now(AMSTERDAM)
    tick = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return tick if tick > now else tick + timedelta(days=1)


# --- ticks --------------------------------------------------------------------------------------

@dataclass
class Evaluation:
    seconds: float
    statements: int
    run_requests: int
    partitions_added: int = 0
    partition_requests: list = field(default_factory=list)


def evaluate_sensor(home: BenchHome, name: str) -> Evaluation:
    """The sensor's function as the daemon's code server runs it, in this process."""
    from monitr_pipeline.definitions import defs

    sensor = defs.resolve_sensor_def(name)
    # An instance ref, as the daemon passes: the tick then checks its run requests against the
    # partitions it adds.
    with build_sensor_context(instance_ref=home.instance.get_ref(), definitions=defs,
                              resources=_resources()) as context, \
            counted_statements(home.control) as count:
        started = time.perf_counter()
        result = sensor.evaluate_tick(context)
        seconds = time.perf_counter() - started
    added = sum(len(r.partition_keys) for r in result.dynamic_partitions_requests
                if type(r).__name__ == "AddDynamicPartitionsRequest")
    return Evaluation(seconds, count.statements, len(result.run_requests or []), added,
                      list(result.dynamic_partitions_requests))


def apply_partition_requests(home: BenchHome, requests: list) -> None:
    """What the daemon does with a tick's partition requests, without its per-key checks."""
    for request in requests:
        if type(request).__name__ == "AddDynamicPartitionsRequest":
            home.instance.add_dynamic_partitions(request.partitions_def_name,
                                                 request.partition_keys)
        else:
            for key in request.partition_keys:
                home.instance.delete_dynamic_partition(request.partitions_def_name, key)


def evaluate_schedule(home: BenchHome, name: str, scheduled_at: datetime) -> Evaluation:
    from monitr_pipeline.definitions import defs

    schedule = defs.resolve_schedule_def(name)
    with build_schedule_context(instance=home.instance, scheduled_execution_time=scheduled_at,
                                resources=_resources(),
                                repository_def=defs.get_repository_def()) as context, \
            counted_statements(home.control) as count:
        started = time.perf_counter()
        result = schedule.evaluate_tick(context)
        seconds = time.perf_counter() - started
    return Evaluation(seconds, count.statements, len(result.run_requests or []))


def _forget_imports(home: BenchHome, request_key_prefix: str) -> None:
    """Undo what an in-process evaluation recorded, so the daemon's tick does the same work."""
    with home.control.session() as s:
        s.execute(delete(ImportRun).where(ImportRun.request_key.startswith(request_key_prefix)))


def _tick_line(label: str, evaluation: Evaluation, daemon_tick, goal: str) -> str:
    added = (f", {evaluation.partitions_added:,} partitions added"
             if evaluation.partitions_added else "")
    daemon = (f"; daemon tick {daemon_tick.seconds:6.2f} s ({daemon_tick.status}, "
              f"{daemon_tick.runs} runs queued)" if daemon_tick else "")
    return (f"{label:<34} evaluation {evaluation.seconds:6.2f} s, {evaluation.statements:>3} "
            f"control-plane statements, {evaluation.run_requests} run requests{added}{daemon}"
            f"{goal}")


def measure_ticks(count: int, with_daemon: bool) -> None:
    from daemon_ticks import daemon

    with bench_home("ticks") as home:
        started = time.perf_counter()
        seed_connections(home.control, count, PROVIDER)
        print(f"{count:,} {PROVIDER} connections written to the control plane in "
              f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        from monitr_pipeline.definitions import defs  # noqa: F401 (loaded once, not per tick)
        print(f"definitions loaded in {time.perf_counter() - started:.1f} s")
        with daemon(home.instance) if with_daemon else _nothing() as the_daemon:
            # Every connection is new (an organisation connecting thousands at once): a tick
            # adds a bounded batch of partitions (PARTITIONS_PER_TICK), the next ticks the rest.
            ticks, slowest, slowest_daemon, total = 0, 0.0, 0.0, 0.0
            while True:
                tick = evaluate_sensor(home, "entity_partitions_sync")
                if not tick.partition_requests:
                    break
                _forget_imports(home, "first-import:")
                tick_daemon = (the_daemon.sensor_tick("entity_partitions_sync") if the_daemon
                               else apply_partition_requests(home, tick.partition_requests))
                if ticks == 0:
                    print(_tick_line(f"partition sync, {count:,} new:", tick, tick_daemon,
                                     "  (goal: under 5 s)"))
                ticks += 1
                slowest = max(slowest, tick.seconds)
                if tick_daemon:
                    slowest_daemon = max(slowest_daemon, tick_daemon.seconds)
                    total += tick_daemon.seconds
            from monitr_pipeline.partitions import connection_partitions

            partitions = len(home.instance.get_dynamic_partitions(
                connection_partitions(PROVIDER).name))
            print(f"{'partition sync, until all added:':<34} {ticks} ticks, slowest evaluation "
                  f"{slowest:6.2f} s" + (f", slowest daemon tick {slowest_daemon:6.2f} s, "
                                         f"{total:.1f} s in all" if the_daemon else "")
                  + f"; {partitions:,} partitions")
            steady = evaluate_sensor(home, "entity_partitions_sync")
            steady_daemon = the_daemon.sensor_tick("entity_partitions_sync") if the_daemon else None
            print(_tick_line("partition sync, nothing new:", steady, steady_daemon,
                             "  (goal: under 5 s)"))

            tick = next_nightly_tick()
            nightly = evaluate_schedule(home, NIGHTLY, tick)
            _forget_imports(home, "nightly:")
            nightly_daemon = the_daemon.schedule_tick(NIGHTLY, tick) if the_daemon else None
            print(_tick_line(f"nightly schedule, {count:,} entities:", nightly, nightly_daemon,
                             "  (goal: well under 60 s)"))

            queue = evaluate_sensor(home, "import_queue")
            queue_daemon = the_daemon.sensor_tick("import_queue") if the_daemon else None
            print(_tick_line("import_queue, next batch:", queue, queue_daemon, ""))
        print(f"runs in the instance now: {home.instance.get_runs_count():,}")


@contextmanager
def _nothing():
    yield None


# --- one entity's run ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RunTiming:
    success: bool
    run_seconds: float  # wall time of execute_job_run: the run created, executed, finished
    step_seconds: float  # the import step, STEP_START to STEP_SUCCESS/FAILURE in its event log

    @property
    def overhead(self) -> float:
        return self.run_seconds - self.step_seconds


def step_seconds(instance: DagsterInstance, run_id: str) -> float:
    starts, ends = [], []
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type is DagsterEventType.STEP_START:
            starts.append(record.timestamp)
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            ends.append(record.timestamp)
    return max(ends) - min(starts) if starts and ends else 0.0


def timed_import_run(home: BenchHome, connection: ConnectionInfo, request_key: str,
                     trigger: str) -> RunTiming:
    """An import run as the CLI launches one: recorded, then executed through the instance."""
    from monitr_pipeline.job_runs import execute_job_run
    from monitr_pipeline.run_workers import this_worker
    from monitr_pipeline.runner import QUIET_RUN_CONFIG
    from monitr_pipeline.tags import WORKER_TAG, import_job_name, import_tags

    home.control.request_import(connection.connection_id, request_key, trigger)
    started = time.perf_counter()
    result = execute_job_run(
        home.instance, import_job_name(connection.provider),
        tags={**import_tags(connection.provider, request_key, trigger), WORKER_TAG: this_worker()},
        partition_key=connection.partition_key, run_config=QUIET_RUN_CONFIG)
    seconds = time.perf_counter() - started
    return RunTiming(result.success, seconds, step_seconds(home.instance, result.run_id))


def _overhead_line(label: str, timing: RunTiming) -> str:
    return (f"{label:<24} run {timing.run_seconds:6.2f} s, import step {timing.step_seconds:6.2f} s,"
            f" overhead {timing.overhead:5.2f} s{'' if timing.success else ' (FAILED)'}")


def measure_run_overhead(runs: int) -> None:
    from fan_out_sandbox import small_entities

    with bench_home("run") as home, \
            small_entities(home.control, home.instance, 1, home.path / "sandbox") as sandbox:
        connection = sandbox.connections[0]
        timings = [timed_import_run(home, connection, f"bench:{n}", "manual")
                   for n in range(runs)]
        for n, timing in enumerate(timings):
            label = "first run (full import)" if n == 0 else f"run {n + 1} (incremental)"
            print(_overhead_line(label, timing))
        later = timings[1:] or timings
        print(f"overhead beyond the import step: median {statistics.median(t.overhead for t in later):.2f}"
              f" s over {len(later)} later runs, first run {timings[0].overhead:.2f} s "
              f"(goal: at most 3 s)")


def launched_import_run(home: BenchHome, workspace, connection: ConnectionInfo,
                        request_key: str) -> RunTiming:
    """An import run as the daemon launches one from the run queue: created with the job's
    origin, handed to the instance's run launcher (a new process that loads the code location),
    waited for until it ends."""
    from dagster import DagsterRunStatus

    from monitr_pipeline.job_runs import create_job_run
    from monitr_pipeline.runner import QUIET_RUN_CONFIG
    from monitr_pipeline.tags import import_job_name, import_tags

    home.control.request_import(connection.connection_id, request_key, "manual")
    run, _ = create_job_run(home.instance, import_job_name(connection.provider),
                            tags=import_tags(connection.provider, request_key, "manual"),
                            partition_key=connection.partition_key, run_config=QUIET_RUN_CONFIG)
    started = time.perf_counter()
    home.instance.launch_run(run.run_id, workspace)
    ended = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    while (status := home.instance.get_run_by_id(run.run_id).status) not in ended:
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    return RunTiming(status is DagsterRunStatus.SUCCESS, seconds,
                     step_seconds(home.instance, run.run_id))


def measure_launched_run_overhead(runs: int) -> None:
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget

    from fan_out_sandbox import small_entities
    from monitr_pipeline.settings import PROJECT_ROOT

    target = WorkspaceFileTarget(paths=[str(PROJECT_ROOT / "workspace.yaml")])
    with bench_home("launched") as home, \
            small_entities(home.control, home.instance, 1, home.path / "sandbox") as sandbox, \
            WorkspaceProcessContext(home.instance, target) as workspace:
        connection = sandbox.connections[0]
        home.instance.add_dynamic_partitions(f"{PROVIDER}__connections",
                                             [connection.partition_key])
        timings = [launched_import_run(home, workspace.create_request_context(), connection,
                                       f"bench-launched:{n}") for n in range(runs)]
        for n, timing in enumerate(timings):
            label = "first run (full import)" if n == 0 else f"run {n + 1} (incremental)"
            print("launched " + _overhead_line(label, timing))
        later = timings[1:] or timings
        print(f"launched run overhead beyond the import step (through the instance's run "
              f"launcher, as the daemon starts runs): median {statistics.median(t.overhead for t in later):.2f} s "
              f"over {len(later)} later runs (goal: at most 3 s)")


# --- a night ------------------------------------------------------------------------------------

def run_night(home: BenchHome, entities: int) -> list[RunTiming]:
    """The nightly schedule's tick, then its runs one at a time (the embedded default runs one at
    a time), the import_queue's next batch when a batch is done, until none is left."""
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.job_runs import execute_job_run
    from monitr_pipeline.run_workers import this_worker
    from monitr_pipeline.runner import QUIET_RUN_CONFIG
    from monitr_pipeline.tags import WORKER_TAG

    def execute(request) -> RunTiming:
        started = time.perf_counter()
        result = execute_job_run(home.instance, request.job_name or f"import_{PROVIDER}",
                                 tags={**request.tags, WORKER_TAG: this_worker()},
                                 partition_key=request.partition_key, run_config=QUIET_RUN_CONFIG)
        return RunTiming(result.success, time.perf_counter() - started,
                         step_seconds(home.instance, result.run_id))

    with build_schedule_context(instance=home.instance, scheduled_execution_time=next_nightly_tick(),
                                resources=_resources(),
                                repository_def=defs.get_repository_def()) as context:
        batch = list(defs.resolve_schedule_def(NIGHTLY).evaluate_tick(context).run_requests)
    timings = []
    queue = defs.resolve_sensor_def("import_queue")
    started = time.perf_counter()
    while batch:
        for request in batch:
            timings.append(execute(request))
            if len(timings) % 50 == 0:
                minutes = (time.perf_counter() - started) / 60
                print(f"  {len(timings)} of {entities} runs done at minute {minutes:.1f} "
                      f"({sum(not t.success for t in timings)} failed; load average "
                      f"{os.getloadavg()[0]:.2f})", flush=True)
        # An instance ref, as the daemon passes: a tick's run requests for partitions are
        # checked against the instance's dynamic partitions, which a plain instance cannot load.
        with build_sensor_context(instance_ref=home.instance.get_ref(), definitions=defs,
                                  resources=_resources()) as context:
            batch = list(queue.evaluate_tick(context).run_requests or [])
    return timings


def measure_night(entities: int, with_dbt: bool) -> None:
    from fan_out_sandbox import small_entities

    with bench_home("night") as home:
        started = time.perf_counter()
        with small_entities(home.control, home.instance, entities,
                            home.path / "sandbox") as sandbox:
            print(f"{entities} small Exact divisions connected and partitioned in "
                  f"{time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            timings = run_night(home, entities)
            seconds = time.perf_counter() - started
            failures = sum(not t.success for t in timings)
            print(f"night of {entities} entities: {len(timings)} runs in {seconds / 60:.1f} min = "
                  f"{len(timings) / seconds * 60:.1f} runs/minute, {failures} failed; per run: "
                  f"median {statistics.median(t.run_seconds for t in timings):.2f} s, import step "
                  f"{statistics.median(t.step_seconds for t in timings):.2f} s, overhead "
                  f"{statistics.median(t.overhead for t in timings):.2f} s (p90 "
                  f"{_quantile([t.overhead for t in timings], 0.9):.2f} s)")
            statuses = [s.status for s in home.control.import_statuses(PROVIDER)]
            print(f"imports recorded: {statuses.count('Succeeded')} Succeeded, "
                  f"{statuses.count('Failed')} Failed, {len(statuses) - statuses.count('Succeeded') - statuses.count('Failed')} other")
            if with_dbt:
                measure_dbt(home, sandbox)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- dbt ----------------------------------------------------------------------------------------

def dbt_build(home: BenchHome, *arguments: str) -> tuple[float, bool]:
    """dbt build as the transform job runs it (the same project, profile and warehouse), its
    target and logs kept out of the repository's dbt_monitr/target."""
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--project-dir",
               str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path",
               str(home.path / "dbt_target"), "--log-path", str(home.path / "dbt_logs"),
               "--quiet", *arguments]
    started = time.perf_counter()
    finished = subprocess.run(command, env={**os.environ, **home.settings.dbt_env()},
                              capture_output=True, text=True, cwd=DBT_PROJECT_DIR)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        print(finished.stdout[-3000:], finished.stderr[-2000:], sep="\n")
    return seconds, finished.returncode == 0


def change_one_entity(home: BenchHome, sandbox) -> ConnectionInfo:
    """One new memorial entry in the first division, imported again (incrementally)."""
    connection = sandbox.connections[0]
    division = int(connection.external_id)
    template = next(e for e in sandbox.emulator.ledger(division).entries.values() if e.lines)
    sandbox.emulator.add_entry(division, date=date(2026, 11, 20), description="bench change",
                               lines=[(line.account_code, line.amount) for line in template.lines])
    timing = timed_import_run(home, connection, "bench:changed", "manual")
    assert timing.success, "the changed entity's import failed"
    return connection


def measure_dbt(home: BenchHome, sandbox) -> None:
    full, full_ok = dbt_build(home, "--full-refresh")
    first, first_ok = dbt_build(home)  # nothing changed: what a build costs at rest
    change_one_entity(home, sandbox)
    incremental, incremental_ok = dbt_build(home)
    print(f"dbt build --full-refresh {full:6.1f} s{'' if full_ok else ' (FAILED)'}; "
          f"dbt build with nothing changed {first:6.1f} s{'' if first_ok else ' (FAILED)'}; "
          f"after one entity changed {incremental:6.1f} s"
          f"{'' if incremental_ok else ' (FAILED)'}")


def measure_dbt_alone(entities: int) -> None:
    from fan_out_sandbox import small_entities

    with bench_home("dbt") as home, \
            small_entities(home.control, home.instance, entities,
                           home.path / "sandbox") as sandbox:
        run_night(home, entities)
        print(f"{entities} small entities imported")
        measure_dbt(home, sandbox)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticks", type=int, nargs="?", const=10_000, metavar="N",
                        help="the ticks over N connections (default N: 10,000)")
    parser.add_argument("--no-daemon", action="store_true",
                        help="with --ticks: evaluations in this process only (no code server)")
    parser.add_argument("--run-overhead", type=int, nargs="?", const=4, metavar="RUNS",
                        help="one entity's runs: the first full, the rest incremental (default 4)")
    parser.add_argument("--launched-overhead", type=int, nargs="?", const=4, metavar="RUNS",
                        help="import runs launched as the daemon launches them (a new process "
                             "per run): overhead beyond the import step")
    parser.add_argument("--night", type=int, nargs="?", const=500, metavar="N",
                        help="a night of N small entities (default N: 500)")
    parser.add_argument("--dbt", action="store_true",
                        help="dbt full refresh vs one entity changed (after --night, or alone "
                             "over --dbt-entities)")
    parser.add_argument("--dbt-entities", type=int, default=20)
    arguments = parser.parse_args()
    if not any((arguments.ticks, arguments.run_overhead, arguments.launched_overhead,
                arguments.night, arguments.dbt)):
        parser.error("choose at least one of --ticks, --run-overhead, --night, --dbt")
    print(f"load average at start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    if arguments.ticks:
        measure_ticks(arguments.ticks, with_daemon=not arguments.no_daemon)
    if arguments.run_overhead:
        measure_run_overhead(arguments.run_overhead)
    if arguments.launched_overhead:
        measure_launched_run_overhead(arguments.launched_overhead)
    if arguments.night:
        measure_night(arguments.night, with_dbt=arguments.dbt)
    elif arguments.dbt:
        measure_dbt_alone(arguments.dbt_entities)
    print(f"load average at end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
