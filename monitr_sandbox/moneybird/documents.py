"""Every sandbox ledger entry as the one Moneybird document that books exactly its lines.

- sales and sales_credit entries: sales invoices; the control line is the debtors booking, each
  revenue line a detail (price = net amount), the VAT lines the invoice's tax totals per rate.
  A credit invoice carries `original_sales_invoice_id` and is settled against the original at once
  (a payment with `credit_invoice_id` on both), so open amounts match the ledger's open items.
- purchase entries: purchase invoices (documents), cost lines as details; VAT is incl - excl.
- bank entries with one bank line: financial mutations (amount + = money in). A line that settles
  a sales or purchase invoice becomes a payment of it (price always positive, on the invoice's
  control account); any other line a ledger account booking (price positive = booked in the
  direction of the mutation), e.g. transfers, loan instalments and opening-balance items.
- everything else (opening balances, payroll, depreciation, VAT returns): general journal
  documents, one entry (debit or credit) per line, as Moneybird's help centre says to enter a
  beginbalans ("memoriaalboeking").
An entry without the shape of its document type (e.g. added by a test) becomes a general journal
document, so every entry lands somewhere, balanced.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from monitr_sandbox.ledger import Entry, Line
from monitr_sandbox.moneybird.masterdata import MasterData
from monitr_sandbox.moneybird.wire import local_time, money, timestamp

JOURNAL_DOCUMENTS = "general_journal_documents"
MUTATIONS = "financial_mutations"
SALES_INVOICES = "sales_invoices"
PURCHASE_INVOICES = "purchase_invoices"
KINDS = (JOURNAL_DOCUMENTS, MUTATIONS, SALES_INVOICES, PURCHASE_INVOICES)
ZERO = Decimal("0.00")
# Invoice entry number -> (when booked, payment) of everything that paid or credited it.
Payments = dict[int, list[tuple[datetime, dict]]]


@dataclass(frozen=True)
class Rendered:
    """A document without its history fields (created_at, updated_at, version): those come from
    when the sandbox saw it appear and change (books.py)."""

    kind: str
    id: str
    entry_number: int
    date: date  # the date a `period:` filter selects on
    state: str | None
    body: dict
    booked: datetime  # when the entry was entered
    settled: datetime  # the latest payment the body shows (booked when there is none)


def booked_at(entry: Entry) -> datetime:
    """When the sandbox pretends an entry was entered: late afternoon of its booking day."""
    return local_time(entry.date, 17, entry.entry_number % 1800)


@dataclass(frozen=True)
class _Invoice:
    control: Line
    details: list[Line]
    vat: list[Line]


class DocumentMapper:
    def __init__(self, master: MasterData):
        self.master, self.ledger = master, master.ledger
        chart = self.ledger.chart
        self.receivables = chart.account("receivables").code
        self.payables = chart.account("payables").code
        self.bank = chart.account("bank").code
        self._vat_account = {SALES_INVOICES: chart.account("vat_payable").code,
                             PURCHASE_INVOICES: chart.account("vat_recoverable").code}
        self._control = {SALES_INVOICES: self.receivables, PURCHASE_INVOICES: self.payables}
        self.asset_sources: dict[str, dict] = {}

    @property
    def administration_id(self) -> str:
        return self.master.administration.id

    def document_id(self, entry_number: int) -> str:
        return self.master.id("document", entry_number)

    def line_id(self, line: Line) -> str:
        return self.master.id("line", line.id)

    # --- which document ---------------------------------------------------------------------------
    def kind_of(self, entry: Entry) -> str:
        return self._classify(entry)[0]

    def _classify(self, entry: Entry) -> tuple[str, _Invoice | None]:
        """The document type of an entry, and for an invoice which lines are control, details, VAT."""
        for kind, entry_types in ((SALES_INVOICES, ("sales", "sales_credit")),
                                  (PURCHASE_INVOICES, ("purchase",))):
            shape = self._invoice(entry, kind) if entry.entry_type in entry_types else None
            if shape:
                return kind, shape
        bank_lines = [line for line in entry.lines if line.account_code == self.bank]
        if entry.entry_type == "bank" and len(bank_lines) == 1 and len(entry.lines) > 1:
            return MUTATIONS, None
        return JOURNAL_DOCUMENTS, None

    def _invoice(self, entry: Entry, kind: str) -> _Invoice | None:
        """Control line first, then details (each with a VAT code) and VAT lines of their rates."""
        control, vat_account = self._control[kind], self._vat_account[kind]
        if entry.relation is None or entry.invoice_number != entry.entry_number \
                or entry.lines[0].account_code != control:
            return None
        rest = entry.lines[1:]
        details = [line for line in rest if line.account_code != vat_account]
        vat = [line for line in rest if line.account_code == vat_account]
        rates = {line.vat_code for line in details}
        if not details or None in rates or any(line.account_code == control for line in rest) \
                or any(line.vat_code not in rates for line in vat):
            return None
        return _Invoice(entry.lines[0], details, vat)

    # --- all documents ----------------------------------------------------------------------------
    def render_all(self, today: date) -> list[Rendered]:
        entries = list(self.ledger.entries.values())
        classified = {entry.entry_number: self._classify(entry) for entry in entries}
        invoices = {n for n, (_, shape) in classified.items() if shape}
        payments: Payments = defaultdict(list)
        # Mutations first: they make the payments the invoices show.
        rendered = [self._mutation(entry, invoices, payments) for entry in entries
                    if classified[entry.entry_number][0] == MUTATIONS]
        for entry in entries:
            if classified[entry.entry_number][0] == SALES_INVOICES:
                self._credit_settlement(entry, invoices, payments)
        self.asset_sources = {}
        for entry in entries:
            kind, shape = classified[entry.entry_number]
            if kind == JOURNAL_DOCUMENTS:
                rendered.append(self._journal_document(entry))
            elif shape:
                rendered.append(self._invoice_document(entry, kind, shape,
                                                       payments[entry.entry_number], today))
        return rendered

    # --- general journal documents ------------------------------------------------------------------
    def _journal_document(self, entry: Entry) -> Rendered:
        moment = timestamp(booked_at(entry))
        rows = []
        for line in entry.lines:
            relation = line.open_item.relation if line.open_item else None
            rows.append({
                "id": self.line_id(line), "administration_id": self.administration_id,
                "ledger_account_id": self.master.account_id(line.account_code),
                "project_id": self.master.project_id(line.project_code),
                "contact_id": self.master.contact_id(relation) if relation else None,
                "debit": money(max(line.amount, ZERO)), "credit": money(max(-line.amount, ZERO)),
                "row_order": line.line_number, "created_at": moment, "updated_at": moment,
                "description": line.description,
            })
            if line.asset_code and entry.entry_type == "opening":
                self.asset_sources.setdefault(line.asset_code,
                                              {"general_journal_document_entry_id": self.line_id(line)})
        body = {"id": self.document_id(entry.entry_number), "administration_id": self.administration_id,
                "reference": entry.description, "date": entry.date.isoformat(), "journal_type": None,
                "general_journal_document_entries": rows, "notes": [], "attachments": [], "events": []}
        return _rendered(JOURNAL_DOCUMENTS, entry, None, body)

    # --- financial mutations and the payments they make ---------------------------------------------
    def _mutation(self, entry: Entry, invoices: set[int], payments: Payments) -> Rendered:
        bank_line = next(line for line in entry.lines if line.account_code == self.bank)
        direction = 1 if bank_line.amount >= 0 else -1
        mutation_id = self.document_id(entry.entry_number)
        moment = timestamp(booked_at(entry))
        own_payments, bookings = [], []
        for line in entry.lines:
            if line is bank_line:
                continue
            price = -line.amount * direction
            ref = line.open_item
            if ref and ref.invoice_number in invoices and price > 0 \
                    and line.account_code in (self.receivables, self.payables):
                payment = self._payment(entry, ref.invoice_number, price, line.account_code,
                                        financial_mutation_id=mutation_id)
                own_payments.append(payment)
                payments[ref.invoice_number].append((booked_at(entry), payment))
            else:
                bookings.append({
                    "id": self.line_id(line), "administration_id": self.administration_id,
                    "financial_mutation_id": mutation_id,
                    "ledger_account_id": self.master.account_id(line.account_code),
                    "project_id": self.master.project_id(line.project_code),
                    "description": line.description, "price": money(price),
                    "created_at": moment, "updated_at": moment,
                })
        relation = entry.relation
        body = {
            "id": mutation_id, "administration_id": self.administration_id,
            "amount": money(bank_line.amount), "code": None, "date": entry.date.isoformat(),
            "message": entry.description, "contra_account_name": relation.name if relation else None,
            "contra_account_number": "", "state": "processed", "settlement_state": "settled",
            "amount_open": money(ZERO), "sepa_fields": None, "batch_reference": None,
            "financial_account_id": self.master.financial_account_id,
            "currency": self.ledger.profile.currency, "original_amount": None,
            "financial_statement_id": self.master.id("financial_statement", entry.date.year,
                                                     entry.date.month),
            "processed_at": moment, "account_servicer_transaction_id": None,
            "payments": own_payments, "ledger_account_bookings": bookings,
        }
        return _rendered(MUTATIONS, entry, "processed", body)

    def _payment(self, entry: Entry, invoice_number: int, price: Decimal, control: str, *,
                 financial_mutation_id: str | None = None,
                 credit_invoice_id: str | None = None) -> dict:
        moment = timestamp(booked_at(entry))
        return {
            "id": self.master.id("payment", entry.entry_number, invoice_number),
            "administration_id": self.administration_id,
            "invoice_type": "SalesInvoice" if control == self.receivables else "Document",
            "invoice_id": self.document_id(invoice_number),
            "financial_account_id": self.master.financial_account_id if financial_mutation_id else None,
            "user_id": self.master.id("user", "sandbox"), "payment_transaction_id": None,
            "transaction_identifier": None, "price": money(price), "price_base": money(price),
            "payment_date": entry.date.isoformat(), "credit_invoice_id": credit_invoice_id,
            "financial_mutation_id": financial_mutation_id,
            "ledger_account_id": self.master.account_id(control), "linked_payment_id": None,
            "manual_payment_action": None, "created_at": moment, "updated_at": moment,
        }

    def _credit_settlement(self, credit: Entry, invoices: set[int],
                           payments: Payments) -> None:
        """A credit invoice settles (part of) the invoice it credits: both get a payment."""
        ref = credit.lines[0].open_item
        if ref is None or ref.invoice_number == credit.entry_number \
                or ref.invoice_number not in invoices:
            return
        amount = -credit.lines[0].amount
        credit_id = self.document_id(credit.entry_number)
        original_id = self.document_id(ref.invoice_number)
        booked = booked_at(credit)
        payments[ref.invoice_number].append((booked, self._payment(
            credit, ref.invoice_number, amount, self.receivables, credit_invoice_id=credit_id)))
        payments[credit.entry_number].append((booked, self._payment(
            credit, credit.entry_number, -amount, self.receivables, credit_invoice_id=original_id)))

    # --- invoices -----------------------------------------------------------------------------------
    def _invoice_document(self, entry: Entry, kind: str, shape: _Invoice,
                          payments: list[tuple[datetime, dict]], today: date) -> Rendered:
        sign = -1 if kind == SALES_INVOICES else 1  # revenue is credited, costs are debited
        moment = timestamp(booked_at(entry))
        details = [self._detail(line, sign * line.amount, moment) for line in shape.details]
        if kind == PURCHASE_INVOICES:
            for line in shape.details:
                if line.asset_code:
                    self.asset_sources[line.asset_code] = {"detail_id": self.line_id(line)}
        excl = sum((sign * line.amount for line in shape.details), ZERO)
        incl = sign * -shape.control.amount
        paid = sum((Decimal(p["price"]) for _, p in payments), ZERO)
        unpaid = incl - paid
        if unpaid == 0:
            state = "paid"
        else:
            state = "late" if entry.due_date and entry.due_date < today else "open"
        paid_at = max(p["payment_date"] for _, p in payments) if payments and unpaid == 0 else None
        contact = self.master.contact(entry.relation)
        common = {
            "id": self.document_id(entry.entry_number), "administration_id": self.administration_id,
            "contact_id": contact["id"], "contact": contact,
            "due_date": (entry.due_date or entry.date).isoformat(), "state": state,
            "currency": self.ledger.profile.currency, "paid_at": paid_at,
            "prices_are_incl_tax": False, "total_price_excl_tax": money(excl),
            "total_price_excl_tax_base": money(excl), "total_price_incl_tax": money(incl),
            "total_price_incl_tax_base": money(incl), "details": details,
            "payments": [p for _, p in payments], "notes": [], "attachments": [], "events": [],
        }
        own = (self._sales_fields(entry, shape, paid, unpaid, today) if kind == SALES_INVOICES
               else self._purchase_fields(entry))
        booked = booked_at(entry)
        return Rendered(kind, common["id"], entry.entry_number, entry.date, state, {**common, **own},
                        booked, max([booked, *(when for when, _ in payments)]))

    def _detail(self, line: Line, price: Decimal, moment: str) -> dict:
        return {
            "id": self.line_id(line), "administration_id": self.administration_id,
            "tax_rate_id": self.master.tax_rate_id(line.vat_code),
            "ledger_account_id": self.master.account_id(line.account_code),
            "project_id": self.master.project_id(line.project_code), "product_id": None,
            "amount": "1", "amount_decimal": "1.0", "description": line.description,
            "price": money(price), "period": None, "row_order": line.line_number,
            "total_price_excl_tax_with_discount": money(price),
            "total_price_excl_tax_with_discount_base": money(price), "tax_report_reference": [],
            "mandatory_tax_text": None, "created_at": moment, "updated_at": moment,
            "is_optional": False, "is_selected": True,
        }

    def _sales_fields(self, entry: Entry, shape: _Invoice, paid: Decimal, unpaid: Decimal,
                      today: date) -> dict:
        number = str(entry.entry_number)
        original = shape.control.open_item
        credits = original is not None and original.invoice_number != entry.entry_number
        taxable: dict[str, Decimal] = defaultdict(lambda: ZERO)
        tax: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in shape.details:
            taxable[line.vat_code] -= line.amount
        for line in shape.vat:
            tax[line.vat_code] -= line.amount
        tax_totals = [{"tax_rate_id": self.master.tax_rate_id(code), "taxable_amount": money(amount),
                       "taxable_amount_base": money(amount), "tax_amount": money(tax[code]),
                       "tax_amount_base": money(tax[code])} for code, amount in sorted(taxable.items())]
        url = (f"https://moneybird.com/{self.administration_id}/sales_invoices/"
               f"{self.document_id(entry.entry_number)}")
        late = unpaid != 0 and entry.due_date is not None and entry.due_date < today
        return {
            "contact_person_id": None, "contact_person": None, "invoice_id": number,
            "recurring_sales_invoice_id": None, "subscription_id": None,
            "workflow_id": self.master.id("workflow", "invoice"),
            "document_style_id": self.master.id("document_style", "default"),
            "identity_id": self.master.id("identity", "default"), "draft_id": None,
            "invoice_date": entry.date.isoformat(),
            "payment_conditions": "Wij verzoeken u het bedrag binnen de termijn over te maken.",
            "payment_reference": f"RF{number}", "short_payment_reference": number,
            "reference": None, "language": "nl", "discount": "0.0",
            "original_sales_invoice_id": self.document_id(original.invoice_number) if credits else None,
            "paused": False, "sent_at": entry.date.isoformat(), "public_view_code": number[-6:],
            "public_view_code_expires_at": None, "total_paid": money(paid),
            "total_unpaid": money(unpaid), "total_unpaid_base": money(unpaid),
            "total_discount": "0.0", "marked_dubious_on": None, "marked_uncollectible_on": None,
            "reminder_count": 1 if late else 0, "next_reminder": None, "original_estimate_id": None,
            "url": url, "payment_url": f"{url}/pay", "custom_fields": [], "tax_totals": tax_totals,
            "time_entries": [],
        }

    def _purchase_fields(self, entry: Entry) -> dict:
        return {
            "reference": entry.your_ref, "date": entry.date.isoformat(),
            "entry_number": entry.entry_number, "exchange_rate": "1.0", "revenue_invoice": False,
            "origin": "upload", "tax_number": None, "fiscal_allocations": [],
        }


def _rendered(kind: str, entry: Entry, state: str | None, body: dict) -> Rendered:
    return Rendered(kind, body["id"], entry.entry_number, entry.date, state, body,
                    booked_at(entry), booked_at(entry))
