"""Launches requested imports a batch per tick, so a night of thousands of entities never asks
Dagster for thousands of runs in one tick (a tick has 60 s)."""

from collections.abc import Mapping

from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, ImportRequest
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.settings import Settings
from monitr_pipeline.tags import import_job_name, import_tags

# Runs asked for per tick. The daemon turns each into a run: its record and an ASSET_PLANNED
# event per table of the import job. On Postgres that is milliseconds; on the embedded SQLite
# storage every one is a committed write, ~0.8 s a run on the loaded 2-core machine
# (bench/fan_out.py), so 500 would hold a tick for minutes. The embedded default runs one import
# at a time anyway: 25 every 30 s keep its queue ahead of it.
LAUNCH_BATCH = 500
EMBEDDED_LAUNCH_BATCH = 25


def launch_batch(settings: Settings) -> int:
    """Runs asked for per tick on this deployment's Dagster storage."""
    return LAUNCH_BATCH if settings.dagster_pg_url else min(LAUNCH_BATCH, EMBEDDED_LAUNCH_BATCH)


def import_run_request(connection: ConnectionInfo, request: ImportRequest) -> RunRequest:
    return RunRequest(
        run_key=f"{request.request_key}:{connection.partition_key}",
        job_name=import_job_name(connection.provider),
        partition_key=connection.partition_key,
        tags=import_tags(connection.provider, request.request_key, request.trigger),
    )


def next_launches(control: ControlPlane, instance: DagsterInstance, limit: int
                  ) -> list[RunRequest]:
    """Only imports whose partition exists: the partition-sync sensor records a new
    connection's first import before the daemon adds its partition (and may add it ticks
    later), and a run request for a partition Dagster does not know fails the whole tick."""
    partitions: dict[str, set[str]] = {}

    def has_partition(connection: ConnectionInfo) -> bool:
        if connection.provider not in partitions:
            partitions[connection.provider] = set(instance.get_dynamic_partitions(
                connection_partitions(connection.provider).name))
        return connection.partition_key in partitions[connection.provider]

    return [import_run_request(connection, request)
            for connection, request in control.unlaunched_imports(limit, ready=has_partition)]


def build_import_queue_sensor(jobs: Mapping[str, object]):
    @sensor(
        name="import_queue",
        jobs=list(jobs.values()),
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Asks for the runs of requested imports (new entities' first imports, a "
                    f"nightly schedule's beyond its first batch) whose partitions exist, up to "
                    f"{LAUNCH_BATCH} per tick ({EMBEDDED_LAUNCH_BATCH} on the embedded SQLite "
                    "storage), oldest first.",
    )
    def import_queue(context: SensorEvaluationContext, monitr: MonitrResource):
        launches = next_launches(monitr.control_plane(), context.instance,
                                 launch_batch(monitr.settings()))
        return launches or SkipReason("no requested import waits for its run")

    return import_queue
