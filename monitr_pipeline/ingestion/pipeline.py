"""dlt pipelines and destinations: one pipeline per provider x entity, all sharing the provider dataset."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import dlt
from dlt.common.destination import Destination
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.destinations.impl.postgres.configuration import PostgresCredentials

from monitr_pipeline.providers.spec import ProviderSpec
from monitr_pipeline.settings import Settings


def destination(settings: Settings) -> Destination:
    if settings.warehouse_url:
        credentials = PostgresCredentials(settings.warehouse_url)
        # dlt insists on a password; servers with trust or peer auth (local, CI) have none.
        credentials.password = credentials.password or ""
        credentials.resolve()
        return dlt.destinations.postgres(credentials=credentials)
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    credentials = DuckDbCredentials(str(settings.duckdb_path))
    # The load step's merge runs inside the importing process: without a limit DuckDB keeps the
    # whole load in memory (peak RSS grew ~1.7 KB per GL line); with one it spills to disk and
    # an import of a million lines needs no more memory than one of a hundred thousand (128MB:
    # 458 vs 490 MB peak at 100k vs 1M lines; 256MB gave 505 vs 620, bench/README.md). Rows
    # need not keep their file order in a raw table, and keeping it makes DuckDB buffer them.
    credentials.global_config = {"memory_limit": settings.duckdb_memory_limit,
                                 "preserve_insertion_order": False}
    return dlt.destinations.duckdb(credentials=credentials)


def pipeline_name(spec: ProviderSpec, partition_key: str) -> str:
    # Own name per partition: dagster-dlt drops local state before each run, so partitions that
    # shared a name (and working dir) could delete each other's in-flight packages.
    return f"{spec.slug}__{re.sub(r'[^a-zA-Z0-9_]+', '_', partition_key)}"


def _configure_dlt() -> None:
    # Pages arrive as Arrow tables, small change sets (tombstones, deletion logs) as dicts; both
    # must carry dlt's load id and row id, or one breaks the other's NOT NULL columns. The load id
    # also lets analysts see which import wrote a row.
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    dlt.config["normalize.parquet_normalizer.add_dlt_id"] = True
    # Endpoints are read one after another in the spec's order, not interleaved page by page: a
    # deletion log (listed last) is then read after the tables it deletes from, so a record
    # deleted while those were being paged through is deleted by the same import.
    dlt.config["extract.next_item_mode"] = "fifo"


def entity_pipeline(settings: Settings, spec: ProviderSpec, partition_key: str) -> dlt.Pipeline:
    _configure_dlt()
    name = pipeline_name(spec, partition_key)
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(settings.dlt_pipelines_dir / name),
        destination=destination(settings),
        dataset_name=spec.dataset_name,
    )


def describing_pipeline(spec: ProviderSpec) -> dlt.Pipeline:
    """A pipeline that is never run: Dagster only reads names and the destination type from it."""
    name = f"{spec.slug}__asset_specs"
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(Path(tempfile.gettempdir()) / "monitr_dlt_specs" / name),
        destination=dlt.destinations.duckdb(str(Path(tempfile.gettempdir()) / "monitr_dlt_specs.duckdb")),
        dataset_name=spec.dataset_name,
    )
