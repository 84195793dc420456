"""Rules across rows and files of one administration: keys, duplicates, balanced entries, references.

Keys (stable across imports, so SNAPSHOT digests see updates as updates):
- GL lines: the declared `line_id` column if the export has one; otherwise
  `<fiscal year>/<journal>/<entry number>/<line number>`, the line number being the file's own
  column or the line's position within its entry. Entry numbers are unique per journal and year in
  every NL/BE package, and the file name is not part of the key, so re-splitting or renaming
  exports keeps keys (a line exported twice, e.g. overlapping periods, is rejected as a duplicate).
- Accounts and projects: their code.
- Hours and project costs: the declared `id` column if present; otherwise the project, date,
  employee and a digest of the row's content, numbered when identical rows repeat. A changed row
  without an id is then a new key: the old row is deleted and the new one inserted.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from monitr_pipeline.providers.csv_import.problems import Problem
from monitr_pipeline.providers.csv_import.reader import ParsedFile, Row
from monitr_pipeline.providers.csv_import.templates import GL_LINES

DEFAULT_CURRENCY = "EUR"  # NL and BE administrations report in euros
MAX_HOURS_PER_ROW = Decimal(24)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
ZERO = Decimal("0.00")


@dataclass
class TableRows:
    """Finished records of one table (raw records as the spec declares them) and what was wrong."""

    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _base(administration: str, parsed: ParsedFile, row: Row) -> dict[str, Any]:
    return {**row.values, "administration": administration,
            "source_file": parsed.name.split("/", 1)[-1]}


def _unique(result: TableRows, seen: dict[str, tuple[str, int]], key: str, what: str,
            parsed: ParsedFile, row: Row, field_name: str) -> bool:
    if key in seen:
        first_file, first_line = seen[key]
        result.problems.append(parsed.at(
            row.line, field_name, f"{what} {key!r} is also on {first_file} line {first_line}"))
        return False
    seen[key] = (parsed.name, row.line)
    return True


def coded_rows(administration: str, files: Iterable[ParsedFile], what: str) -> TableRows:
    """Accounts and projects: one row per code across the administration's files."""
    result = TableRows()
    seen: dict[str, tuple[str, int]] = {}
    for parsed in files:
        for row in parsed.valid_rows:
            if _unique(result, seen, row.values["code"], what, parsed, row, "code"):
                result.records.append(_base(administration, parsed, row))
    return result


# --- GL lines -------------------------------------------------------------------------------------

def _amount_fields(parsed: ParsedFile) -> str:
    """The field(s) a file's amounts are in, as problems name them: 'amount', or 'debit/credit'
    (or one of the two) where the export splits them; never 'amount' for a file without one."""
    if "amount" in parsed.present:
        return "amount"
    return "/".join(f for f in ("debit", "credit") if f in parsed.present)


def _amount_columns_problem(parsed: ParsedFile) -> Problem | None:
    given = [f for f in ("amount", "debit", "credit") if f in parsed.present]
    if "amount" in given and len(given) > 1:
        return parsed.at(parsed.dialect.header_line, "/".join(given),
                         "give either one signed amount column or debit/credit columns, not both")
    if "side" in parsed.present and "amount" not in parsed.present:
        accepted = GL_LINES.field("amount").accepted_headers()
        return parsed.at(parsed.dialect.header_line, "side", "a debit/credit indicator column "
                         f"needs an amount column (accepted headers: {accepted})")
    return None


def _signed_amount(parsed: ParsedFile, row: Row) -> tuple[Decimal | None, str | None]:
    values = row.values
    if "amount" in parsed.present:
        if values.get("amount") is None:
            return None, "is empty"
        sign = -1 if values.get("side") == "credit" else 1
        return sign * values["amount"], None
    debit, credit = values.get("debit"), values.get("credit")
    if debit is None and credit is None:
        return None, "are both empty" if "/" in _amount_fields(parsed) else "is empty"
    return (debit or ZERO) - (credit or ZERO), None


