"""The Odoo database as records: every model's rows rendered from the companies' sandbox ledgers,
with integer ids, create_date and write_date.

Ids are issued per model in booking order (companies in turn) and never reused, so a restarted
emulator replayed to the same day serves the same ids. write_date moves whenever anything a record
shows changes (a line corrected, an invoice line reconciled by a payment): after each change every
record is rendered again and compared with what was served before (as the Moneybird emulator does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.ledger import (
    Entry,
    Ledger,
    Line,
    add_entry,
    apply_day,
    change_line,
    delete_entry,
    generate_ledger,
)
from monitr_sandbox.odoo.accounts import (
    JOURNAL_OF_LEDGER_TYPE,
    JOURNALS,
    MOVE_TYPES,
    PLANS,
    account_type,
)
from monitr_sandbox.odoo.companies import EUR, Company

MODELS = ("res.company", "res.partner", "account.account", "account.journal",
          "account.analytic.plan", "account.analytic.account", "account.move", "account.move.line")
# Odoo's _order of each model: what search_read answers in without an `order`.
DEFAULT_ORDER = {"account.move.line": "date desc, move_name desc, id",
                 "account.move": "date desc, name desc, id desc",
                 "account.account": "code, id", "account.journal": "sequence, type, code",
                 "res.partner": "complete_name, id", "res.company": "sequence, name",
                 "account.analytic.account": "plan_id, name, id",
                 "account.analytic.plan": "sequence, id"}
# Reconciliations are not served as models, but their ids show on the lines (full_reconcile_id,
# matching_number): issued like the models' ids, in booking order and never reused.
RECONCILIATIONS = ("account.full.reconcile", "account.partial.reconcile")


def odoo_datetime(moment: datetime) -> str:
    """Odoo's datetime strings: UTC, no zone, seconds."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class _History:
    created: datetime
    written: datetime
    fingerprint: str


@dataclass(frozen=True)
class _Draft:
    """A move left in draft or cancelled: in Odoo, never part of the ledger's balances."""

    company_id: int
    state: str
    on: date
    lines: tuple[tuple[str, Decimal, str], ...]  # (account category, amount, label)


def _fingerprint(record: Mapping) -> str:
    body = {k: v for k, v in record.items() if k not in ("create_date", "write_date")}
    return hashlib.blake2b(json.dumps(body, sort_keys=True, default=str).encode(),
                           digest_size=12).hexdigest()


def _money(amount: Decimal) -> float:
    return float(amount)


