"""Which table an uploaded file holds: the one its name starts with, else the one its header names.

Packages export under their own names (`Journaalposten 2025.csv`, `export.csv`); a header with
Datum, Rekening, Boekstuk and Debet/Credit columns says GL lines as plainly as a `gl_lines` prefix.
A header decides when exactly one template's required columns are all there, or when one such
template names more of the columns than any other (a GL export also has the code and description
columns of an accounts file, and often the project, date and amount of a project cost).
"""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.providers.csv_import.dialect import DialectError, decode, detect, first_row
from monitr_pipeline.providers.csv_import.templates import TEMPLATES, Template


def by_name(file_name: str) -> Template | None:
    # Longest prefix first, should a table's name ever start with another's.
    lowered = file_name.lower()
    for template in sorted(TEMPLATES.values(), key=lambda t: -len(t.file_prefix)):
        if lowered.startswith(template.file_prefix):
            return template
    return None


def by_header(path: Path) -> Template | str:
    """The template the file's header names best, or why the header cannot decide and what to
    rename the file to (with the columns seen, so the user recognises which file it is)."""
    text, encoding = decode(path.read_bytes())
    scores: dict[str, tuple[int, tuple[str, ...]]] = {}  # table -> (fields named, columns)
    for template in TEMPLATES.values():
        try:
            dialect = detect(text, encoding, template)
        except DialectError:
            continue  # a required column is missing: not this table
        named = {f.name for f in map(template.match, dialect.columns) if f}
        scores[template.table] = (len(named), dialect.columns)
    best = max((score for score, _ in scores.values()), default=0)
    tied = [table for table, (score, _) in scores.items() if score == best]
    if len(tied) == 1:
        return TEMPLATES[tied[0]]
    if tied:
        columns = scores[tied[0]][1]
        why = f"its header fits {' and '.join(tied)} equally well"
    else:
        columns = first_row(text)
        tied = list(TEMPLATES)
        why = "its header has the required columns of no table"
    names = [f"{table}_{path.stem}.csv" for table in tied]
    seen = ", ".join(repr(c.strip()) for c in columns) or "none"
    return (f"the file name does not start with a table name and {why} (columns seen: {seen}); "
            f"rename it to {', '.join(names[:-1])} or {names[-1]}")