def _fiscal(parsed: ParsedFile, values: dict[str, Any]) -> tuple[int, int, tuple[str, str] | None]:
    """Fiscal year and period (the date's year and month where the file has no columns for them)
    and, if one is out of range, the (field, reason) naming the column it came from."""
    year = values["fiscal_year"] if values.get("fiscal_year") is not None else values["date"].year
    period = (values["fiscal_period"] if values.get("fiscal_period") is not None
              else values["date"].month)
    if not 1900 <= year <= 2200:
        if "fiscal_year" not in parsed.present:
            return year, period, ("date", f"year {year} is out of range (1900-2200)")
        return year, period, ("fiscal_year", f"{year} is out of range (1900-2200)")
    if not 0 <= period <= 13:  # a month is always in range: this is the file's own period column
        return year, period, ("fiscal_period", f"{period} is out of range (0-13)")
    return year, period, None


@dataclass
class _Entry:
    number: str
    journal: str | None
    year: int
    file: ParsedFile  # where its first line is
    lines: list[int] = field(default_factory=list)
    total: Decimal = ZERO
    debit: Decimal = ZERO

    def problem(self) -> Problem:
        journal = f"journal {self.journal}, " if self.journal else ""
        lines = ", ".join(str(n) for n in self.lines[:8]) + (", ..." if len(self.lines) > 8 else "")
        return self.file.at(
            self.lines[0], _amount_fields(self.file),
            f"entry {self.number} ({journal}fiscal year {self.year}; lines {lines}) does not "
            f"balance: debit {self.debit:.2f}, credit {self.debit - self.total:.2f}, difference "
            f"{self.total:.2f}")


class _GlLines:
    """GL lines of one administration, file by file: typed, keyed, and their entries summed."""

    def __init__(self, administration: str, account_codes: set[str] | None):
        self.administration = administration
        self.account_codes = account_codes  # None: no accounts to check against (said once)
        self.result = TableRows()
        self.seen: dict[str, tuple[str, int]] = {}
        self.entries: dict[str, _Entry] = {}
        self.positions: defaultdict[str, int] = defaultdict(int)
        self.currency: tuple[str, str, int] | None = None  # the first one, and where
        # Entries with a rejected line: their balance means nothing, so it is not reported too.
        self.tainted: set[tuple[Any, Any]] = set()

    def add_file(self, parsed: ParsedFile) -> None:
        if not parsed.rows_read:
            return  # its layout was refused; the reader said why
        layout_problem = _amount_columns_problem(parsed)
        if layout_problem:
            self.result.problems.append(layout_problem)
            return
        for row in parsed.rows:
            checked = None if row.rejected else self._checked(parsed, row)
            if checked is None or not self._add(parsed, row, *checked):
                self.tainted.add((row.values.get("journal"), row.values.get("entry_number")))

    def _checked(self, parsed: ParsedFile, row: Row) -> tuple[Decimal, int, int, str] | None:
        """(amount, fiscal year, fiscal period, currency) of a line, or None after its problems."""
        values = row.values
        problems: list[tuple[str, str]] = []
        amount, amount_problem = _signed_amount(parsed, row)
        if amount_problem:
            problems.append((_amount_fields(parsed), amount_problem))
        year, period, bad_fiscal = _fiscal(parsed, values)
        if bad_fiscal:
            problems.append(bad_fiscal)
        currency = (values.get("currency") or DEFAULT_CURRENCY).upper()
        if not _CURRENCY.match(currency):
            problems.append(("currency", f"{values['currency']!r} is not an ISO currency code (EUR)"))
        elif self.currency is None:
            self.currency = (currency, parsed.name, row.line)
        elif currency != self.currency[0]:
            first, file, line = self.currency
            problems.append(("currency", f"{currency} differs from {first} on {file} line {line}; "
                                         "amounts must be in the administration's reporting "
                                         "currency (put foreign amounts in transaction_amount)"))
        if self.account_codes is not None and values["account_code"] not in self.account_codes:
            problems.append(("account_code", f"account {values['account_code']!r} is not in the "
                                             "administration's accounts*.csv"))
        self.result.problems += [parsed.at(row.line, f, r) for f, r in problems]
        return None if problems else (amount, year, period, currency)

    def _add(self, parsed: ParsedFile, row: Row, amount: Decimal, year: int, period: int,
             currency: str) -> bool:
        values = row.values
        journal = values.get("journal")
        entry_id = f"{year}/{journal or ''}/{values['entry_number']}"
        self.positions[entry_id] += 1
        # Line 0 is a real number (Exact numbers a sales entry's control line 0).
        line_number = (values["line_number"] if values.get("line_number") is not None
                       else self.positions[entry_id])
        line_id = values.get("line_id") or f"{entry_id}/{line_number}"
        if not _unique(self.result, self.seen, line_id, "GL line", parsed, row,
                       "line_id" if values.get("line_id") else "line_number"):
            return False
        entry = self.entries.setdefault(entry_id, _Entry(values["entry_number"], journal, year,
                                                         parsed))
        entry.lines.append(row.line)
        entry.total += amount
        entry.debit += max(amount, ZERO)
        self.result.records.append({
            **_base(self.administration, parsed, row), "id": line_id, "entry_id": entry_id,
            "line_number": line_number, "fiscal_year": year, "fiscal_period": period,
            "amount": amount, "currency": currency,
        })
        return True

    def finish(self) -> TableRows:
        self.result.problems += [entry.problem() for entry in self.entries.values()
                                 if entry.total != ZERO
                                 and (entry.journal, entry.number) not in self.tainted]
        return self.result


