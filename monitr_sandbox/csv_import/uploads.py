"""CsvUploads: the sandbox's upload folder, written from deterministic ledgers, and its test controls.

One NL and one BE administration, each a folder of exports as a bookkeeper would upload them:
the NL one a Dutch package's `;`/decimal-comma/UTF-8-with-BOM files split per fiscal year, the BE
one a single Windows-1252 `,`/decimal-point file set with French headers. `advance_to_day(k)`
replays the ledger's bookkeeping days (new entries, a corrected line, a deleted entry) and the
project book's, then rewrites the files, as a new export would.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from monitr_sandbox.csv_import.formats import BELGIAN_WINDOWS, DUTCH_EXCEL, ExportFormat
from monitr_sandbox.csv_import.layouts import Layout, dutch_layout, french_layout
from monitr_sandbox.csv_import.projectbook import ProjectBook
from monitr_sandbox.ledger import AdministrationProfile, Ledger, apply_day, generate_ledger
from monitr_sandbox.state import SandboxState


@dataclass(frozen=True)
class UploadProfile:
    """An administration folder: its ledger profile, export format and layout, and file split."""

    profile: AdministrationProfile
    format: ExportFormat
    layout: Callable[[Ledger], Layout]
    gl_file_per_year: bool

    @property
    def folder_name(self) -> str:
        return self.profile.name


UPLOAD_PROFILES = (
    UploadProfile(AdministrationProfile("CSV-NL-01", "Installatiebedrijf Smit BV", "NL",
                                        seed=310_001, avg_sales_amount=3100),
                  DUTCH_EXCEL, dutch_layout, gl_file_per_year=True),
    UploadProfile(AdministrationProfile("CSV-BE-01", "Schrijnwerkerij Peeters BV", "BE",
                                        seed=320_001, monthly_wages=9000),
                  BELGIAN_WINDOWS, french_layout, gl_file_per_year=False),
)


class _UploadedAdministration:
    def __init__(self, upload: UploadProfile):
        self.upload = upload
        self.ledger = generate_ledger(upload.profile)
        self.project_book = ProjectBook(self.ledger)

    def apply_day(self, day: int) -> None:
        apply_day(self.ledger, day)
        self.project_book.apply_day(day)

    def files(self) -> dict[str, bytes]:
        """File name -> bytes of this administration's current export."""
        fmt, layout, ledger = self.upload.format, self.upload.layout(self.ledger), self.ledger
        today = ledger.profile.last_booking_date
        tables = {
            "accounts": ledger.accounts,
            "projects": [(p, p.active_on(today)) for p in ledger.projects],
            "project_hours": sorted(self.project_book.hours.values(), key=lambda h: (h.date, h.id)),
            "project_costs": sorted(self.project_book.costs.values(), key=lambda c: (c.date, c.id)),
        }
        files = {f"{table}.csv": fmt.encode(layout.header(table),
                                            (layout.row(table, fmt, r) for r in records))
                 for table, records in tables.items()}
        lines = list(ledger.lines())
        years = sorted({entry.fiscal_year for entry, _ in lines})
        split = ({f"gl_lines_{y}.csv": [r for r in lines if r[0].fiscal_year == y] for y in years}
                 if self.upload.gl_file_per_year else {"gl_lines.csv": lines})
        for name, records in split.items():
            files[name] = fmt.encode(layout.header("gl_lines"),
                                     (layout.row("gl_lines", fmt, r) for r in records))
        return files


class CsvUploads:
    """The upload folder and what is in it. Public methods take `lock` (tests may call them while
    an import reads the folder)."""

    def __init__(self, folder: Path, state_path: Path | None = None, day: int = 0,
                 profiles: tuple[UploadProfile, ...] = UPLOAD_PROFILES):
        self.folder = Path(folder)
        self.lock = threading.RLock()
        # (operation, path, detail) of every file written or removed, for tests.
        self.request_log: list[tuple[str, str, str]] = []
        self._state = SandboxState(state_path)
        self._administrations = {p.folder_name: _UploadedAdministration(p) for p in profiles}
        # Replay to the later of the requested and the stored day: a restart never goes back.
        target, stored = max(day, self._state.day), 0
        self._state.day = stored
        self.advance_to_day(target)

    @property
    def day(self) -> int:
        return self._state.day

    @property
    def administrations(self) -> list[str]:
        return list(self._administrations)

    def administration_folder(self, administration: str) -> Path:
        return self.folder / administration

    def ledger(self, administration: str) -> Ledger:
        return self._administrations[administration].ledger

    def project_book(self, administration: str) -> ProjectBook:
        return self._administrations[administration].project_book

    def advance_to_day(self, day: int) -> None:
        """Apply bookkeeping days up to `day` and rewrite the exports (a day reached changes nothing)."""
        with self.lock:
            if day < self._state.day:
                raise ValueError(f"the sandbox is at day {self._state.day}; it cannot go back to {day}")
            for next_day in range(self._state.day + 1, day + 1):
                for administration in self._administrations.values():
                    administration.apply_day(next_day)
                self._state.day = next_day
            self._state.save()
            self.rewrite()

    def rewrite(self) -> None:
        """Write every administration's current export; files the sandbox did not write (test
        uploads) are removed, so this also undoes any test's tampering."""
        with self.lock:
            for name, administration in self._administrations.items():
                folder = self.administration_folder(name)
                folder.mkdir(parents=True, exist_ok=True)
                files = administration.files()
                for stale in sorted(p for p in folder.iterdir() if p.is_file() and p.name not in files):
                    self.remove_file(name, stale.name)
                for file_name, data in files.items():
                    self.write_file(name, file_name, data)

    # --- test controls: what a user does to the folder ------------------------------------------------
    def write_file(self, administration: str, file_name: str, data: bytes) -> Path:
        """Upload a file; unchanged content is not rewritten. Written atomically, so an import
        never sees half a file."""
        with self.lock:
            path = self.administration_folder(administration) / file_name
            if path.exists() and path.read_bytes() == data:
                return path
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
            self.request_log.append(("WRITE", str(path), f"{len(data)} bytes"))
            return path

    def remove_file(self, administration: str, file_name: str) -> None:
        with self.lock:
            path = self.administration_folder(administration) / file_name
            if path.is_dir():
                raise IsADirectoryError(path)
            path.unlink(missing_ok=True)
            self.request_log.append(("DELETE", str(path), ""))

    def read_text(self, administration: str, file_name: str) -> str:
        upload = self._administrations[administration].upload
        return (self.administration_folder(administration) / file_name).read_bytes().decode(
            upload.format.encoding)

    def replace_in_file(self, administration: str, file_name: str, old: str, new: str,
                        count: int = 1) -> None:
        """Edit an uploaded file as text in its own encoding (e.g. to break or fix one cell)."""
        with self.lock:
            text = self.read_text(administration, file_name)
            if old not in text:
                raise ValueError(f"{old!r} is not in {administration}/{file_name}")
            encoding = self._administrations[administration].upload.format.encoding
            self.write_file(administration, file_name, text.replace(old, new, count).encode(encoding))
