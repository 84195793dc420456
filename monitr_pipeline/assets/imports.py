"""The asset factory: one partitioned dlt multi-asset per provider, one partition per connection."""

from collections.abc import Iterator
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, AssetSpec, Failure
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from monitr_pipeline.assets.owners import DATA_OWNER
from monitr_pipeline.entity_import import EntityImport
from monitr_pipeline.ingestion.pipeline import describing_pipeline
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.run_workers import record_worker
from monitr_pipeline.schedules import nightly_import_freshness
from monitr_pipeline.tags import CONFIRM_DELETIONS_TAG, REQUEST_KEY_TAG, TRIGGER_TAG
from monitr_pipeline.warehouse import warehouse_lock


def raw_asset_key(provider: str, table: str) -> AssetKey:
    return AssetKey(["raw", provider, table])


class MonitrDltTranslator(DagsterDltTranslator):
    """Keys every raw table `raw/<provider>/<table>`, the key dbt sources point at."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        spec = super().get_asset_spec(data)
        provider = data.resource.source_name
        endpoint = adapter_for(provider).spec.endpoint(data.resource.name)
        dataset = adapter_for(provider).spec.dataset_name
        return spec.replace_attributes(
            key=raw_asset_key(provider, data.resource.name),
            deps=[],
            group_name=provider,
            kinds={"dlt", "http"},
            description=_description(adapter_for(provider).spec.name, endpoint),
            owners=[DATA_OWNER],
            freshness_policy=nightly_import_freshness(),
            # The table analysts query (dagster-dlt would name the destination, not the dataset).
            metadata={**spec.metadata, "dagster/table_name": f"{dataset}.{data.resource.name}"},
        ).merge_attributes(tags={"monitr/provider": provider, "monitr/layer": "raw"})


def _description(provider_name: str, endpoint: Any) -> str:
    loaded = {"incremental": f"incrementally on {endpoint.cursor}",
              "snapshot": "as a full list each import (rows gone at the source are deleted)",
              "deletions": "as the provider's log of deleted records",
              "versioned": "by comparing versions (only new and changed records are read)",
              "windowed": "in windows (new ones, and those that can still change, read again "
                          "whole: rows gone from a window read again are deleted)"}
    text = (f"{provider_name} `{endpoint.path}` -> one row per record, every entity in one "
            f"table; loaded {loaded[endpoint.mode.value]}.")
    if endpoint.description:
        text = f"{endpoint.description}\n\n{text}"
    if endpoint.optional:
        text += " Optional: a connection that may not read it skips it with a warning."
    return text


def _with_run_findings(result: Any, run: ImportRunContext) -> Any:
    """A table's materialization, saying so when the table was skipped (not readable)."""
    table = result.asset_key.path[-1]
    skipped = {**run.known_unreadable, **run.unreadable}.get(table)
    if skipped is None:
        return result
    return result._replace(metadata={**(result.metadata or {}), "monitr/skipped": skipped})


def provider_import_assets(adapter: ProviderAdapter) -> AssetsDefinition:
    spec = adapter.spec

    @dlt_assets(
        dlt_source=provider_source(adapter),
        dlt_pipeline=describing_pipeline(spec),
        name=f"{spec.slug}_import",
        dagster_dlt_translator=MonitrDltTranslator(),
        partitions_def=connection_partitions(spec.slug),
        # One pool per provider: its size is how many entities may call that API at once.
        pool=f"{spec.slug}_api",
    )
    def import_assets(context: AssetExecutionContext, dlt: DagsterDltResource,
                      monitr: MonitrResource) -> Iterator[Any]:
        if set(context.selected_output_names) != set(context.op_execution_context.op_def
                                                         .output_dict):
            # An entity's import is all of its tables: one table alone would record the entity
            # as imported (Succeeded) with the others stale.
            raise Failure(f"{spec.name}: an entity's import loads every table at once; select "
                          f"the whole {spec.slug}_import asset (all raw/{spec.slug} tables), "
                          "not some of them.")
        settings = monitr.settings()
        run_tags = context.run.tags
        record_worker(context.instance, context.run)
        entity_import = None
        import_run_id = None
        run = None
        try:
            entity_import = EntityImport.for_partition(settings, adapter, context.partition_key)
            connection_id = entity_import.connection.connection_id
            request_key = run_tags.get(REQUEST_KEY_TAG, f"run:{context.run.run_id}")
            trigger = run_tags.get(TRIGGER_TAG, "manual")
            # Waiting, and tied to this run (should it die while waiting, it is found and ended).
            import_run_id = entity_import.control.request_import(
                connection_id, request_key, trigger, dagster_run_id=context.run.run_id)
            waiter = f"{entity_import.entity}, Dagster run {context.run.run_id}"
            # One import per connection at a time (its dlt folder is its own), and with DuckDB one
            # writer at a time: a second import waits here, Waiting, rather than failing.
            with entity_import.control.import_lock(entity_import.connection, waiter), \
                    warehouse_lock(settings, waiter):
                entity_import.control.start_import(connection_id, request_key, trigger,
                                                   dagster_run_id=context.run.run_id)
                entity_import.ensure_importable()
                context.log.info(f"Importing {entity_import.entity}")
                run = entity_import.run_context(
                    confirm_deletions=run_tags.get(CONFIRM_DELETIONS_TAG) == "true")
                pipeline = entity_import.pipeline()
                # Counted before and after the load: a drop no deletion explains is flagged.
                rows_before = entity_import.count_rows()
                for result in dlt.run(context=context, dlt_source=entity_import.source(run),
                                      dlt_pipeline=pipeline, loader_file_format="parquet"):
                    yield _with_run_findings(result, run)
                rows = entity_import.finish(import_run_id, pipeline, run,
                                            dagster_run_id=context.run.run_id,
                                            rows_before=rows_before)
            for warning in run.warnings:
                context.log.warning(f"{entity_import.entity}: {warning}")
            context.log.info(f"{entity_import.entity}: {rows} rows changed")
        except Exception as exc:
            reason = entity_import.record_failure(exc) if entity_import else str(exc)
            if run is not None:
                entity_import.record_reads(run)
            if entity_import is not None and import_run_id is not None:
                entity_import.control.fail_import(import_run_id, reason)
            raise Failure(description=f"{spec.name} import failed: {reason}") from exc

    return import_assets
