"""finder.asmx Search: offices (OFF), dimensions by type (DIM + dimtype option), periods (PRD).

Answers `data` = TotalRows (all matches), Columns and Items/ArrayOfString for rows firstRow..
firstRow+maxRows-1 (1-based). A finder error comes back in SearchResult as MessageOfErrorCodes
with an empty `data`, not as a fault (the wording is the sandbox's own).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from monitr_sandbox.twinfield.books import OfficeBooks
from monitr_sandbox.twinfield.organisations import Office
from monitr_sandbox.twinfield.soap import TWF_NS, SoapRequest, envelope

DIMTYPES = ("BAS", "PNL", "DEB", "CRD", "KPL", "PRJ", "AST")


class FinderError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def options_of(request: SoapRequest) -> dict[str, str]:
    """`<options><ArrayOfString><string>name</string><string>value</string></ArrayOfString>...`"""
    element = request.params.get("options")
    found = {}
    for pair in (element if element is not None else []):
        strings = [(s.text or "").strip() for s in pair]
        if len(strings) != 2:
            raise FinderError("InvalidOption", "Een optie bestaat uit een naam en een waarde.")
        if strings[0] in found:
            raise FinderError("InvalidOption", f"Optie '{strings[0]}' is meermaals opgegeven.")
        found[strings[0]] = strings[1]
    return found


def search(request: SoapRequest, offices: Sequence[Office],
           books: Callable[[], OfficeBooks]) -> str:
    try:
        columns, rows = _rows(request, offices, books)
        pattern = request.text("pattern") or "*"
        field = int(request.text("field") or 0)
        first, most = int(request.text("firstRow") or 1), int(request.text("maxRows") or 100)
        if first < 1 or most < 1:
            raise FinderError("InvalidPaging", "firstRow en maxRows moeten 1 of meer zijn.")
    except ValueError:
        return _answer(_error("InvalidParameter", "field, firstRow en maxRows zijn getallen."), "")
    except FinderError as exc:
        return _answer(_error(exc.code, exc.message), "")
    searched = {0: (0, 1), 1: (0,), 2: (1,)}.get(field, (0, 1))
    matches = [row for row in rows
               if any(fnmatch.fnmatch(row[i].lower(), pattern.lower()) for i in searched)]
    page = matches[first - 1:first - 1 + most]
    items = "".join("<ArrayOfString>" + "".join(f"<string>{escape(v)}</string>" for v in row)
                    + "</ArrayOfString>" for row in page)
    data = (f"<data><TotalRows>{len(matches)}</TotalRows><Columns>"
            + "".join(f"<string>{escape(c)}</string>" for c in columns)
            + f"</Columns><Items>{items}</Items></data>")
    return _answer("<SearchResult />", data)


def _rows(request: SoapRequest, offices: Sequence[Office], books: Callable[[], OfficeBooks]
          ) -> tuple[list[str], list[list[str]]]:
    kind = (request.text("type") or "").strip().upper()
    options = options_of(request)
    if kind == "OFF":
        return ["Code", "Naam", "Land"], [[o.code, o.name, o.country] for o in offices]
    if kind == "DIM":
        dimtype = options.get("dimtype", "").upper()
        if dimtype not in DIMTYPES:
            raise FinderError("InvalidOption", f"Dimensietype '{dimtype}' is onbekend.")
        return ["Code", "Naam"], [[code, name] for code, name in books().dimensions(dimtype)]
    if kind == "PRD":
        year = options.get("year")
        periods = [p for p in books().periods() if not year or str(p["year"]) == year]
        return (["Jaar/periode", "Naam", "Begindatum", "Einddatum", "Status"],
                [[f"{p['year']}/{p['period']:02d}", p["name"], f"{p['start']:%Y%m%d}",
                  f"{p['end']:%Y%m%d}", "open" if p["open"] else "closed"] for p in periods])
    raise FinderError("UnknownType", f"Finder type '{kind}' wordt niet ondersteund.")


def _error(code: str, message: str) -> str:
    return (f"<SearchResult><MessageOfErrorCodes><Type>Error</Type><Text>{escape(message)}</Text>"
            f"<Code>{code}</Code><Parameters /></MessageOfErrorCodes></SearchResult>")


def _answer(result: str, data: str) -> str:
    return envelope(f'<SearchResponse xmlns="{TWF_NS}">{result}{data}</SearchResponse>')
