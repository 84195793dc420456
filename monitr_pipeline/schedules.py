"""Nightly imports: every active partition of every provider, twice per night, Amsterdam time."""

from dagster import (
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import import_tags

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
        scheduled = context.scheduled_execution_time.isoformat()
        requests = []
        for connection in connections:
            request_key = nightly_request_key(provider, scheduled)
            control.request_import(connection.connection_id, request_key, "schedule")
            requests.append(RunRequest(
                run_key=f"{request_key}:{connection.partition_key}",
                partition_key=connection.partition_key,
                tags=import_tags(provider, request_key, "schedule"),
            ))
        return requests

    return nightly
