"""One Yuki administration's books: the ledger, and what Yuki's calls answer from it.

Yuki deletes a removed booking (its document and transactions are gone) and edits a corrected
one in place (same transaction id), so a client that re-reads a period sees both. Amounts are
signed: debit positive, credit negative (API_FACTS.md section 6: "credit amounts are negative").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from monitr_sandbox.ledger import (
    Entry,
    Ledger,
    Line,
    add_entry,
    apply_day,
    change_line,
    delete_entry,
    generate_ledger,
    open_items,
)
from monitr_sandbox.yuki.domains import YukiAdministration

# Yuki's document types by the ledger's entry types (English names, as the TS connector saw).
DOCUMENT_TYPES = {"opening": "Opening balance", "sales": "Sales invoice",
                  "sales_credit": "Sales credit note", "purchase": "Purchase invoice",
                  "bank": "Bank statement", "depreciation": "Depreciation",
                  "general": "Memorial"}


# GetTransactionDetails' data groups (API_FACTS.md section 6) the sandbox answers fields for.
DATA_GROUPS = frozenset({"contact", "document", "documentmatching", "project", "vat"})


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def xs_date(day: date | None) -> str:
    return f"{day.isoformat()}T00:00:00" if day else ""


@dataclass
class AdministrationBooks:
    administration: YukiAdministration
    ledger: Ledger = field(init=False)

    def __post_init__(self) -> None:
        self.ledger = generate_ledger(self.administration.profile)

    # --- changes ---------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        apply_day(self.ledger, day)

    def add_entry(self, **booking: Any) -> Entry:
        return add_entry(self.ledger, **booking)

    def change_line(self, line_id: Any, **fields: Any) -> Line:
        return change_line(self.ledger, line_id, **fields)

    def delete_entry(self, entry_number: int) -> Entry:
        return delete_entry(self.ledger, entry_number)

    # --- AccountingInfo ---------------------------------------------------------------------------
    def transactions(self, start: date, end: date,
                     data_groups: frozenset[str] = DATA_GROUPS) -> list[dict[str, str]]:
        """TransactionInfo of every line booked from start to end, in date and booking order, with
        the fields of the data groups asked for."""
        ledger, rows = self.ledger, []
        matches = self._matches()
        # By date, then in booking order (sorted is stable; entries are kept in booking order).
        entries = sorted((e for e in ledger.entries.values() if start <= e.date <= end),
                         key=lambda e: e.date)
        for entry in entries:
            relation = entry.relation
            for line in entry.lines:
                reference = (line.open_item.invoice_number if line.open_item
                             else entry.invoice_number)
                matched = matches.get(line.id)
                groups = {
                    "contact": {"contactCode": relation.code if relation else "",
                                "fullName": relation.name if relation else ""},
                    "document": {"documentReference": str(reference) if reference else "",
                                 "documentType": DOCUMENT_TYPES.get(entry.entry_type, "Memorial")},
                    "documentmatching": {"matchDocumentID": matched[0] if matched else "",
                                         "matchType": matched[1] if matched else ""},
                    "project": {"projectCode": line.project_code or ""},
                    "vat": {"vatCode": line.vat_code or ""},
                }
                row = {"id": str(line.id), "documentID": str(entry.id),
                       "transactionDate": xs_date(entry.date),
                       "description": line.description or entry.description,
                       "transactionAmount": money(line.amount),
                       "currency": ledger.profile.currency, "glAccountCode": line.account_code}
                for group, fields in groups.items():
                    if group in data_groups:
                        row.update(fields)
                rows.append(row)
        return rows

    def _matches(self) -> dict[Any, tuple[str, str]]:
        """Every debtor or creditor line -> (the document it is matched with: the one that opened
        its item, an invoice or an opening balance; Debtor or Creditor). Later years' opening
        balances carry the control accounts forward without items, and match nothing."""
        kinds = {self.ledger.chart.account("receivables").code: "Debtor",
                 self.ledger.chart.account("payables").code: "Creditor"}
        opened: dict[tuple[str, str, int], str] = {}
        matches: dict[Any, tuple[str, str]] = {}
        for entry, line in self.ledger.lines():  # booking order: the opening document first
            kind = kinds.get(line.account_code)
            if kind is None or line.open_item is None:
                continue
            key = (kind, line.open_item.relation.code, line.open_item.invoice_number)
            matches[line.id] = (opened.setdefault(key, str(entry.id)), kind)
        return matches

    def accounts(self) -> list[dict[str, str]]:
        """GlAccount: type 1 assets, 2 liabilities and equity, 3 revenue, 4 costs."""
        rows = []
        for account in self.ledger.accounts:
            if account.balance_type == "B":
                kind = 1 if account.balance_side == "D" else 2
            else:
                kind = 3 if account.account_type == "revenue" else 4
            rows.append({"code": account.code, "type": str(kind), "subtype": "0",
                         "isEnabled": "true", "descripton": account.name,
                         "isVATApplicable": "true" if account.vat_level else "false"})
        return rows

    def projects(self) -> list[dict[str, str]]:
        return [{"ID": str(p.id), "code": p.code, "description": p.name,
                 "startDate": xs_date(p.start_date), "endDate": xs_date(p.end_date)}
                for p in self.ledger.projects]

    def periods(self, year: int) -> list[dict[str, str]]:
        return [{"Year": str(p.year), "PeriodNumber": str(p.period),
                 "StartDate": xs_date(p.start), "EndDate": xs_date(p.end)}
                for p in self.ledger.periods if p.year == year]

    # --- Accounting: open items -------------------------------------------------------------------
    def outstanding(self, kind: str, on: date | None = None) -> list[dict[str, str]]:
        """Open receivables (kind 'receivable') or payables, now or on a date; payables credit,
        so negative."""
        sign = 1 if kind == "receivable" else -1
        rows = []
        for item in open_items(self.ledger, on):
            if item.kind != kind:
                continue
            _, line = self.ledger.find_line(item.id)
            entry = self.ledger.entry(item.entry_number)
            rows.append({
                "ID": str(item.id), "Date": xs_date(item.invoice_date),
                "Description": item.description, "Contact": item.relation.name,
                "ContactID": str(item.relation.id), "OpenAmount": money(sign * item.amount),
                "OriginalAmount": money(line.amount),
                "Type": "Sales invoice" if kind == "receivable" else "Purchase invoice",
                "Reference": str(item.invoice_number), "DueDate": xs_date(item.due_date),
                "DocumentID": str(entry.id), "PaymentMethod": "Bank transfer",
            })
        return sorted(rows, key=lambda row: (row["Date"], row["Reference"]))
