"""Reading one uploaded file against its template: typed rows by physical line, or the problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitr_pipeline.providers.csv_import import values
from monitr_pipeline.providers.csv_import.dialect import Dialect, DialectError, decode, detect, records
from monitr_pipeline.providers.csv_import.problems import CellError, Problem
from monitr_pipeline.providers.csv_import.templates import Field, Template, synonyms

_NUMBER_KINDS = {"money": 2, "quantity": 4}


@dataclass
class Row:
    line: int
    values: dict[str, Any]  # a rejected row keeps the cells that could be read
    rejected: bool = False


@dataclass
class ParsedFile:
    name: str  # relative to the upload folder: <administration>/<file>
    template: Template
    dialect: Dialect | None = None
    decimal_mark: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # template field -> its column's header
    rows_read: bool = False  # False: the file's layout was refused, so it has no rows to go by
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def present(self) -> frozenset[str]:
        """The template fields the file has a column for."""
        return frozenset(self.headers)

    @property
    def valid_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.rejected]

    def at(self, line: int | None, field_name: str | None, reason: str,
           columns: tuple[str, ...] | None = None) -> Problem:
        """A problem of this file, naming the field's column as the file heads it; `field_name`
        may join fields with '/' (debit/credit); `columns` when they are not simply theirs."""
        if columns is None:
            names = field_name.split("/") if field_name else []
            columns = tuple(self.headers[n] for n in names if n in self.headers)
        return Problem(self.name, line, field_name, reason, columns)

    def problem(self, line: int | None, field_name: str | None, reason: str,
                columns: tuple[str, ...] | None = None) -> None:
        self.problems.append(self.at(line, field_name, reason, columns))


def read_file(path: Path, name: str, template: Template) -> ParsedFile:
    parsed = ParsedFile(name, template)
    try:
        text, encoding = decode(path.read_bytes())
        parsed.dialect = detect(text, encoding, template)
        raw_rows = records(text, parsed.dialect)
    except DialectError as exc:
        parsed.problem(None, None, str(exc))
        return parsed
    columns = _columns(parsed)
    if parsed.problems:
        return parsed
    raw_rows = [(line, cells) for line, cells in raw_rows if any(c.strip() for c in cells)]
    parsed.decimal_mark = _decimal_mark(parsed, columns, raw_rows)
    parsed.rows = [_row(parsed, columns, line, cells) for line, cells in raw_rows]
    parsed.rows_read = True
    return parsed


def _columns(parsed: ParsedFile) -> dict[int, Field]:
    """Column index -> field; a field named by two columns is a problem (which one is meant?)."""
    columns: dict[int, Field] = {}
    for index, header in enumerate(parsed.dialect.columns):
        matched = parsed.template.match(header)
        if matched is None:
            continue  # exports carry extra columns; they are ignored
        first = parsed.headers.get(matched.name)
        if first is not None:
            parsed.problem(parsed.dialect.header_line, matched.name,
                           "named by two columns; keep one of them", (first, header.strip()))
            continue
        parsed.headers[matched.name] = header.strip()
        columns[index] = matched
    return columns


def _decimal_mark(parsed: ParsedFile, columns: dict[int, Field],
                  raw_rows: list[tuple[int, list[str]]]) -> str:
    number_columns = [i for i, f in columns.items() if f.kind in _NUMBER_KINDS]
    texts = (cells[i] for _, cells in raw_rows for i in number_columns if i < len(cells))
    # Without evidence (only whole numbers, or 1.234-style cells) the separator's convention
    # decides: ';' files come from decimal-comma locales, ',' files cannot have bare decimal commas.
    fallback = "," if parsed.dialect.separator == ";" else "."
    mark, conflict = values.detect_decimal_mark(texts, fallback)
    if conflict:
        parsed.problem(None, None, conflict)
    return mark


def _row(parsed: ParsedFile, columns: dict[int, Field], line: int, cells: list[str]) -> Row:
    width = len(parsed.dialect.columns)
    ok = True
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        parsed.problem(line, None, f"{len(cells)} cells where the header has {width} "
                                   f"(a separator {parsed.dialect.separator!r} inside an "
                                   "unquoted value?)")
        ok = False
    row: dict[str, Any] = {}
    for index, spec in columns.items():
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            row[spec.name] = None
            if spec.required:
                parsed.problem(line, spec.name, "is empty")
                ok = False
            continue
        try:
            row[spec.name] = _cell(spec, text, parsed.decimal_mark)
        except CellError as exc:
            parsed.problem(line, spec.name, str(exc))
            ok = False
    return Row(line, row, rejected=not ok)


def _cell(spec: Field, text: str, decimal_mark: str) -> Any:
    kind = spec.kind
    if kind == "text":
        return text
    if kind in _NUMBER_KINDS:
        return values.parse_decimal(text, decimal_mark, _NUMBER_KINDS[kind])
    if kind == "int":
        return values.parse_int(text)
    if kind == "date":
        return values.parse_date(text)
    if kind == "bool":
        return values.parse_bool(text)
    return values.parse_choice(text, synonyms(kind), spec.name.replace("_", " "))
