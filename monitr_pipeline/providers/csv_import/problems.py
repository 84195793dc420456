"""What is wrong with an upload: one Problem per bad cell, row, entry or file, and the error naming them."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_pipeline.ingestion.source import ImportDataError

# An upload with hundreds of bad rows is usually one systematic mistake; the first few say which.
MAX_LISTED = 10


@dataclass(frozen=True)
class Problem:
    """`file` is relative to the upload folder (`<administration>/<file>`); line 1 is the first
    physical line of the file; `field` is the template field (None for a whole-file problem)."""

    file: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        return f"{where}, field {self.field!r}: {self.reason}" if self.field else f"{where}: {self.reason}"


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
