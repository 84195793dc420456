"""How a sandbox export writes its cells and bytes: encoding, separator, decimal mark, dates, yes/no."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ExportFormat:
    encoding: str  # utf-8-sig writes the BOM Excel wants; cp1252 is Excel's Windows 'CSV'
    separator: str
    decimal_comma: bool
    thousands: bool  # group thousands with the other mark (1.234,56)
    date_format: str
    yes_no: tuple[str, str]

    def number(self, value: Decimal | int | None, decimals: int = 2) -> str:
        if value is None:
            return ""
        text = f"{value:,.{decimals}f}" if self.thousands else f"{value:.{decimals}f}"
        if self.decimal_comma:
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def date(self, value: date | None) -> str:
        return value.strftime(self.date_format) if value else ""

    def flag(self, value: bool) -> str:
        return self.yes_no[0] if value else self.yes_no[1]

    def encode(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=self.separator, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([["" if cell is None else str(cell) for cell in row] for row in rows])
        return buffer.getvalue().encode(self.encoding)


# Dutch: ';' with decimal commas and grouped thousands, dd-mm-yyyy, UTF-8 with a BOM.
DUTCH_EXCEL = ExportFormat("utf-8-sig", ";", decimal_comma=True, thousands=True,
                           date_format="%d-%m-%Y", yes_no=("ja", "nee"))
# Belgian (French headers): ',' with decimal points, ISO dates, Windows-1252.
BELGIAN_WINDOWS = ExportFormat("cp1252", ",", decimal_comma=False, thousands=False,
                               date_format="%Y-%m-%d", yes_no=("oui", "non"))
