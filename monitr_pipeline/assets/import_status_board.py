"""Import status at a glance in the Dagster UI: the `imports/status_board` asset lists every active
provider x entity with its latest import (Waiting, In Progress, Succeeded, Failed), its error and
its integration's health, in the warehouse (monitr.import_status) and in its materialisation's
metadata; a WARN check names the entities whose latest import failed."""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
    define_asset_job,
    in_process_executor,
)

from monitr_pipeline.assets.owners import DATA_OWNER
from monitr_pipeline.control.models import ImportStatus
from monitr_pipeline.import_status_table import (
    QUALIFIED_TABLE,
    ImportStatusRow,
    status_rows,
    write_import_status,
)
from monitr_pipeline.resources import MonitrResource

IMPORT_STATUS_BOARD = AssetKey(["imports", "status_board"])
NO_FAILED_IMPORTS = "no_failed_imports"
REFRESH_JOB = "refresh_import_status_board"
# Rows shown in the UI's table (the warehouse table has them all): a night of thousands of
# entities would make every materialisation event megabytes; what needs attention comes first.
UI_ROWS = 200
ERROR_CHARS = 500
_ATTENTION_ORDER = {ImportStatus.FAILED.value: 0, ImportStatus.IN_PROGRESS.value: 1,
                    ImportStatus.WAITING.value: 2, ImportStatus.SUCCEEDED.value: 3}


def _when(moment: datetime | None) -> str | None:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else None


def _short(text: str | None, chars: int = ERROR_CHARS) -> str | None:
    if not text:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else f"{flat[:chars - 1]}…"


def _by_attention(rows: Sequence[ImportStatusRow]) -> list[ImportStatusRow]:
    return sorted(rows, key=lambda r: (_ATTENTION_ORDER.get(r.status, 9), r.provider,
                                       r.organisation, r.entity_name))


_UI_COLUMNS = [("status", "string"), ("provider", "string"), ("organisation", "string"),
               ("entity", "string"), ("partition_key", "string"), ("integration_health", "string"),
               ("requested", "string"), ("started", "string"), ("finished", "string"),
               ("rows_loaded", "int"), ("error", "string")]


def status_table(rows: Sequence[ImportStatusRow]) -> MetadataValue:
    records = [TableRecord({
        "status": r.status, "provider": r.provider, "organisation": r.organisation,
        "entity": r.entity_name, "partition_key": r.partition_key,
        "integration_health": r.integration_health, "requested": _when(r.requested_at),
        "started": _when(r.started_at), "finished": _when(r.finished_at),
        "rows_loaded": r.rows_loaded, "error": _short(r.error),
    }) for r in _by_attention(rows)[:UI_ROWS]]
    schema = TableSchema(columns=[TableColumn(name, kind) for name, kind in _UI_COLUMNS])
    return MetadataValue.table(records=records, schema=schema)


def failed_imports_markdown(rows: Sequence[ImportStatusRow]) -> str:
    failed = [r for r in _by_attention(rows) if r.status == ImportStatus.FAILED.value]
    if not failed:
        return "No entity's latest import failed."
    lines = [f"- **{r.entity_name}** ({r.provider}, `{r.partition_key}`, finished "
             f"{_when(r.finished_at) or 'never'}): {_short(r.error) or 'no error recorded'}"
             for r in failed[:UI_ROWS]]
    if len(failed) > UI_ROWS:
        lines.append(f"- ... and {len(failed) - UI_ROWS} more (see {QUALIFIED_TABLE})")
    return "\n".join(lines)


def board_metadata(rows: Sequence[ImportStatusRow]) -> dict[str, object]:
    counts = Counter(r.status for r in rows)
    return {
        # Numbers per status: the UI plots them across materialisations.
        **{status.value.lower().replace(" ", "_"): counts.get(status.value, 0)
           for status in ImportStatus},
        "dagster/row_count": len(rows),
        "dagster/table_name": QUALIFIED_TABLE,
        "entities": status_table(rows),
        "failed_imports": MetadataValue.md(failed_imports_markdown(rows)),
    }


def failed_imports_check(rows: Sequence[ImportStatusRow]) -> AssetCheckResult:
    failed = [r for r in rows if r.status == ImportStatus.FAILED.value]
    return AssetCheckResult(
        check_name=NO_FAILED_IMPORTS, passed=not failed, severity=AssetCheckSeverity.WARN,
        description=f"{len(failed)} of {len(rows)} entities' latest import failed" if failed
        else f"no failed import among {len(rows)} entities",
        metadata={"failed": len(failed),
                  "failed_imports": MetadataValue.md(failed_imports_markdown(rows))})


@asset(
    key=IMPORT_STATUS_BOARD,
    group_name="imports",
    owners=[DATA_OWNER],
    kinds={"table"},
    description=f"Every active provider x entity with its latest import: Waiting, In Progress, "
                f"Succeeded or Failed (with the error), when it was requested, started and "
                f"finished, rows loaded, and its integration's health. Written to "
                f"{QUALIFIED_TABLE} in the warehouse; the latest materialisation's metadata shows "
                f"the list (what needs attention first) and counts per status. Refreshed by the "
                f"import_status_board_refresh sensor when statuses change.",
    check_specs=[AssetCheckSpec(NO_FAILED_IMPORTS, asset=IMPORT_STATUS_BOARD,
                                description="Warns when an entity's latest import failed, naming "
                                            "the entities and their errors.")],
)
def import_status_board(context: AssetExecutionContext, monitr: MonitrResource
                        ) -> MaterializeResult:
    settings = monitr.settings()
    rows = status_rows(monitr.control_plane().import_statuses(), datetime.now(UTC))
    write_import_status(settings, rows, f"import status board, Dagster run {context.run.run_id}")
    return MaterializeResult(metadata=board_metadata(rows), check_results=[failed_imports_check(rows)])


refresh_import_status_board = define_asset_job(
    name=REFRESH_JOB,
    selection=[IMPORT_STATUS_BOARD],
    description="Rewrite the import status board (monitr.import_status and the asset's metadata).",
    # Seconds of work: a step subprocess would only add its start-up.
    executor_def=in_process_executor,
)
