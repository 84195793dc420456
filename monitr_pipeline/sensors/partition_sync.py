"""Keeps each provider's dynamic partitions equal to its active entity connections."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, ImportRequest
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.sensors.import_queue import launch_batch
from monitr_pipeline.tags import import_job_name, import_tags


@dataclass
class PartitionSyncPlan:
    """What differs between the control plane and the instance's partitions, per provider."""

    additions: dict[str, list[str]] = field(default_factory=dict)
    deletions: dict[str, list[str]] = field(default_factory=dict)
    # New connections whose first import starts at once.
    first_imports: list[ConnectionInfo] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (any(self.additions.values()) or any(self.deletions.values()))


def first_import_request_key(connection: ConnectionInfo) -> str:
    return f"first-import:{connection.connection_id}"


def plan_partition_sync(control: ControlPlane, providers: Iterable[str],
                        existing_keys: Callable[[str], Iterable[str]]) -> PartitionSyncPlan:
    plan = PartitionSyncPlan()
    active_by_provider: dict[str, list[ConnectionInfo]] = {p: [] for p in providers}
    for connection in control.connections(active_only=True):
        if connection.provider in active_by_provider:
            active_by_provider[connection.provider].append(connection)
    for provider, active in active_by_provider.items():
        existing = set(existing_keys(connection_partitions(provider).name))
        wanted = {c.partition_key: c for c in active}
        plan.additions[provider] = sorted(set(wanted) - existing)
        plan.deletions[provider] = sorted(existing - set(wanted))
        plan.first_imports += [wanted[k] for k in plan.additions[provider]]
    return plan


def apply_partition_sync(instance: DagsterInstance, plan: PartitionSyncPlan) -> None:
    """Apply a plan directly (CLI and demo); the sensor returns the same as requests instead."""
    for provider, keys in plan.additions.items():
        if keys:
            instance.add_dynamic_partitions(connection_partitions(provider).name, keys)
    for provider, keys in plan.deletions.items():
        for key in keys:
            instance.delete_dynamic_partition(connection_partitions(provider).name, key)


def build_partition_sync_sensor(providers: Mapping[str, object]):
    """`providers` maps slug -> its import job (the sensor may launch any of them)."""

    @sensor(
        name="entity_partitions_sync",
        jobs=list(providers.values()),
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description="Adds a partition (and starts the first import) for every new entity "
                    "connection; removes the partition of a deleted one. Imported data is kept.",
    )
    def entity_partitions_sync(context: SensorEvaluationContext, monitr: MonitrResource):
        control = monitr.control_plane()
        plan = plan_partition_sync(control, providers, context.instance.get_dynamic_partitions)
        # First imports are recorded in one transaction; beyond one batch the import_queue
        # sensor asks for their runs (an organisation connecting thousands of dossiers at once).
        first = [ImportRequest(c.connection_id, first_import_request_key(c), "first-import")
                 for c in plan.first_imports]
        batch = launch_batch(monitr.settings())
        control.request_imports(first[batch:])
        control.request_imports(first[:batch], launched=True)
        run_requests = [
            RunRequest(run_key=request.request_key, job_name=import_job_name(connection.provider),
                       partition_key=connection.partition_key,
                       tags=import_tags(connection.provider, request.request_key, request.trigger))
            for connection, request in zip(plan.first_imports[:batch], first[:batch],
                                           strict=True)]
        partition_requests = []
        for provider in providers:
            definition = connection_partitions(provider)
            if plan.additions[provider]:
                partition_requests.append(definition.build_add_request(plan.additions[provider]))
            if plan.deletions[provider]:
                partition_requests.append(definition.build_delete_request(plan.deletions[provider]))
        return SensorResult(run_requests=run_requests, dynamic_partitions_requests=partition_requests)

    return entity_partitions_sync