class OdooDatabase:
    def __init__(self, companies: Iterable[Company]):
        self.companies = {c.id: c for c in companies}
        self.ledgers: dict[int, Ledger] = {c.id: generate_ledger(c.profile)
                                           for c in self.companies.values()}
        self._ids: dict[str, dict[object, int]] = {model: {} for model in MODELS + RECONCILIATIONS}
        self._next: dict[str, int] = {model: 1 for model in MODELS + RECONCILIATIONS}
        self._move_names: dict[tuple[int, int], str] = {}
        self._sequences: dict[tuple[int, str, int], int] = {}
        self._history: dict[tuple[str, int], _History] = {}
        self._records: dict[str, list[dict]] = {model: [] for model in MODELS}
        self._manual = 0
        self._drafts = tuple(
            draft for company in self.companies.values() for draft in (
                _Draft(company.id, "draft", company.profile.last_booking_date,
                       (("other_costs", Decimal("240.00"), "Concept: kantoorartikelen"),
                        ("payables", Decimal("-240.00"), "Concept: kantoorartikelen"))),
                _Draft(company.id, "cancel", company.profile.last_booking_date - timedelta(days=9),
                       (("receivables", Decimal("605.00"), "Geannuleerde factuur"),
                        ("revenue_high", Decimal("-605.00"), "Geannuleerde factuur"))),
            ))
        self._refresh(changed_at=None)

    # --- time ---------------------------------------------------------------------------------------
    @property
    def day(self) -> int:
        return next(iter(self.ledgers.values())).day

    @property
    def today(self) -> date:
        last = max(c.profile.last_booking_date for c in self.companies.values())
        return last + timedelta(days=self.day)

    # --- records ------------------------------------------------------------------------------------
    def records(self, model: str) -> list[dict]:
        """Every record of the model (with `_company`: the company it belongs to, None if shared)."""
        return self._records[model]

    def record_id(self, model: str, key: object) -> int:
        ids = self._ids[model]
        if key not in ids:
            ids[key] = self._next[model]
            self._next[model] += 1
        return ids[key]

    def line_id(self, company_id: int, line: UUID | str) -> int:
        return self._ids["account.move.line"][(company_id, UUID(str(line)))]

    def move_id(self, company_id: int, entry_number: int) -> int:
        return self._ids["account.move"][(company_id, entry_number)]

    def served_entries(self, company_id: int) -> list[Entry]:
        """The ledger's entries Odoo has: all but the later years' opening entries (Odoo rolls
        balances forward itself; only the first year's opening balance is a move)."""
        ledger = self.ledgers[company_id]
        first_year = ledger.profile.fiscal_years[0]
        return [e for e in ledger.entries.values()
                if e.entry_type != "opening" or e.fiscal_year == first_year]

    # --- changes ------------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        for ledger in self.ledgers.values():
            apply_day(ledger, day)
        self._refresh(changed_at=datetime.combine(self.today, datetime.min.time()) + timedelta(hours=17))

    def _changed_by_hand(self) -> None:
        # After the day's own changes (17:00) and before the next day's.
        self._manual += 1
        self._refresh(changed_at=datetime.combine(self.today, datetime.min.time())
                      + timedelta(hours=18, seconds=self._manual))

    def add_entry(self, company_id: int, **booking) -> Entry:
        entry = add_entry(self.ledgers[company_id], **booking)
        self._changed_by_hand()
        return entry

    def change_line(self, company_id: int, line_id: UUID | str, **fields) -> Line:
        line = change_line(self.ledgers[company_id], line_id, **fields)
        self._changed_by_hand()
        return line

    def delete_entry(self, company_id: int, entry_number: int) -> Entry:
        entry = delete_entry(self.ledgers[company_id], entry_number)
        self._changed_by_hand()
        return entry

    # --- rendering ----------------------------------------------------------------------------------
    def _refresh(self, changed_at: datetime | None) -> None:
        rendered: dict[str, list[tuple[dict, datetime]]] = {model: [] for model in MODELS}
        for company in self.companies.values():
            self._render_company(company, rendered)
        history: dict[tuple[str, int], _History] = {}
        records: dict[str, list[dict]] = {}
        for model, rows in rendered.items():
            records[model] = []
            for record, booked in rows:
                key = (model, record["id"])
                fingerprint = _fingerprint(record)
                known = self._history.get(key)
                if known is None:
                    known = _History(changed_at or booked, changed_at or booked, fingerprint)
                elif known.fingerprint != fingerprint:
                    known = _History(known.created, changed_at or max(booked, known.written),
                                     fingerprint)
                history[key] = known
                records[model].append({**record, "create_date": odoo_datetime(known.created),
                                       "write_date": odoo_datetime(known.written)})
        self._history, self._records = history, records

    def _render_company(self, company: Company, out: dict[str, list[tuple[dict, datetime]]]) -> None:
        ledger = self.ledgers[company.id]
        cid = company.id
        company_ref = [cid, company.name]
        first_day = datetime(ledger.profile.fiscal_years[0], 1, 1, 8)
        out["res.company"].append(({
            "id": cid, "name": company.name, "currency_id": list(EUR),
            "country_id": list(company.country),
            "country_code": {165: "NL", 20: "BE"}.get(company.country[0], False),
            "fiscalyear_last_day": company.fiscalyear_last_day,
            "fiscalyear_last_month": company.fiscalyear_last_month, "_company": cid,
        }, first_day))
        # Master data ----------------------------------------------------------------------------
        partners = {}
        for relation in ledger.relations:
            pid = self.record_id("res.partner", (cid, relation.code))
            partners[relation.code] = [pid, relation.name]
            out["res.partner"].append(({
                "id": pid, "name": relation.name, "display_name": relation.name,
                "complete_name": relation.name, "ref": relation.code, "is_company": True,
                "customer_rank": 1 if relation.kind == "customer" else 0,
                "supplier_rank": 1 if relation.kind == "supplier" else 0,
                "company_id": company_ref, "active": True, "_company": cid,
            }, first_day))
        accounts = {}
        for account in ledger.accounts:
            aid = self.record_id("account.account", (cid, account.code))
            kind = account_type(account)
            accounts[account.code] = ([aid, f"{account.code} {account.name}"], kind)
            out["account.account"].append(({
                "id": aid, "code": account.code, "name": account.name, "account_type": kind,
                "reconcile": kind in ("asset_receivable", "liability_payable"),
                "company_ids": [cid], "currency_id": False, "active": True, "_company": cid,
            }, first_day))
        journals = {}
        for sequence, (ledger_type, (code, journal_type, name)) in enumerate(JOURNALS.items()):
            jid = self.record_id("account.journal", (cid, code))
            journals[ledger_type] = ([jid, name], code)
            out["account.journal"].append(({
                "id": jid, "name": name, "code": code, "type": journal_type, "sequence": sequence,
                "company_id": company_ref, "currency_id": False, "active": True, "_company": cid,
            }, first_day))
        analytic = {}
        for plan_id, plan_name, _ in PLANS:
            if cid == min(self.companies):  # plans are shared by every company
                out["account.analytic.plan"].append(({
                    "id": plan_id, "name": plan_name, "complete_name": plan_name,
                    "parent_id": False, "sequence": plan_id, "_company": None,
                }, first_day))
        dimensions = ((PLANS[0], ledger.cost_centres), (PLANS[1], ledger.cost_units),
                      (PLANS[2], ledger.projects))
        for (plan_id, plan_name, field), items in dimensions:
            for item in items:
                key = (cid, field, item.code)
                analytic_id = self.record_id("account.analytic.account", key)
                analytic[(field, item.code)] = analytic_id
                out["account.analytic.account"].append(({
                    "id": analytic_id, "name": item.name, "code": item.code,
                    "plan_id": [plan_id, plan_name], "company_id": company_ref,
                    "active": getattr(item, "end_date", None) is None
                    or item.end_date >= ledger.profile.last_booking_date, "_company": cid,
                }, first_day))
        # Moves and their lines --------------------------------------------------------------------
        residuals = self._residuals(cid)
        for entry in self.served_entries(cid):
            self._render_move(company, entry, "posted", partners, accounts, journals, analytic,
                              residuals, out)
        for index, draft in enumerate(d for d in self._drafts if d.company_id == cid):
            lines = [Line(UUID(int=cid * 1000 + index * 10 + n), n, ledger.chart.account(cat).code,
                          amount, label) for n, (cat, amount, label) in enumerate(draft.lines)]
            entry = Entry(UUID(int=cid * 1000 + index), -1 - index, "90", "general", draft.on,
                          draft.lines[0][2], lines)
            self._render_move(company, entry, draft.state, partners, accounts, journals, analytic,
                              {}, out)

    def _residuals(self, company_id: int) -> dict[UUID, _Matched]:
        """Per control-account line of an open item (an invoice, bill or opening item, and the
        payments and credit notes matched to it): the line that opened the item carries what is
        still open (signed like its balance); the lines matched to it are reconciled. Lines that
        share an item share its matching_number (Odoo 17+): the full reconcile's id once nothing is
        open ("123", and full_reconcile_id), "P" and the first partial reconcile's id while
        something is ("P45"). An item no other line touches has none."""
        ledger = self.ledgers[company_id]
        control = {ledger.chart.account("receivables").code, ledger.chart.account("payables").code}
        groups: dict[tuple, list[tuple[Entry, Line]]] = {}
        for entry, line in ledger.lines():
            if line.account_code in control and line.open_item is not None:
                ref = line.open_item
                groups.setdefault((line.account_code, ref.relation.code, ref.invoice_number),
                                  []).append((entry, line))
        result: dict[UUID, _Matched] = {}
        for key, members in groups.items():
            open_amount = sum((line.amount for _, line in members), Decimal("0.00"))
            last = max(entry.date for entry, _ in members)
            (_, origin), *others = members
            number, full = None, None
            if others and open_amount == 0:
                full = self.record_id("account.full.reconcile", (company_id, *key))
                number = str(full)
            elif others:
                partial = self.record_id("account.partial.reconcile", (company_id, *key))
                number = f"P{partial}"
            result[origin.id] = _Matched(open_amount, open_amount == 0, last, number, full)
            for entry, line in others:
                result[line.id] = _Matched(Decimal("0.00"), True, entry.date, number, full)
        return result

    def _move_name(self, cid: int, entry: Entry, journal_code: str, state: str) -> str | bool:
        if state == "draft":
            return "/"  # Odoo names a move when it is posted
        key = (cid, entry.entry_number)
        if key not in self._move_names:
            sequence_key = (cid, journal_code, entry.date.year)
            self._sequences[sequence_key] = self._sequences.get(sequence_key, 0) + 1
            self._move_names[key] = f"{journal_code}/{entry.date.year}/{self._sequences[sequence_key]:05d}"
        return self._move_names[key]

    def _render_move(self, company: Company, entry: Entry, state: str, partners, accounts, journals,
                     analytic, residuals, out) -> None:
        cid = company.id
        ledger_type = _journal_type(self.ledgers[cid], entry)
        journal_ref, journal_code = journals[ledger_type]
        move_id = self.record_id("account.move", (cid, entry.entry_number))
        name = self._move_name(cid, entry, journal_code, state)
        partner = partners[entry.relation.code] if entry.relation else False
        booked = datetime.combine(entry.date, datetime.min.time()) + timedelta(
            hours=9, seconds=move_id % 3600)
        company_ref = [cid, company.name]
        move_type = MOVE_TYPES.get(entry.entry_type, "entry")
        out["account.move"].append(({
            "id": move_id, "name": name, "move_type": move_type, "state": state,
            "date": entry.date.isoformat(), "ref": entry.your_ref or False,
            "journal_id": journal_ref, "partner_id": partner, "company_id": company_ref,
            "invoice_date": entry.date.isoformat() if move_type != "entry" else False,
            "invoice_date_due": entry.due_date.isoformat() if entry.due_date else False,
            "currency_id": list(EUR), "_company": cid,
        }, booked))
        for line in entry.lines:
            line_id = self.record_id("account.move.line", (cid, line.id))
            account_ref, kind = accounts[line.account_code]
            matched = residuals.get(line.id, _Matched(Decimal(0), False, entry.date))
            receivable_or_payable = kind in ("asset_receivable", "liability_payable")
            distribution = {str(analytic[(field, getattr(line, field))]): 100.0
                            for _, _, field in PLANS if getattr(line, field)}
            amount = line.amount
            out["account.move.line"].append(({
                "id": line_id, "move_id": [move_id, name if name != "/" else f"Draft ({move_id})"],
                "move_name": name, "date": entry.date.isoformat(), "ref": entry.your_ref or False,
                "journal_id": journal_ref, "account_id": account_ref, "partner_id": partner,
                "name": line.description or entry.description,
                "debit": _money(max(amount, Decimal(0))), "credit": _money(max(-amount, Decimal(0))),
                "balance": _money(amount), "amount_currency": _money(amount),
                "currency_id": list(EUR), "company_currency_id": list(EUR),
                "company_id": company_ref, "parent_state": state,
                "analytic_distribution": distribution or False,
                "reconciled": matched.reconciled if receivable_or_payable else False,
                "amount_residual": _money(matched.residual) if receivable_or_payable else 0.0,
                "amount_residual_currency": _money(matched.residual) if receivable_or_payable else 0.0,
                "matching_number": (matched.matching_number or False) if receivable_or_payable
                else False,
                "full_reconcile_id": [matched.full_reconcile, str(matched.full_reconcile)]
                if receivable_or_payable and matched.full_reconcile else False,
                "date_maturity": (entry.due_date or entry.date).isoformat()
                if receivable_or_payable else False,
                "_company": cid,
            }, max(booked, datetime.combine(matched.touched, datetime.min.time()) + timedelta(
                hours=9, seconds=move_id % 3600))))


def _journal_type(ledger: Ledger, entry: Entry) -> str:
    for journal in ledger.journals:
        if journal.code == entry.journal_code:
            return JOURNAL_OF_LEDGER_TYPE[journal.type]
    return "general"


@dataclass(frozen=True)
class _Matched:
    """What a receivable or payable line shows of its reconciliation."""

    residual: Decimal  # amount_residual, signed like the balance
    reconciled: bool
    touched: date  # the last day its reconciliation changed (write_date moves)
    matching_number: str | None = None
    full_reconcile: int | None = None