def gl_rows(administration: str, files: Iterable[ParsedFile],
            account_codes: set[str] | None) -> TableRows:
    """GL lines; `account_codes` None when there are no readable accounts to check them against
    (that is one problem of the accounts files, not one per line)."""
    lines = _GlLines(administration, account_codes)
    for parsed in files:
        lines.add_file(parsed)
    return lines.finish()


# --- hours and project costs ----------------------------------------------------------------------

def _content_key(values: dict[str, Any], who: str | None) -> str:
    digest = hashlib.blake2b(repr(sorted((k, str(v)) for k, v in values.items() if k != "id"))
                             .encode(), digest_size=5).hexdigest()
    parts = [values["project_code"], values["date"].isoformat(), *([who] if who else []), digest]
    return "/".join(parts)


def project_rows(administration: str, files: Iterable[ParsedFile], project_codes: set[str] | None,
                 what: str, hours: bool) -> TableRows:
    """Hours (`hours=True`) or project costs: rows booked on a known project (`project_codes`
    None: no readable projects to check against, which is one problem, not one per row)."""
    result = TableRows()
    seen: dict[str, tuple[str, int]] = {}
    occurrences: defaultdict[str, int] = defaultdict(int)
    for parsed in files:
        for row in parsed.valid_rows:
            values = row.values
            if project_codes is not None and values["project_code"] not in project_codes:
                result.problems.append(parsed.at(row.line, "project_code",
                                                 f"project {values['project_code']!r} is not in "
                                                 "the administration's projects*.csv"))
                continue
            if hours and abs(values["hours"]) > MAX_HOURS_PER_ROW:
                result.problems.append(parsed.at(row.line, "hours", f"{values['hours']} hours in "
                                                                    "one row (more than 24)"))
                continue
            if values.get("id"):
                key = values["id"]
                if not _unique(result, seen, key, what, parsed, row, "id"):
                    continue
            else:
                key = _content_key(values, values.get("employee_code") or values.get("employee_name")
                                   if hours else None)
                occurrences[key] += 1
                key += f"#{occurrences[key]}" if occurrences[key] > 1 else ""
            result.records.append({**_base(administration, parsed, row), "id": key})
    return result
