"""The sandbox upload folder: deterministic NL/BE exports of the ledgers, day-k rewrites, restarts."""

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from monitr_pipeline.providers.csv_import.upload import load_administration
from monitr_sandbox.csv_import import SANDBOX, CsvUploads

NL, BE = "Installatiebedrijf Smit BV", "Schrijnwerkerij Peeters BV"


@pytest.fixture
def uploads(tmp_path):
    return CsvUploads(tmp_path / "uploads", state_path=tmp_path / "state.json")


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_one_nl_and_one_be_administration_in_their_own_dialects(uploads):
    assert uploads.administrations == [NL, BE]
    nl = uploads.administration_folder(NL)
    assert sorted(p.name for p in nl.iterdir()) == [
        "accounts.csv", "gl_lines_2025.csv", "gl_lines_2026.csv", "project_costs.csv",
        "project_hours.csv", "projects.csv"]
    gl = (nl / "gl_lines_2026.csv").read_bytes()
    assert gl.startswith(codecs.BOM_UTF8) and b";" in gl.splitlines()[0] and b"\r\n" in gl
    be = (uploads.administration_folder(BE) / "gl_lines.csv").read_bytes()
    assert not be.startswith(codecs.BOM_UTF8)
    header = be.splitlines()[0]
    assert header.decode("cp1252").startswith("Journal,N° pièce,Date,Compte")
    with pytest.raises(UnicodeDecodeError):
        header.decode("utf-8")  # really Windows-1252, not UTF-8


def test_every_export_loads_and_matches_its_ledger(uploads):
    for name in uploads.administrations:
        ledger, book = uploads.ledger(name), uploads.project_book(name)
        records = load_administration(uploads.folder, name).records
        lines = records["gl_lines"]
        assert len(lines) == sum(len(e.lines) for e in ledger.entries.values()) > 3000
        assert sum(r["amount"] for r in lines) == Decimal(0)
        by_entry = {}
        for r in lines:
            by_entry[r["entry_number"]] = by_entry.get(r["entry_number"], 0) + r["amount"]
        assert by_entry == {str(n): Decimal(0) for n in ledger.entries}
        assert {r["entry_type"] for r in lines} == {e.entry_type for e in ledger.entries.values()}
        assert len(records["accounts"]) == len(ledger.accounts)
        assert len(records["projects"]) == len(ledger.projects)
        assert len(records["project_hours"]) == len(book.hours) > 100
        assert sum(r["amount"] for r in records["project_costs"]) == sum(
            c.amount for c in book.costs.values())


def test_exports_are_deterministic(tmp_path, uploads):
    again = CsvUploads(tmp_path / "again")
    assert _files(again.folder) == _files(uploads.folder)


def test_day_k_rewrites_the_files_with_the_days_changes(uploads):
    before = {r["id"]: r for r in load_administration(uploads.folder, NL).records["gl_lines"]}
    logged = len(uploads.request_log)
    uploads.advance_to_day(1)
    after = {r["id"]: r for r in load_administration(uploads.folder, NL).records["gl_lines"]}
    assert set(before) - set(after) and set(after) - set(before)
    changed = [k for k in set(before) & set(after)
               if before[k]["description"] != after[k]["description"]]
    assert len(changed) == 1 and "gecorrigeerd dag 1" in after[changed[0]]["description"]
    # Only the files the day changed are rewritten (the 2025 export is untouched).
    written = {Path(path).name for operation, path, _ in uploads.request_log[logged:]
               if operation == "WRITE" and Path(path).parent.name == NL}
    assert written == {"gl_lines_2026.csv", "project_hours.csv", "project_costs.csv"}
    with pytest.raises(ValueError, match="cannot go back"):
        uploads.advance_to_day(0)


def test_a_restart_replays_to_the_stored_day(tmp_path, uploads):
    uploads.advance_to_day(2)
    files = _files(uploads.folder)
    restarted = CsvUploads(uploads.folder, state_path=tmp_path / "state.json", day=0)
    assert restarted.day == 2 and _files(restarted.folder) == files


def test_rewrite_undoes_a_tests_changes(uploads):
    original = _files(uploads.folder)
    uploads.replace_in_file(NL, "accounts.csv", "Bank", "Bank ING")
    uploads.remove_file(NL, "projects.csv")
    uploads.write_file(BE, "gl_lines_extra.csv", b"stray")
    assert _files(uploads.folder) != original
    uploads.rewrite()
    assert _files(uploads.folder) == original


def test_sandbox_provider_has_no_server_and_connects_a_file_upload(tmp_path, control):
    uploads = SANDBOX.create_emulator("default", tmp_path / "sandbox" / "csv_import_default.json",
                                      day=0, relaxed_limits=True)
    assert SANDBOX.wsgi_app(uploads) is None
    assert SANDBOX.location(uploads) == str(tmp_path / "sandbox" / "csv_import_uploads")
    organisation_id = control.ensure_organisation("t", "T")
    # A file upload is never an organisation's first integration: a platform is connected first.
    control.create_integration(organisation_id, "exact_online", "Exact Online NL", "oauth2",
                               credentials={"token": {"access_token": "x"}}, environment="nl")
    integration_id = SANDBOX.connect(control, organisation_id, "default",
                                     SANDBOX.location(uploads), uploads)
    integration = control.integration(integration_id)
    assert integration.auth_kind.value == "file_upload" and integration.status.value == "connected"
    assert integration.base_url == str(uploads.folder)
