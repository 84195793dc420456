"""What is wrong with an upload: one Problem per bad cell, row, entry or file, and the error naming them."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_pipeline.ingestion.source import ImportDataError

# An upload with hundreds of bad rows is usually one systematic mistake; the first few say which.
MAX_LISTED = 10


@dataclass(frozen=True)
class Problem:
    """`file` is relative to the upload folder (`<administration>/<file>`); line 1 is the first
    physical line of the file; `field` is the template field (None for a whole-file problem), or
    fields joined by '/' when a problem is about them together ('debit/credit'); `columns` are
    those fields' headers as the file writes them (empty where the file has no such column).

    Users know their file, not the template, so both are named: `field 'date' (column 'Datum')`."""

    file: str
    line: int | None
    field: str | None
    reason: str
    columns: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        """`field 'date' (column 'Datum')`, `fields 'debit'/'credit' (columns 'Debet'/'Credit')`."""
        if not self.field:
            return ""
        names = self.field.split("/")
        text = ("field " if len(names) == 1 else "fields ") + "/".join(repr(n) for n in names)
        if self.columns:
            text += ((" (column " if len(self.columns) == 1 else " (columns ")
                     + "/".join(repr(c) for c in self.columns) + ")")
        return text

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        if not self.field:
            return f"{where}: {self.reason}"
        return f"{where}, {self.subject}: {self.reason}"


class CsvImportError(ImportDataError):
    """Uploaded files were rejected; nothing of this import was loaded (earlier data is untouched)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        listed = "; ".join(str(p) for p in self.problems[:MAX_LISTED])
        more = len(self.problems) - MAX_LISTED
        super().__init__(
            f"rejected {len(files)} uploaded file(s) ({', '.join(files)}); nothing was imported, "
            f"earlier data is unchanged. {len(self.problems)} problem(s): {listed}"
            + (f"; and {more} more" if more > 0 else ""))


class CellError(ValueError):
    """A cell that cannot be read as its field's type; the message is the reason."""
