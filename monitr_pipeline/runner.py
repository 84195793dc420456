"""Launching the real Dagster jobs in-process against the instance (demo, CLI, tests)."""

from __future__ import annotations

import uuid
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from dagster import AssetKey, AssetsDefinition, DagsterInstance, Definitions

from monitr_pipeline.assets.import_status_board import REFRESH_JOB as STATUS_BOARD_JOB
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, EntityImportStatus
from monitr_pipeline.definitions import TRANSFORM_JOB
from monitr_pipeline.job_runs import execute_job_run
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.run_workers import end_dead_runs, this_worker
from monitr_pipeline.sensors.partition_sync import (
    PartitionSyncPlan,
    apply_partition_sync,
    plan_partition_sync,
)
from monitr_pipeline.tags import (
    CONFIRM_DELETIONS_TAG,
    TRIGGER_TAG,
    WORKER_TAG,
    import_job_name,
    import_tags,
)


# Runs launched from the CLI and the demo print nothing of Dagster's own: they print the import's
# outcome themselves (and its long waits as they happen); the full event log is in Dagster.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
# The op of the dbt models' multi-asset (assets/transforms.py), which the transform job builds.
DBT_ASSETS_NAME = "dbt_monitr"


@dataclass(frozen=True)
class ImportOutcome:
    connection: ConnectionInfo
    success: bool
    run_id: str
    # This run's own import status (not the connection's latest, which another run may own).
    status: EntityImportStatus


def sync_partitions(control: ControlPlane, instance: DagsterInstance) -> PartitionSyncPlan:
    """What the partition-sync sensor does on its tick, applied at once."""
    plan = plan_partition_sync(control, adapters(), instance.get_dynamic_partitions)
    apply_partition_sync(instance, plan)
    return plan


def run_import(defs: Definitions, instance: DagsterInstance, control: ControlPlane,
               connection: ConnectionInfo, trigger: str = "manual",
               request_key: str | None = None, quiet: bool = False,
               confirm_deletions: bool = False) -> ImportOutcome:
    """Run one entity's import job (one partition) and wait for it. Runs whose process died
    are ended first, so their pool slots do not hold this one up."""
    end_dead_runs(instance, control)
    # Its partition, if the sync has not added it yet (one query; nothing if it exists).
    instance.add_dynamic_partitions(connection_partitions(connection.provider).name,
                                    [connection.partition_key])
    request_key = request_key or f"{trigger}:{uuid.uuid4().hex[:12]}"
    control.request_import(connection.connection_id, request_key, trigger)
    tags = {**import_tags(connection.provider, request_key, trigger), WORKER_TAG: this_worker()}
    if confirm_deletions:
        tags[CONFIRM_DELETIONS_TAG] = "true"
    result = execute_job_run(instance, import_job_name(connection.provider), tags=tags,
                             partition_key=connection.partition_key,
                             run_config=QUIET_RUN_CONFIG if quiet else None)
    return ImportOutcome(connection, result.success, result.run_id,
                         control.import_run_status(connection.connection_id, request_key))


@dataclass(frozen=True)
class TransformOutcome:
    """One run of the transform job: what it built, which dbt tests failed, and why it failed."""

    success: bool
    run_id: str
    built: list[str]  # asset keys of the models materialized, e.g. "staging/stg_x"
    # "<model>: <check>: <what failed>" of the dbt tests that failed; what failed names the
    # first failing rows' entity, period and difference (assets/check_failures.py).
    failed_tests: list[str]
    error: str | None


def dbt_models(defs: Definitions, select: str) -> list[AssetKey]:
    """The asset keys of the dbt models a dbt selector (`stg_x+`, `tag:...`, `path:...`) picks."""
    from dagster_dbt import build_dbt_asset_selection

    dbt_assets = [a for a in defs.assets or () if isinstance(a, AssetsDefinition)
                  and a.node_def.name == DBT_ASSETS_NAME]
    selection = build_dbt_asset_selection(dbt_assets, dbt_select=select)
    return sorted(selection.resolve(defs.resolve_asset_graph()))


def run_transform_job(defs: Definitions, instance: DagsterInstance, *,
                      models: list[AssetKey] | None = None, trigger: str = "manual",
                      log_path: Path | None = None) -> TransformOutcome:
    """The transform job (dbt build; with `models`, only those and their tests) as a Dagster run
    on the instance, waited for; with `log_path`, dbt's own console output goes there."""
    with ExitStack() as stack:
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(redirect_stdout(stack.enter_context(open(log_path, "w"))))
        end_dead_runs(instance)
        result = execute_job_run(instance, TRANSFORM_JOB, asset_selection=models,
                                 tags={TRIGGER_TAG: trigger, WORKER_TAG: this_worker()},
                                 run_config=QUIET_RUN_CONFIG if log_path is not None else None)
    built = sorted(event.asset_key.to_user_string()
                   for event in result.get_asset_materialization_events() if event.asset_key)
    failed_tests = sorted(f"{e.asset_key.to_user_string()}: {e.check_name}"
                          + (f": {e.description}" if e.description else "")
                          for e in result.get_asset_check_evaluations() if not e.passed)
    errors = [event.step_failure_data.error.message.strip()
              for event in result.get_step_failure_events()
              if event.step_failure_data and event.step_failure_data.error]
    return TransformOutcome(result.success, result.run_id, built, failed_tests,
                            "; ".join(errors) or None)


def run_transforms(defs: Definitions, instance: DagsterInstance, log_path: Path | None = None
                   ) -> bool:
    """dbt build as a Dagster run; with `log_path`, dbt's own console output goes there."""
    return run_transform_job(defs, instance, log_path=log_path).success


def refresh_status_board(instance: DagsterInstance, trigger: str = "manual") -> bool:
    """The import status board's job (imports/status_board, monitr.import_status) as a Dagster
    run on the instance, waited for: what its sensor asks the daemon for, without a daemon."""
    return execute_job_run(instance, STATUS_BOARD_JOB,
                           tags={TRIGGER_TAG: trigger, WORKER_TAG: this_worker()},
                           run_config=QUIET_RUN_CONFIG).success
