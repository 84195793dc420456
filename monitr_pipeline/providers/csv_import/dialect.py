"""How an uploaded file is written: its encoding, separator and header row, detected from its bytes.

Encodings: a UTF-8 or UTF-16 byte-order mark decides; otherwise strict UTF-8, else cp1252 (Excel's
Windows-1252 'CSV' export in NL/BE; a superset of latin-1's printable range), else latin-1.
Separator: an Excel `sep=;` first line decides; otherwise the one of ; , tab | that makes most
header cells known template fields (ties: the one giving most columns). The header row is the
first of the top lines that names the template's required fields (exports may put a title above it).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from monitr_pipeline.providers.csv_import.templates import Template

SEPARATORS = (";", ",", "\t", "|")
HEADER_SEARCH_LINES = 10
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Dialect:
    encoding: str
    separator: str
    header_line: int  # 1-based physical line of the header row
    columns: tuple[str, ...]  # the header cells as written


class DialectError(ValueError):
    """The file's layout could not be recognised; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), "utf-16" if encoding == "utf-16" else "utf-8-sig"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def _cells(line: str, separator: str) -> list[str]:
    return next(csv.reader([line], delimiter=separator), [])


def physical_lines(text: str) -> list[str]:
    # Not str.splitlines(): it also splits on form feeds and U+2028 inside descriptions, which
    # would put line numbers out of step with what an editor shows.
    return re.split(r"\r\n|\r|\n", text)


def _start(lines: list[str]) -> tuple[str | None, int]:
    """An Excel `sep=;` first line: the separator it forces and the line the data starts on."""
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        return lines[0].strip()[4], 1
    return None, 0


def detect(text: str, encoding: str, template: Template) -> Dialect:
    lines = physical_lines(text)
    forced, offset = _start(lines)
    best: tuple[int, int, int, str] | None = None  # (known fields, columns, -line, separator)
    # The line naming most fields, for saying what a file without a header row lacks.
    nearest: tuple[int, int, list[str], set[str]] | None = None  # (count, -line, cells, fields)
    for index, line in enumerate(lines[offset:offset + HEADER_SEARCH_LINES], start=offset):
        if not line.strip():
            continue
        for separator in (forced,) if forced else SEPARATORS:
            cells = _cells(line, separator)
            known = {f.name for f in (template.match(c) for c in cells) if f}
            if known and (nearest is None or (len(known), -index) > nearest[:2]):
                nearest = (len(known), -index, cells, known)
            if not _names_required(template, known):
                continue
            candidate = (len(known), len(cells), -index, separator)
            if best is None or candidate > best:
                best = candidate
        if best is not None:
            break  # the first line that qualifies is the header
    if best is None:
        raise DialectError(_no_header(template, nearest))
    _, _, line_index, separator = best
    header_index = -line_index
    return Dialect(encoding, separator, header_index + 1,
                   tuple(_cells(lines[header_index], separator)))


def first_row(text: str) -> tuple[str, ...]:
    """The cells of the first non-empty line (split where it gives most cells): the columns a
    file of no known table shows, to name in the message."""
    lines = physical_lines(text)
    forced, offset = _start(lines)
    line = next((line for line in lines[offset:] if line.strip()), "")
    return tuple(max((_cells(line, s) for s in ((forced,) if forced else SEPARATORS)), key=len))


def _names_required(template: Template, known: set[str]) -> bool:
    return (all(f.name in known for f in template.fields if f.required)
            and all(known & set(group) for group in template.one_of))


def _required_description(template: Template) -> list[str]:
    return ([f.name for f in template.fields if f.required]
            + [" or ".join(group) for group in template.one_of])


def _no_header(template: Template, nearest: tuple[int, int, list[str], set[str]] | None) -> str:
    """Which required columns are missing, and the header names that would be accepted for them."""
    required = ", ".join(_required_description(template))
    message = (f"no header row naming the required columns ({required}) in the first "
               f"{HEADER_SEARCH_LINES} lines")
    known: set[str] = set()
    if nearest is not None:
        _, line_index, cells, known = nearest
        message += (f"; the nearest, line {-line_index + 1} "
                    f"({', '.join(repr(c.strip()) for c in cells)}), has")
    else:
        message += "; the file has"
    missing = [f"{f.name} (accepted headers: {f.accepted_headers()})"
               for f in template.fields if f.required and f.name not in known]
    missing += [" or ".join(group) + " (accepted headers: "
                + " / ".join(template.field(name).accepted_headers() for name in group) + ")"
                for group in template.one_of if not known & set(group)]
    return message + " no column for " + "; ".join(missing)


def records(text: str, dialect: Dialect) -> list[tuple[int, list[str]]]:
    """(physical line number, cells) of every row below the header; a quoted cell may span lines."""
    stream = io.StringIO(text, newline="")
    for _ in range(dialect.header_line):
        stream.readline()
    reader = csv.reader(stream, delimiter=dialect.separator)
    rows = []
    line = dialect.header_line + 1
    while True:
        start = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise DialectError(f"line {line}: unreadable CSV ({exc})") from None
        rows.append((line, cells))
        line += reader.line_num - start
