"""Sandbox entries as e-Boekhouden mutations: a type, a main ledger and rows whose signs the type implies.

e-Boekhouden stores a mutation as one ledger (`ledgerId`: the bank of a payment, the debtors or
creditors ledger of an invoice, the first account of a memorial) and rows on the other side with
amounts whose sign the type implies (nlvegan/verenigingen's analyses of real mutations: type 3/4/6
rows are positive, the main ledger is the bank; memorial rows are positive when credited). Per
type, the debit-positive amount of a row is ROW_DEBIT_SIGN[type] * row amount; the main ledger
takes the opposite of its rows (plus their VAT). Invoices carry VAT per row; e-Boekhouden books it
on the VAT code's ledger itself, so the sandbox's VAT lines are not sent as rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from monitr_sandbox.eboekhouden.chart import NO_VAT, VAT_LEDGER_CATEGORIES, EbChart
from monitr_sandbox.ledger import Entry, Line

(OPENING_BALANCE, INVOICE_RECEIVED, INVOICE_SENT, PAYMENT_RECEIVED, PAYMENT_SENT,
 MONEY_RECEIVED, MONEY_SENT, MEMORIAL) = range(8)
ROW_DEBIT_SIGN = {OPENING_BALANCE: 1, INVOICE_RECEIVED: 1, INVOICE_SENT: -1, PAYMENT_RECEIVED: -1,
                  PAYMENT_SENT: 1, MONEY_RECEIVED: -1, MONEY_SENT: 1, MEMORIAL: -1}
OPENING_MUTATION_ID = 0  # MUT_025: the opening balance is always mutation 0
_INVOICES = {"sales": (INVOICE_SENT, "DEB"), "sales_credit": (INVOICE_SENT, "DEB"),
             "purchase": (INVOICE_RECEIVED, "CRED")}
_RELATION_LEDGERS = frozenset({"FIN", "DEB", "CRED"})
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Shape:
    """How e-Boekhouden holds an entry: its type, the main-ledger line and the row lines."""

    type: int
    main: Line
    rows: tuple[Line, ...]


def shape_of(chart: EbChart, entry: Entry) -> Shape:
    category = {id(line): chart.category_of(line.account_code) for line in entry.lines}
    invoice = _INVOICES.get(entry.entry_type)
    if invoice:
        shape = _invoice_shape(chart, entry, category, *invoice)
        if shape:
            return shape
    if entry.entry_type == "bank":
        shape = _bank_shape(entry, category)
        if shape:
            return shape
    return Shape(MEMORIAL, entry.lines[0], tuple(entry.lines[1:]))


def _invoice_shape(chart: EbChart, entry: Entry, category: dict, kind: int,
                   control: str) -> Shape | None:
    controls = [line for line in entry.lines if category[id(line)] == control]
    if len(controls) != 1 or entry.relation is None:
        return None
    vat_lines = [line for line in entry.lines if line.vat_code
                 and category[id(line)] in VAT_LEDGER_CATEGORIES]
    left_out = {id(controls[0]), *map(id, vat_lines)}
    rows = [line for line in entry.lines if id(line) not in left_out]
    if any(category[id(line)] in _RELATION_LEDGERS for line in rows):
        return None
    # e-Boekhouden derives the VAT from the rows: it must add up to the VAT lines per code.
    booked, derived = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for line in vat_lines:
        booked[chart.vat_code(line.vat_code)] += line.amount
    for line in rows:
        derived[chart.vat_code(line.vat_code)] += line.vat_amount or ZERO
    if {k: v for k, v in booked.items() if v} != {k: v for k, v in derived.items() if v} \
            or derived.get(NO_VAT):
        return None
    return Shape(kind, controls[0], tuple(rows))


def _bank_shape(entry: Entry, category: dict) -> Shape | None:
    banks = [line for line in entry.lines if category[id(line)] == "FIN"]
    others = [line for line in entry.lines if category[id(line)] != "FIN"]
    if len(banks) != 1 or not others:
        return None
    bank = banks[0]
    if len(others) == 1 and category[id(others[0])] in ("DEB", "CRED") and others[0].open_item:
        return Shape(PAYMENT_RECEIVED if category[id(others[0])] == "DEB" else PAYMENT_SENT,
                     bank, tuple(others))
    if any(category[id(line)] in _RELATION_LEDGERS for line in others):
        return None
    return Shape(MONEY_SENT if bank.amount < 0 else MONEY_RECEIVED, bank, tuple(others))


def mutation_detail(chart: EbChart, entry: Entry, mutation_id: int) -> dict:
    """GET /v1/mutation/{id}: the Mutation model (swagger docs/Mutation.md, MutationRow.md)."""
    shape = shape_of(chart, entry)
    sign = ROW_DEBIT_SIGN[shape.type]
    is_invoice = shape.type in (INVOICE_RECEIVED, INVOICE_SENT)
    rows, vat = [], defaultdict(lambda: ZERO)
    for line in shape.rows:
        vat_code = chart.vat_code(line.vat_code) if is_invoice else NO_VAT
        vat_amount = sign * (line.vat_amount or ZERO) if is_invoice else ZERO
        if vat_amount:
            vat[vat_code] += vat_amount
        ref = line.open_item
        rows.append({
            "ledgerId": chart.by_code(line.account_code).id, "vatCode": vat_code,
            "vatAmount": float(vat_amount), "costCenterId": chart.cost_centre_ids.get(line.cost_centre, 0),
            "amount": float(sign * line.amount), "description": line.description,
            "invoiceNumber": str(ref.invoice_number) if ref else "",
            "relationId": chart.relation_ids[ref.relation.code] if ref else 0,
        })
    relation = entry.relation
    term = (entry.due_date - entry.date).days if is_invoice and entry.due_date else 0
    return {
        "id": mutation_id, "type": shape.type, "date": entry.date.isoformat(),
        "description": entry.description, "termOfPayment": term,
        "ledgerId": chart.by_code(shape.main.account_code).id,
        "relationId": chart.relation_ids[relation.code] if relation else 0,
        "inExVat": "EX", "invoiceNumber": str(entry.invoice_number or ""),
        "entryNumber": str(entry.entry_number), "rows": rows,
        "vat": [{"vatCode": code, "amount": float(amount)} for code, amount in sorted(vat.items())],
    }


def list_item(detail: dict) -> dict:
    """GET /v1/mutation item (MutationListItem): the header only; amount includes the VAT."""
    total = sum(Decimal(str(row["amount"])) for row in detail["rows"])
    total += sum(Decimal(str(v["amount"])) for v in detail["vat"])
    return {"id": detail["id"], "type": detail["type"], "date": detail["date"],
            "invoiceNumber": detail["invoiceNumber"], "ledgerId": detail["ledgerId"],
            "amount": float(total), "entryNumber": detail["entryNumber"]}


def opening_balance(chart: EbChart, entry: Entry) -> list[dict]:
    """The opening balance (mutation 0, type 0) as the list shows it: one item per ledger, dated
    the day before the first mutation (MUT_021), amounts signed debit positive (sandbox choice:
    the sign convention of real type-0 items was not found)."""
    per_ledger: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in entry.lines:
        per_ledger[line.account_code] += line.amount
    day = (entry.date - timedelta(days=1)).isoformat()
    return [{"id": OPENING_MUTATION_ID, "type": OPENING_BALANCE, "date": day, "invoiceNumber": "",
             "ledgerId": chart.by_code(code).id, "amount": float(amount), "entryNumber": ""}
            for code, amount in sorted(per_ledger.items()) if amount]
