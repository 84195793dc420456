"""The upload folder: one sub-folder per administration holding `<table>*.csv` files, read and
validated as a whole before anything of it is loaded.

    <upload folder>/                      the integration's base_url (a path or file:// URL)
        Installatiebedrijf Smit B.V./     one administration = one entity connection
            accounts.csv
            gl_lines_2025.csv             any number of files per table, read in name order
            gl_lines_2026.csv
            projects.csv, project_hours*.csv, project_costs*.csv
            Journaalposten 2024.csv       another name: its header says which table (recognise.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from monitr_pipeline.providers.csv_import.problems import CsvImportError, Problem
from monitr_pipeline.providers.csv_import.reader import ParsedFile, read_file
from monitr_pipeline.providers.csv_import.recognise import by_header, by_name
from monitr_pipeline.providers.csv_import.rules import coded_rows, gl_rows, project_rows
from monitr_pipeline.providers.csv_import.templates import TEMPLATES

_WORKBOOKS = (".xlsx", ".xls", ".xlsm", ".ods")


def folder_path(location: str) -> Path:
    """The folder an integration's base_url names: a plain absolute path or a file:// URL."""
    if location.startswith("file:"):
        location = unquote(urlparse(location).path)
    path = Path(location)
    if not path.is_absolute():
        raise ValueError(f"the upload folder must be an absolute path, not {location!r}")
    return path


def administration_folder(upload_folder: Path, administration: str) -> Path:
    # The administration is a folder name, never a path: no way out of the upload folder.
    if administration in ("", ".", "..") or "/" in administration or "\\" in administration:
        raise ValueError(f"{administration!r} is not an administration folder name")
    return upload_folder / administration


def _ignored(path: Path) -> bool:
    # Hidden files, Excel's ~$ lock files and half-written uploads are not data.
    return path.name.startswith((".", "~$")) or path.suffix.lower() in (".tmp", ".part")


def administrations(upload_folder: Path) -> list[str]:
    if not upload_folder.is_dir():
        raise FileNotFoundError(f"upload folder {upload_folder} does not exist")
    return sorted(p.name for p in upload_folder.iterdir() if p.is_dir() and not _ignored(p))


def _codes(files: list[ParsedFile]) -> set[str] | None:
    """The codes references are checked against, or None when there are no files or one could not
    be read: that is said once about those files, where a check against a partial list would
    blame every referring line (a rejected row's code still counts: the row is blamed itself)."""
    if not files or not all(parsed.rows_read for parsed in files):
        return None
    return {row.values["code"] for parsed in files for row in parsed.rows
            if row.values.get("code") is not None}


@dataclass
class LoadedAdministration:
    """Every table's records of one administration, validated together."""

    name: str
    records: dict[str, list[dict[str, Any]]]


def load_administration(upload_folder: Path, administration: str) -> LoadedAdministration:
    """Read and check every file of the administration; any problem rejects the whole upload
    (CsvImportError), so no file is half-loaded and SNAPSHOT never deletes rows of a file that
    was merely unreadable this time."""
    folder = administration_folder(upload_folder, administration)
    if not folder.is_dir():
        raise CsvImportError([Problem(administration, None, None,
                                      f"no such administration folder in {upload_folder}")])
    files: dict[str, list[ParsedFile]] = {table: [] for table in TEMPLATES}
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not _ignored(p)):
        name = f"{administration}/{path.name}"
        suffix = path.suffix.lower()
        if suffix in _WORKBOOKS:
            problems.append(Problem(name, None, None, "a spreadsheet workbook; save it as CSV"))
            continue
        if suffix != ".csv":
            continue
        template = by_name(path.name) or by_header(path)
        if isinstance(template, str):
            problems.append(Problem(name, None, None, template))
            continue
        parsed = read_file(path, name, template)
        problems += parsed.problems
        files[template.table].append(parsed)

    accounts = coded_rows(administration, files["accounts"], "account")
    projects = coded_rows(administration, files["projects"], "project")
    account_codes, project_codes = _codes(files["accounts"]), _codes(files["projects"])
    tables = {
        "accounts": accounts,
        "projects": projects,
        "gl_lines": gl_rows(administration, files["gl_lines"], account_codes),
        "project_hours": project_rows(administration, files["project_hours"], project_codes,
                                      "hours row", hours=True),
        "project_costs": project_rows(administration, files["project_costs"], project_codes,
                                      "project cost", hours=False),
    }
    # One problem per missing file (its references are then left unchecked, see _codes).
    for needs, referring in (("accounts", ("gl_lines",)),
                             ("projects", ("project_hours", "project_costs"))):
        tables_referring = [table for table in referring if files[table]]
        if tables_referring and not files[needs]:
            problems.append(Problem(f"{administration}/{needs}*.csv", None, None,
                                    f"missing: {' and '.join(tables_referring)} files need the "
                                    f"{needs} they refer to"))
    for rows in tables.values():
        problems += rows.problems
    if problems:
        raise CsvImportError(problems)
    return LoadedAdministration(administration, {t: rows.records for t, rows in tables.items()})
