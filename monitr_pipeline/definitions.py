"""The Dagster entry point: every provider's import assets, job, schedule; dbt; sensors; resources."""

from __future__ import annotations

from dagster import Definitions, define_asset_job, in_process_executor
from dagster_dlt import DagsterDltResource

from monitr_pipeline.assets.import_status_board import (
    import_status_board,
    refresh_import_status_board,
)
from monitr_pipeline.assets.monitr_tables import MONITR_TABLES
from monitr_pipeline.assets.imports import provider_import_assets
from monitr_pipeline.assets.integration_health import (
    check_integration_health_job,
    integration_health_asset,
)
from monitr_pipeline.assets.transforms import build_dbt_assets, dbt_resource
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.schedules import build_nightly_schedule
from monitr_pipeline.sensors.dead_runs import dead_runs
from monitr_pipeline.sensors.integration_health import integration_health
from monitr_pipeline.sensors.import_queue import build_import_queue_sensor
from monitr_pipeline.sensors.import_status import import_canceled_status, import_failure_status
from monitr_pipeline.sensors.import_status_board import import_status_board_refresh
from monitr_pipeline.sensors.partition_sync import build_partition_sync_sensor
from monitr_pipeline.sensors.transforms_after_imports import build_transforms_sensor
from monitr_pipeline.tags import import_job_name

TRANSFORM_JOB = "transform_dbt"


def build_definitions() -> Definitions:
    import_assets = {slug: provider_import_assets(adapter) for slug, adapter in adapters().items()}
    import_jobs = {
        slug: define_asset_job(
            name=import_job_name(slug),
            selection=[assets],
            partitions_def=connection_partitions(slug),
            description=f"Import one {adapters()[slug].spec.name} entity (one partition per entity).",
            # One step: a step subprocess would only add its start-up (~12 s) to every entity.
            executor_def=in_process_executor,
        )
        for slug, assets in import_assets.items()
    }
    dbt_assets = build_dbt_assets()
    transform_job = define_asset_job(name=TRANSFORM_JOB, selection=[dbt_assets],
                                     description="Build and test every dbt model (dbt build).",
                                     executor_def=in_process_executor)
    return Definitions(
        assets=[*import_assets.values(), dbt_assets, integration_health_asset,
                import_status_board, *MONITR_TABLES],
        jobs=[*import_jobs.values(), transform_job, check_integration_health_job,
              refresh_import_status_board],
        schedules=[build_nightly_schedule(slug, job) for slug, job in import_jobs.items()],
        sensors=[
            build_partition_sync_sensor(import_jobs),
            build_import_queue_sensor(import_jobs),
            integration_health,
            import_failure_status,
            import_canceled_status,
            dead_runs,
            build_transforms_sensor(transform_job),
            import_status_board_refresh,
        ],
        resources={
            "dlt": DagsterDltResource(),
            "dbt": dbt_resource(),
            "monitr": MonitrResource(),
        },
    )


defs = build_definitions()
