"""Nightly imports: every active partition of every provider, twice per night, Amsterdam time."""

from dagster import (
    DefaultScheduleStatus,
    JobDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from monitr_pipeline.control.service import ImportRequest
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.import_queue import LAUNCH_BATCH, import_run_request

NIGHTLY_CRON = "0 1,4 * * *"  # 01:00 and 04:00, before accountants start their day
TIMEZONE = "Europe/Amsterdam"


def nightly_request_key(provider: str, scheduled_iso: str) -> str:
    return f"nightly:{provider}:{scheduled_iso}"


def build_nightly_schedule(provider: str, job: JobDefinition):
    @schedule(
        name=f"nightly_{provider}",
        job=job,
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description=f"Imports every connected {provider} entity at 01:00 and 04:00 ({TIMEZONE}).",
    )
    def nightly(context: ScheduleEvaluationContext, monitr: MonitrResource):
        control = monitr.control_plane()
        existing = set(context.instance.get_dynamic_partitions(connection_partitions(provider).name))
        # A connection made since the last partition sync gets its partition (and first import)
        # from the sync sensor; the schedule only asks for partitions that exist.
        connections = [c for c in control.connections(provider) if c.partition_key in existing]
        if not connections:
            return SkipReason(f"no active {provider} connections")
        request_key = nightly_request_key(provider, context.scheduled_execution_time.isoformat())
        # Every import of the night is recorded (Waiting) in one transaction; the first batch's
        # runs are asked for now, the rest by the import_queue sensor, a batch per tick.
        requests = [ImportRequest(c.connection_id, request_key, "schedule") for c in connections]
        control.request_imports(requests[LAUNCH_BATCH:])
        control.request_imports(requests[:LAUNCH_BATCH], launched=True)
        return [import_run_request(connection, request)
                for connection, request in zip(connections[:LAUNCH_BATCH],
                                               requests[:LAUNCH_BATCH], strict=True)]

    return nightly
