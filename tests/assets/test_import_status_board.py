"""The import status board: after real imports (one succeeded, one failed, one requested and not
started), its job writes every active connection's status to monitr.import_status and shows the
list, the errors and counts per status in the UI's metadata, with a WARN check on failures."""

import re
import unicodedata

import pytest
from dagster import AssetCheckKey

from monitr_pipeline.assets.import_status_board import IMPORT_STATUS_BOARD, NO_FAILED_IMPORTS
from monitr_pipeline.definitions import defs
from monitr_pipeline.import_status_table import COLUMNS, QUALIFIED_TABLE
from monitr_pipeline.runner import refresh_status_board, run_import
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("exact_online", "moneybird")  # the sandbox world this module needs


@pytest.fixture(scope="module")
def imports(world):
    """Exact NL's consent revoked (its import fails), Exact BE imported, a Moneybird entity
    requested by a nightly tick whose run has not started; then the board refreshed."""
    exact = {c.environment: c for c in world.connections("exact_online")}
    world.sandbox.emulators[("exact_online", "nl")].revoke_all_tokens()
    failed = run_import(defs, world.instance, world.control, exact["nl"])
    succeeded = run_import(defs, world.instance, world.control, exact["be"])
    assert (failed.success, succeeded.success) == (False, True)
    waiting = world.connections("moneybird")[0]
    world.control.request_import(waiting.connection_id, "nightly:test", "schedule")
    assert refresh_status_board(world.instance)
    return {"failed": exact["nl"], "succeeded": exact["be"], "waiting": waiting}


def _board(settings):
    return {row["partition_key"]: row for row in (
        dict(zip(COLUMNS, values, strict=True))
        for values in query(settings, f"select {', '.join(COLUMNS)} from {QUALIFIED_TABLE}"))}


def test_board_lists_every_active_connection_with_its_status(world, imports):
    board = _board(world.settings)
    assert set(board) == {c.partition_key for c in world.control.connections()}
    failed = board[imports["failed"].partition_key]
    assert failed["status"] == "Failed"
    assert "reconnect" in failed["error"] and failed["finished_at"] is not None
    assert failed["integration_health"] == "token_expired"
    succeeded = board[imports["succeeded"].partition_key]
    assert succeeded["status"] == "Succeeded" and succeeded["rows_loaded"] > 0
    assert succeeded["error"] is None
    assert succeeded["requested_at"] <= succeeded["started_at"] <= succeeded["finished_at"]
    waiting = board[imports["waiting"].partition_key]
    assert (waiting["status"], waiting["trigger"]) == ("Waiting", "schedule")
    assert waiting["requested_at"] is not None and waiting["started_at"] is None
    assert (waiting["provider"], waiting["entity_name"]) == ("moneybird",
                                                             imports["waiting"].entity_name)


def test_board_metadata_shows_the_list_errors_and_counts(world, imports):
    event = world.instance.get_latest_materialization_event(IMPORT_STATUS_BOARD)
    metadata = event.asset_materialization.metadata
    statuses = [s.status for s in world.control.import_statuses()]
    assert metadata["failed"].value == statuses.count("Failed") >= 1
    assert metadata["succeeded"].value == statuses.count("Succeeded") >= 1
    assert metadata["waiting"].value == statuses.count("Waiting") >= 1
    assert metadata["dagster/row_count"].value == len(statuses)
    records = metadata["entities"].value.records
    assert records[0].data["status"] == "Failed"  # what needs attention first
    by_key = {r.data["partition_key"]: r.data for r in records}
    failed = imports["failed"]
    assert by_key[failed.partition_key]["entity"] == failed.entity_name
    assert "reconnect" in by_key[failed.partition_key]["error"]
    markdown = metadata["failed_imports"].value
    assert failed.entity_name in markdown and "reconnect" in markdown
    assert imports["succeeded"].entity_name not in markdown


def test_failed_imports_warn_on_the_board(world, imports):
    [check] = world.instance.event_log_storage.get_asset_check_execution_history(
        AssetCheckKey(IMPORT_STATUS_BOARD, NO_FAILED_IMPORTS), limit=1)
    evaluation = check.event.dagster_event.event_specific_data
    assert (evaluation.passed, evaluation.severity.value) == (False, "WARN")
    assert imports["failed"].entity_name in evaluation.metadata["failed_imports"].value


def test_partition_keys_name_the_entity(world, imports):
    for connection in world.control.connections():
        name = unicodedata.normalize("NFKD", connection.entity_name).encode("ascii", "ignore")
        first_word = re.findall(r"[a-z0-9]+", name.decode().lower())[0]
        assert first_word in connection.partition_key
        assert connection.partition_key.startswith(f"{connection.organisation_slug}-")
        external_id = re.sub(r"[^a-z0-9_-]+", "-", connection.external_id.lower())
        assert connection.partition_key.endswith(f"-{external_id}")
