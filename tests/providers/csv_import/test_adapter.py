"""The adapter: folders instead of URLs, no credentials, pages from the files, discovery of
administrations, and SNAPSHOT loads through the generic engine (dlt into DuckDB, no Dagster)."""

from decimal import Decimal
from pathlib import Path

import dlt
import duckdb
import pytest
import requests

from monitr_pipeline.entity_import import root_cause
from monitr_pipeline.ingestion.client import entity_client
from monitr_pipeline.ingestion.run_context import (
    DeletionGuard,
    DeletionsRefused,
    EntityContext,
    ImportDataError,
    ImportRunContext,
)
from monitr_pipeline.ingestion.source import EndpointReader, provider_source
from monitr_pipeline.providers.csv_import import ADAPTER
from monitr_pipeline.providers.csv_import.problems import CsvImportError
from monitr_pipeline.providers.registry import adapter_for

GL = ("Dagboek;Boekstuk;Regel;Datum;Grootboekrekening;Omschrijving;Bedrag\r\n"
      "70;1;1;05-01-2026;1300;Factuur;121,00\r\n"
      "70;1;2;05-01-2026;8000;Omzet;-100,00\r\n"
      "70;1;3;05-01-2026;1500;Btw;-21,00\r\n")
MEMO = ("Dagboek;Boekstuk;Regel;Datum;Grootboekrekening;Omschrijving;Bedrag\r\n"
        "90;2;1;31-01-2026;4000;Memo;5,00\r\n"
        "90;2;2;31-01-2026;1100;Memo;-5,00\r\n")


def test_registered_with_file_upload_auth_and_snapshot_tables():
    assert adapter_for("csv_import") is ADAPTER
    assert ADAPTER.spec.auth_kind == "file_upload"
    assert ADAPTER.spec.tables == ("gl_lines", "accounts", "projects", "project_hours",
                                   "project_costs")
    assert {e.mode.value for e in ADAPTER.spec.endpoints} == {"snapshot"}


def test_the_upload_folder_is_the_base_url(tmp_path):
    assert ADAPTER.base_url(None, str(tmp_path)) == str(tmp_path)
    assert ADAPTER.base_url("default", f"file://{tmp_path}/") == str(tmp_path)
    with pytest.raises(ValueError, match="needs its upload folder"):
        ADAPTER.base_url("default", None)
    with pytest.raises(ValueError, match="absolute path"):
        ADAPTER.base_url(None, "uploads/here")
    assert ADAPTER.tenant_base_url(str(tmp_path), "Adm BV") == str(tmp_path / "Adm BV")
    for escape in ("..", "../other", "a/b", ""):
        with pytest.raises(ValueError, match="not an administration folder name"):
            ADAPTER.tenant_base_url(str(tmp_path), escape)


def test_no_credentials_are_sent_anywhere():
    auth = ADAPTER.credentials_auth({"upload_method": "folder"}, "/uploads")
    request = requests.Request("GET", "http://example.invalid/").prepare()
    assert auth(request) is request and "Authorization" not in request.headers


def test_discover_lists_administration_folders(upload):
    upload.write("accounts.csv", "code;name\r\n1;x\r\n", administration="Bakkerij BV")
    upload.write("accounts.csv", "code;name\r\n1;x\r\n", administration="Brasserie BV")
    (upload.folder / ".trash").mkdir()
    (upload.folder / "readme.txt").write_text("not an administration")
    found = ADAPTER.discover(requests.Session(), str(upload.folder))
    assert [(a.external_id, a.name) for a in found] == [("Bakkerij BV", "Bakkerij BV"),
                                                        ("Brasserie BV", "Brasserie BV")]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ADAPTER.discover(requests.Session(), str(upload.folder / "missing"))


ENTITY = EntityContext(organisation_id=1, entity_id=7, external_id="Adm", partition_key="t-adm",
                       entity_name="Adm")


