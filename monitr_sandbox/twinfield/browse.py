"""ProcessXml requests: list offices, browse definitions, and browse data (030_3, 100, 200).

A browse answers every row its column filters select, in one document (Twinfield does not page a
browse): `<browse first last total><th>` then one `<tr>` per row with `<td field=...>` per
visible column and the row's `<key>`. Failures come inside a 200 answer: `result="0"` on the root
and `msgtype="error" msg="..."` on the element at fault (the pattern php-twinfield checks).
"""

from __future__ import annotations

import fnmatch
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from monitr_sandbox.twinfield.organisations import Office

# field -> (label, type); the 030_3 fields of API_FACTS.md section 5 (labels as Twinfield's NL UI).
GL_FIELDS: dict[str, tuple[str, str]] = {
    "fin.trs.head.office": ("Administratie", "String"),
    "fin.trs.head.officename": ("Adm.naam", "String"),
    "fin.trs.head.year": ("Jaar", "Decimal"),
    "fin.trs.head.period": ("Periode", "Decimal"),
    "fin.trs.head.yearperiod": ("Jaar/periode (JJJJ/PP)", "String"),
    "fin.trs.head.code": ("Dagboek", "String"),
    "fin.trs.head.number": ("Boekingsnummer", "Decimal"),
    "fin.trs.head.status": ("Status", "String"),
    "fin.trs.head.date": ("Boekdatum", "Date"),
    "fin.trs.head.curcode": ("Valuta", "String"),
    "fin.trs.head.relation": ("Relatie", "String"),
    "fin.trs.head.relationname": ("Relatienaam", "String"),
    "fin.trs.head.inpdate": ("Invoerdatum", "DateTime"),
    "fin.trs.head.modified": ("Wijzigingsdatum", "DateTime"),
    "fin.trs.head.username": ("Gebruikersnaam", "String"),
    "fin.trs.head.origin": ("Oorsprong", "String"),
    "fin.trs.line.line": ("Regel", "Decimal"),
    "fin.trs.line.dim1": ("Grootboekrek.", "String"),
    "fin.trs.line.dim1name": ("Grootboekrek.naam", "String"),
    "fin.trs.line.dim1type": ("Dimensietype 1", "String"),
    "fin.trs.line.dim2": ("Kpl./rel.", "String"),
    "fin.trs.line.dim2name": ("Kpl.-/rel.naam", "String"),
    "fin.trs.line.dim2type": ("Dimensietype 2", "String"),
    "fin.trs.line.dim3": ("Act./proj.", "String"),
    "fin.trs.line.dim3name": ("Act.-/proj.naam", "String"),
    "fin.trs.line.dim3type": ("Dimensietype 3", "String"),
    "fin.trs.line.valuesigned": ("Bedrag", "Value"),
    "fin.trs.line.basevaluesigned": ("Basisbedrag", "Value"),
    "fin.trs.line.repvaluesigned": ("Rapportagebedrag", "Value"),
    "fin.trs.line.debitcredit": ("D/C", "String"),
    "fin.trs.line.vatcode": ("Btw-code", "String"),
    "fin.trs.line.vatbasevaluesigned": ("Btw-bedrag", "Value"),
    "fin.trs.line.description": ("Omschrijving", "String"),
    "fin.trs.line.invnumber": ("Factuurnummer", "String"),
    "fin.trs.line.datedue": ("Vervaldatum", "Date"),
    "fin.trs.line.matchstatus": ("Betaalstatus", "String"),
    "fin.trs.line.matchdate": ("Afletterdatum", "Date"),
    "fin.trs.line.openbasevaluesigned": ("Openstaand basisbedrag", "Value"),
    "fin.trs.line.openvaluesigned": ("Openstaand bedrag", "Value"),
}
_OPEN_ITEM_FIELDS = (
    "fin.trs.head.office", "fin.trs.head.yearperiod", "fin.trs.head.code", "fin.trs.head.number",
    "fin.trs.head.date", "fin.trs.head.curcode", "fin.trs.head.modified", "fin.trs.line.line",
    "fin.trs.line.dim1", "fin.trs.line.dim2", "fin.trs.line.dim2name", "fin.trs.line.description",
    "fin.trs.line.invnumber", "fin.trs.line.datedue", "fin.trs.line.valuesigned",
    "fin.trs.line.basevaluesigned", "fin.trs.line.openbasevaluesigned",
    "fin.trs.line.openvaluesigned", "fin.trs.line.matchstatus", "fin.trs.line.matchdate",
)
BROWSES: dict[str, tuple[str, dict[str, tuple[str, str]], Callable[[dict], bool]]] = {
    "030_3": ("Grootboekkaart (v3)", GL_FIELDS, lambda row: True),
    "100": ("Debiteurenposten", {f: GL_FIELDS[f] for f in _OPEN_ITEM_FIELDS},
            lambda row: row["fin.trs.line.dim2type"] == "DEB"),
    "200": ("Crediteurenposten", {f: GL_FIELDS[f] for f in _OPEN_ITEM_FIELDS},
            lambda row: row["fin.trs.line.dim2type"] == "CRD"),
}
# matchstatus cannot be used as a filter at Twinfield (API_FACTS.md section 5: post-filter it).
_UNFILTERABLE = {"fin.trs.line.matchstatus"}
_OPERATORS = ("none", "equal", "between")
_YEARPERIOD = re.compile(r"^\d{4}/\d{2}$")


