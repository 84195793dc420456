"""Launching the real Dagster jobs in-process against the instance (demo, CLI, tests)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

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
               request_key: str | None = None) -> ImportOutcome:
    """Run one entity's import job (one partition) and wait for it."""
    request_key = request_key or f"{trigger}:{uuid.uuid4().hex[:12]}"
    control.request_import(connection.connection_id, request_key, trigger)
    result = defs.resolve_job_def(import_job_name(connection.provider)).execute_in_process(
        partition_key=connection.partition_key,
        instance=instance,
        tags=import_tags(connection.provider, request_key, trigger),
        raise_on_error=False,
    )
    return ImportOutcome(connection, result.success, result.run_id)


def run_transforms(defs: Definitions, instance: DagsterInstance) -> bool:
    result = defs.resolve_job_def(TRANSFORM_JOB).execute_in_process(instance=instance,
                                                               raise_on_error=False)
    return result.success
