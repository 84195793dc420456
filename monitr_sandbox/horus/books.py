"""One Horus folder's books over the ledger: book years with periods, the PCMN chart, analytical
accounts, book entries and their lines (account histories), as the API answers them.

Entries are edited and deleted in place (Horus keeps no reversal trail and no deletion log): a
mutation day's changes stamp `modifiedAt` with that day; a deleted entry and its lines are
simply gone. Opening entries are in period 0 of their year; every earlier year than the last is
closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from monitr_sandbox.horus.installations import Folder
from monitr_sandbox.ledger import Entry, Ledger, Line, apply_day, generate_ledger

BRUSSELS = ZoneInfo("Europe/Brussels")
ZERO = Decimal("0.00")
JOURNAL_TYPES = {"sales": "sales", "purchase": "purchase", "bank": "financial",
                 "general": "miscellaneous", "opening": "opening"}
# Analytical plans: what a line's cost centre, cost unit and project are filed under.
PLANS = (("KP", "Kostenplaatsen", "costCentre"), ("KD", "Kostendragers", "costUnit"),
         ("PRJ", "Projecten", "project"))


def stamp(moment: datetime) -> str:
    """A time as Horus writes it: ISO 8601 with the Brussels offset."""
    return moment.replace(tzinfo=BRUSSELS).isoformat()


def _money(value: Decimal) -> float:
    return float(value)


@dataclass
class FolderBooks:
    folder: Folder
    ledger: Ledger = field(init=False)
    # Entries and lines changed after they were booked: when (a mutation day's evening).
    modified: dict[UUID, datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ledger = generate_ledger(self.folder.profile)

    def apply_day(self, day: int) -> None:
        changes = apply_day(self.ledger, day)
        when = datetime.combine(self.ledger.profile.last_booking_date + timedelta(days=day),
                                time(18, 0))
        for number in changes.added_entries:
            self.modified[self.ledger.entry(number).id] = when
        for line_id in changes.changed_lines:
            entry, _ = self.ledger.find_line(line_id)
            self.modified[line_id] = self.modified[entry.id] = when

    # --- book years -------------------------------------------------------------------------------
    def bookyear_id(self, year: int) -> int:
        return self.folder.id * 10000 + year

    def bookyears(self) -> list[dict[str, Any]]:
        last = self.ledger.fiscal_years[-1]
        years = []
        for year in self.ledger.fiscal_years:
            periods = [{"number": 0, "startDate": f"{year}-01-01", "endDate": f"{year}-01-01"}]
            periods += [{"number": p.period, "startDate": p.start.isoformat(),
                         "endDate": p.end.isoformat()}
                        for p in self.ledger.periods if p.year == year]
            years.append({"id": self.bookyear_id(year), "name": str(year),
                          "startDate": f"{year}-01-01", "endDate": f"{year}-12-31",
                          "closed": year < last, "periods": periods})
        return years

    def year_of(self, bookyear_id: int) -> int | None:
        year = bookyear_id - self.folder.id * 10000
        return year if year in self.ledger.fiscal_years else None

    # --- chart and analytical accounts ------------------------------------------------------------
    def accounts(self) -> list[dict[str, Any]]:
        created = stamp(self.folder.created_at)
        return [{"id": int(a.code), "number": a.code, "name": a.name,
                 "type": "balanceSheet" if a.balance_type == "B" else "profitAndLoss",
                 "nature": "debit" if a.balance_side == "D" else "credit",
                 "class": int(a.code[0]), "isActive": True, "modifiedAt": created}
                for a in self.ledger.accounts]

    def analytic_accounts(self) -> list[dict[str, Any]]:
        created = stamp(self.folder.created_at)
        ledger = self.ledger
        by_plan = {"KP": ledger.cost_centres, "KD": ledger.cost_units, "PRJ": ledger.projects}
        return [{"id": str(item.id), "planCode": code, "planName": name, "planType": kind,
                 "code": item.code, "name": item.name,
                 "isActive": getattr(item, "end_date", None) is None, "modifiedAt": created}
                for code, name, kind in PLANS for item in by_plan[code]]

    # --- book entries and their lines ---------------------------------------------------------------
    def entries(self, year: int | None) -> list[Entry]:
        return [e for e in self.ledger.entries.values() if year is None or e.fiscal_year == year]

    def journal(self, entry: Entry):
        return next(j for j in self.ledger.journals if j.code == entry.journal_code)

    def period(self, entry: Entry) -> int:
        return 0 if entry.entry_type == "opening" else entry.date.month

    def _modified(self, entry: Entry, key: UUID) -> str:
        return stamp(self.modified.get(key) or datetime.combine(entry.date, time(17, 0)))

    def book_entry(self, entry: Entry) -> dict[str, Any]:
        journal = self.journal(entry)
        relation = entry.relation
        return {
            "id": str(entry.id), "bookyearId": self.bookyear_id(entry.fiscal_year),
            "period": self.period(entry), "journalCode": journal.code,
            "journalName": journal.name, "journalType": JOURNAL_TYPES.get(journal.type, "miscellaneous"),
            "number": entry.entry_number, "date": entry.date.isoformat(),
            "description": entry.description,
            "thirdParty": {"code": relation.code, "name": relation.name} if relation else None,
            "documentReference": entry.your_ref or (str(entry.invoice_number)
                                                    if entry.invoice_number else None),
            "dueDate": entry.due_date.isoformat() if entry.due_date else None,
            "currency": self.folder.profile.currency, "lineCount": len(entry.lines),
            "modifiedAt": self._modified(entry, entry.id)}

    def account_history(self, entry: Entry, line: Line) -> dict[str, Any]:
        ref = line.open_item
        analytics = []
        if self.folder.analytics:
            for plan, value in (("KP", line.cost_centre), ("KD", line.cost_unit),
                                ("PRJ", line.project_code)):
                if value:
                    analytics.append({"planCode": plan, "code": value})
        return {
            "id": str(line.id), "bookEntryId": str(entry.id), "lineNumber": line.line_number,
            "bookyearId": self.bookyear_id(entry.fiscal_year), "period": self.period(entry),
            "date": entry.date.isoformat(), "journalCode": entry.journal_code,
            "entryNumber": entry.entry_number, "accountId": int(line.account_code),
            "accountNumber": line.account_code, "description": line.description or entry.description,
            "debit": _money(max(line.amount, ZERO)), "credit": _money(max(-line.amount, ZERO)),
            "currency": self.folder.profile.currency, "amountCurrency": _money(line.amount),
            "vatCode": line.vat_code,
            "vatAmount": _money(line.vat_amount) if line.vat_amount is not None else None,
            "thirdParty": ({"code": ref.relation.code, "name": ref.relation.name}
                           if ref is not None else None),
            "dueDate": ref.due_date.isoformat() if ref is not None else None,
            "analytics": analytics,
            "modifiedAt": self._modified(entry, line.id)}

    def book_entries(self, year: int | None) -> list[dict[str, Any]]:
        return [self.book_entry(e) for e in self.entries(year)]

    def account_histories(self, year: int | None) -> list[dict[str, Any]]:
        return [self.account_history(e, line) for e in self.entries(year) for line in e.lines]

    def folder_record(self) -> dict[str, Any]:
        folder, created = self.folder, stamp(self.folder.created_at)
        return {"id": folder.id, "code": folder.profile.code, "name": folder.name,
                "legalName": folder.name, "companyNumber": folder.company_number,
                "vatNumber": "BE" + folder.company_number.replace(".", ""),
                "country": folder.country, "currency": folder.profile.currency,
                "analytics": folder.analytics, "createdAt": created, "modifiedAt": created}