class BrowseError(Exception):
    def __init__(self, message: str, element: ET.Element):
        super().__init__(message)
        self.message, self.element = message, element


def render(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def failed(request: ET.Element, message: str, at: ET.Element | None = None) -> str:
    """The request echoed with result="0" and the error on the element at fault."""
    request.set("result", "0")
    target = request if at is None else at
    target.set("msgtype", "error")
    target.set("msg", message)
    return ET.tostring(request, encoding="unicode")


def list_offices(offices: Sequence[Office]) -> str:
    root = ET.Element("offices", result="1")
    for office in offices:
        ET.SubElement(root, "office", name=office.name, shortname=office.name[:20]).text = office.code
    return ET.tostring(root, encoding="unicode")


def definition(code: str, office: str) -> str:
    name, fields, _ = BROWSES[code]
    root = ET.Element("browse", cd=code, result="1")
    ET.SubElement(root, "office").text = office
    ET.SubElement(root, "name").text = name
    columns = ET.SubElement(root, "columns")
    for number, (field, (label, kind)) in enumerate(fields.items(), start=1):
        column = ET.SubElement(columns, "column", id=str(number))
        for tag, text in (("field", field), ("label", label), ("visible", "true"),
                          ("ask", "true"), ("operator", "none"), ("type", kind)):
            ET.SubElement(column, tag).text = text
    return ET.tostring(root, encoding="unicode")


def _condition(column: ET.Element, field: str) -> Callable[[Any], bool] | None:
    operator = (column.findtext("operator") or "none").strip().lower()
    if operator not in _OPERATORS:
        raise BrowseError(f"Operator '{operator}' is onbekend.", column)
    if operator == "none":
        return None
    if field in _UNFILTERABLE:
        raise BrowseError(f"Op veld {field} kan niet worden geselecteerd.", column)
    low, high = (column.findtext("from") or "").strip(), (column.findtext("to") or "").strip()
    if field == "fin.trs.head.yearperiod":
        for value in (low, high) if operator == "between" else (low,):
            if value and not _YEARPERIOD.match(value):
                raise BrowseError(f"Ongeldige periode '{value}' (JJJJ/PP).", column)
    if operator == "equal":
        if field == "fin.trs.head.status" and low.lower() == "normal":
            return lambda value: value != "temporary"  # "normal" = every booked (final) line
        return lambda value: fnmatch.fnmatchcase(render(value), low) if low else True
    return lambda value: (not low or render(value) >= low) and (not high or render(value) <= high)


def browse(request: ET.Element, rows: list[dict[str, Any]], office: str) -> str:
    code = request.get("code", "")
    if code not in BROWSES:
        return failed(request, f"Browse code '{code}' bestaat niet.")
    _, fields, keep = BROWSES[code]
    visible, conditions = [], []
    try:
        for column in request.findall("column"):
            field = (column.findtext("field") or "").strip()
            if field not in fields:
                raise BrowseError(f"Veld '{field}' bestaat niet in browse {code}.", column)
            condition = _condition(column, field)
            if condition is not None:
                conditions.append((field, condition))
            if (column.findtext("visible") or "true").strip().lower() != "false":
                visible.append(field)
    except BrowseError as exc:
        return failed(request, exc.message, exc.element)
    selected = [row for row in rows if keep(row)
                and all(condition(row[field]) for field, condition in conditions)]
    root = ET.Element("browse", result="1", first="1" if selected else "0",
                      last=str(len(selected)), total=str(len(selected)))
    head = ET.SubElement(root, "th")
    for field in visible:
        label, kind = fields[field]
        ET.SubElement(head, "td", label=label, hideforuser="false", type=kind).text = field
    for row in selected:
        line = ET.SubElement(root, "tr")
        for field in visible:
            ET.SubElement(line, "td", field=field, hideforuser="false",
                          type=fields[field][1]).text = render(row[field])
        key = ET.SubElement(line, "key")
        for tag, value in (("office", office), ("code", row["fin.trs.head.code"]),
                           ("number", row["fin.trs.head.number"]), ("line", row["fin.trs.line.line"])):
            ET.SubElement(key, tag).text = render(value)
    return ET.tostring(root, encoding="unicode")