def _client(folder: Path):
    # The entity's client is its folder: no credentials, no HTTP.
    return entity_client(ADAPTER, str(folder), "Adm", store=None)


def _pages(run: ImportRunContext, folder: Path, endpoint):
    """Raw pages of one table within one import (`run`)."""
    return EndpointReader(ADAPTER, _client(folder), run, endpoint).declared_pages()


def test_pages_read_the_folder_once_per_import(with_accounts):
    with_accounts.write("gl_lines.csv", GL)
    run = ImportRunContext(ENTITY)
    endpoint = ADAPTER.spec.endpoint("gl_lines")
    [page] = _pages(run, with_accounts.folder, endpoint)
    assert [r["id"] for r in page] == ["2026/70/1/1", "2026/70/1/2", "2026/70/1/3"]
    # A file changing mid-import is seen by the next import, not half-way through this one.
    (with_accounts.folder / "Adm" / "gl_lines.csv").write_text("garbage")
    assert len(next(_pages(run, with_accounts.folder, ADAPTER.spec.endpoint("accounts")))) == 5
    with pytest.raises(CsvImportError):
        list(_pages(ImportRunContext(ENTITY), with_accounts.folder, endpoint))


@pytest.fixture
def load(tmp_path):
    """Import the folder once per call, the way an import job does: new client, same pipeline."""
    pipeline = dlt.pipeline(pipeline_name="csv_import_test", pipelines_dir=str(tmp_path / "dlt"),
                            destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
                            dataset_name="raw_csv_import")

    def run(folder: Path, confirm_deletions: bool = False) -> None:
        run = ImportRunContext(ENTITY, deletion_guard=DeletionGuard(confirmed=confirm_deletions))
        pipeline.run(provider_source(ADAPTER, run, _client(folder)), loader_file_format="parquet")

    def lines() -> dict[str, Decimal]:
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as db:
            return dict(db.execute("select id, amount from raw_csv_import.gl_lines").fetchall())

    run.lines = lines
    return run


def test_snapshot_updates_deletes_rejects_and_recovers(with_accounts, load):
    folder = with_accounts.folder
    with_accounts.write("gl_lines_january.csv", GL)
    with_accounts.write("gl_lines_memo.csv", MEMO)
    load(folder)
    assert len(load.lines()) == 5 and sum(load.lines().values()) == 0

    # A corrected file: its changed lines are updated in place.
    with_accounts.write("gl_lines_january.csv", GL.replace("121,00", "242,00")
                        .replace("-100,00", "-221,00"))
    load(folder)
    assert load.lines()["2026/70/1/1"] == Decimal("242.00")

    # A rejected file stops the import: nothing changes, not even the other file's rows.
    with_accounts.write("gl_lines_memo.csv", MEMO.replace("-5,00", "-5,0O"))
    with_accounts.write("gl_lines_january.csv", GL)
    before = load.lines()
    with pytest.raises(Exception) as raised:
        load(folder)
    assert isinstance(root_cause(raised.value), ImportDataError)
    assert "Adm/gl_lines_memo.csv line 3, field 'amount'" in str(root_cause(raised.value))
    assert load.lines() == before

    # The corrected file then loads; a removed file's lines are deleted once that is confirmed
    # (unconfirmed, a file that loses every row looks like a failed export: refused).
    with_accounts.write("gl_lines_memo.csv", MEMO)
    load(folder)
    assert load.lines()["2026/70/1/1"] == Decimal("121.00") and len(load.lines()) == 5
    (folder / "Adm" / "gl_lines_memo.csv").unlink()
    before = load.lines()
    with pytest.raises(Exception) as raised:
        load(folder)
    assert isinstance(root_cause(raised.value), DeletionsRefused)
    assert "2 of the 2 rows from gl_lines_memo.csv" in str(root_cause(raised.value))
    assert load.lines() == before
    load(folder, confirm_deletions=True)
    assert set(load.lines()) == {"2026/70/1/1", "2026/70/1/2", "2026/70/1/3"}

