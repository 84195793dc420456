"""Keeps each provider's dynamic partitions equal to its active entity connections."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, ImportRequest
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.resources import MonitrResource

# Partitions added or removed per tick. The sensor daemon checks every key of a partition
# request with a query of its own before writing it (dagster/_daemon/sensor.py,
# _handle_dynamic_partitions_requests): on the embedded SQLite storage 10,000 new connections
# held one tick for 68 s (bench/fan_out.py). The rest are added on the next ticks (30 s apart).
PARTITIONS_PER_TICK = 500


@dataclass
class PartitionSyncPlan:
    """What differs between the control plane and the instance's partitions, per provider."""

    additions: dict[str, list[str]] = field(default_factory=dict)
    deletions: dict[str, list[str]] = field(default_factory=dict)
    # The connections whose partitions are added: each one's first import follows.
    first_imports: list[ConnectionInfo] = field(default_factory=list)
    # Additions and deletions beyond this plan's limit, left to the next plans.
    deferred: int = 0

    @property
    def is_empty(self) -> bool:
        return not (any(self.additions.values()) or any(self.deletions.values()))


def first_import_request_key(connection: ConnectionInfo) -> str:
    return f"first-import:{connection.connection_id}"


def plan_partition_sync(control: ControlPlane, providers: Iterable[str],
                        existing_keys: Callable[[str], Iterable[str]],
                        limit: int | None = None) -> PartitionSyncPlan:
    """At most `limit` changes: deletions first, then additions of the oldest connections. The
    plan is the difference between the two stores as they are now, so what one plan leaves out
    the next one finds again: no cursor to lose, nothing skipped."""
    existing = {p: set(existing_keys(connection_partitions(p).name)) for p in providers}
    # Oldest connection first (connections() orders by id).
    active = [c for c in control.connections(active_only=True) if c.provider in existing]
    wanted = {p: set() for p in existing}
    for connection in active:
        wanted[connection.provider].add(connection.partition_key)
    all_gone = [(p, key) for p, keys in existing.items() for key in sorted(keys - wanted[p])]
    all_new = [c for c in active if c.partition_key not in existing[c.provider]]
    budget = len(all_gone) + len(all_new) if limit is None else limit
    gone = all_gone[:budget]
    new = all_new[:budget - len(gone)]
    plan = PartitionSyncPlan(additions={p: [] for p in existing},
                             deletions={p: [] for p in existing}, first_imports=new,
                             deferred=len(all_gone) + len(all_new) - len(gone) - len(new))
    for provider, key in gone:
        plan.deletions[provider].append(key)
    for connection in new:
        plan.additions[connection.provider].append(connection.partition_key)
    return plan


def first_import_requests(plan: PartitionSyncPlan) -> list[ImportRequest]:
    return [ImportRequest(c.connection_id, first_import_request_key(c), "first-import")
            for c in plan.first_imports]


def apply_partition_sync(instance: DagsterInstance, plan: PartitionSyncPlan) -> None:
    """Apply a plan directly (CLI and demo); the sensor returns the same as requests instead."""
    for provider, keys in plan.additions.items():
        if keys:
            instance.add_dynamic_partitions(connection_partitions(provider).name, keys)
    for provider, keys in plan.deletions.items():
        for key in keys:
            instance.delete_dynamic_partition(connection_partitions(provider).name, key)


def build_partition_sync_sensor(providers: Mapping[str, object]):
    """`providers` maps slug -> its import job; this sensor asks for no run itself."""

    @sensor(
        name="entity_partitions_sync",
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Adds a partition (and records the first import, which the import_queue "
                    f"sensor starts) for every new entity connection; removes the partition of "
                    f"a deleted one. Imported data is kept. At most {PARTITIONS_PER_TICK} "
                    f"partitions a tick, oldest connections first.",
    )
    def entity_partitions_sync(context: SensorEvaluationContext, monitr: MonitrResource):
        control = monitr.control_plane()
        plan = plan_partition_sync(control, providers, context.instance.get_dynamic_partitions,
                                   limit=PARTITIONS_PER_TICK)
        # The first imports are recorded (Waiting), not run from here: the import_queue sensor
        # asks for their runs once their partitions exist. A run costs ~0.8 s to create on the
        # SQLite storage, so even 25 of them would hold this tick for 20 s.
        control.request_imports(first_import_requests(plan))
        partition_requests = []
        for provider in providers:
            definition = connection_partitions(provider)
            if plan.additions[provider]:
                partition_requests.append(definition.build_add_request(plan.additions[provider]))
            if plan.deletions[provider]:
                partition_requests.append(definition.build_delete_request(plan.deletions[provider]))
        if plan.deferred:
            context.log.info(f"{plan.deferred} partition changes left for the next ticks")
        return SensorResult(dynamic_partitions_requests=partition_requests)

    return entity_partitions_sync
