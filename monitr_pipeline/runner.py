"""Launching the real Dagster jobs in-process against the instance (demo, CLI, tests)."""

from __future__ import annotations

import uuid
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from dagster import DagsterInstance, Definitions

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.definitions import TRANSFORM_JOB
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.sensors.partition_sync import (
    PartitionSyncPlan,
    apply_partition_sync,
    plan_partition_sync,
)
from monitr_pipeline.tags import import_job_name, import_tags


# Runs launched from the CLI and the demo print only warnings; the full event log is in Dagster.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class ImportOutcome:
    connection: ConnectionInfo
    success: bool
    run_id: str


def sync_partitions(control: ControlPlane, instance: DagsterInstance) -> PartitionSyncPlan:
    """What the partition-sync sensor does on its tick, applied at once."""
    plan = plan_partition_sync(control, adapters(), instance.get_dynamic_partitions)
    apply_partition_sync(instance, plan)
    return plan


def run_import(defs: Definitions, instance: DagsterInstance, control: ControlPlane,
               connection: ConnectionInfo, trigger: str = "manual",
               request_key: str | None = None, quiet: bool = False) -> ImportOutcome:
    """Run one entity's import job (one partition) and wait for it."""
    request_key = request_key or f"{trigger}:{uuid.uuid4().hex[:12]}"
    control.request_import(connection.connection_id, request_key, trigger)
    result = defs.resolve_job_def(import_job_name(connection.provider)).execute_in_process(
        partition_key=connection.partition_key,
        instance=instance,
        tags=import_tags(connection.provider, request_key, trigger),
        raise_on_error=False,
        run_config=QUIET_RUN_CONFIG if quiet else None,
    )
    return ImportOutcome(connection, result.success, result.run_id)


def run_transforms(defs: Definitions, instance: DagsterInstance, log_path: Path | None = None
                   ) -> bool:
    """dbt build as a Dagster run; with `log_path`, dbt's own console output goes there."""
    with ExitStack() as stack:
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(redirect_stdout(stack.enter_context(open(log_path, "w"))))
        result = defs.resolve_job_def(TRANSFORM_JOB).execute_in_process(
            instance=instance, raise_on_error=False,
            run_config=QUIET_RUN_CONFIG if log_path is not None else None)
    return result.success
