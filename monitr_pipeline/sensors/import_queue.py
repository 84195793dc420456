"""Launches requested imports a batch per tick, so a night of thousands of entities never asks
Dagster for thousands of runs in one tick (a tick has 60 s)."""

from collections.abc import Mapping

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, ImportRequest
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import import_job_name, import_tags

# Runs asked for per tick: each costs the tick a run record; 500 stay well inside 60 s on the
# embedded instance (bench/fan_out.py).
LAUNCH_BATCH = 500


def import_run_request(connection: ConnectionInfo, request: ImportRequest) -> RunRequest:
    return RunRequest(
        run_key=f"{request.request_key}:{connection.partition_key}",
        job_name=import_job_name(connection.provider),
        partition_key=connection.partition_key,
        tags=import_tags(connection.provider, request.request_key, request.trigger),
    )


def next_launches(control: ControlPlane, limit: int = LAUNCH_BATCH) -> list[RunRequest]:
    return [import_run_request(connection, request)
            for connection, request in control.unlaunched_imports(limit)]


def build_import_queue_sensor(jobs: Mapping[str, object]):
    @sensor(
        name="import_queue",
        jobs=list(jobs.values()),
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Asks for the runs of requested imports (a nightly schedule's, beyond the "
                    f"first {LAUNCH_BATCH}) up to {LAUNCH_BATCH} per tick, oldest first.",
    )
    def import_queue(context: SensorEvaluationContext, monitr: MonitrResource):
        launches = next_launches(monitr.control_plane())
        return launches or SkipReason("no requested import waits for its run")

    return import_queue
