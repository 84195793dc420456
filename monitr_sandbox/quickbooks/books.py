"""One QuickBooks company's books: the ledger, the transaction type of each entry, when each was
written, deleted transactions.

QBO has no year-end closing: an account's balance is the sum of every transaction on it since the
company began, and its reports carry the balance sheet into a new year and close the year's net
income into retained earnings without a transaction. So of the ledger's opening entries only the
first (the balances the company started with) is booked; the later years' ones, positions derived
from the year before, are removed from the company's ledger, as in the Xero sandbox. Booked, they
would count the balance sheet twice: the receivables and payables control accounts would hold the
open invoices and bills once from their own transactions and again from the opening entry.

Times are real ones, as QBO's are: the company's history is entered before the sandbox was first
created (`created_at`, kept in the sandbox state), never later; a bookkeeping day or a test's
change is written at the moment it is applied (the sandbox stores each day's moment, so a restart
replays the same times). Change data capture and LastUpdatedTime filters then work as against QBO.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from monitr_sandbox.ledger import (
    AdministrationProfile,
    Entry,
    Ledger,
    Line,
    add_entry,
    apply_day,
    change_line,
    delete_entry,
    generate_ledger,
)
from monitr_sandbox.quickbooks.objects import QboMapper, Stamp, documents, qbo_time
from monitr_sandbox.quickbooks.transactions import (
    TRANSACTION_ENTITIES,
    TransactionMapper,
    transaction_entity,
)

ZERO = Decimal("0.00")
_COMPANY_TIME_ZONE = ZoneInfo("Europe/Amsterdam")  # where the sandbox company does its books


def _epoch(day: date, hour: int = 17) -> int:
    return int(datetime.combine(day, time(hour), _COMPANY_TIME_ZONE).timestamp())


class CompanyBooks:
    def __init__(self, profile: AdministrationProfile, created_at: int):
        self.ledger: Ledger = generate_ledger(profile)
        first_year = self.ledger.fiscal_years[0]
        for number in [entry.entry_number for entry in self.ledger.entries.values()
                       if entry.entry_type == "opening" and entry.fiscal_year != first_year]:
            self.ledger.remove(number)
        entries = list(self.ledger.entries.values())
        # Entered on its booking day, or just before the company reached the sandbox if that day
        # has not come yet: no object is written in the future.
        self._stamps = {entry.entry_number: Stamp(at, at) for entry, at in (
            (entry, min(_epoch(entry.date), created_at - len(entries) + index))
            for index, entry in enumerate(entries))}
        master_at = min(_epoch(date(profile.fiscal_years[0] - 1, 12, 15), 9),
                        created_at - len(entries) - 1)
        self.mapper = QboMapper(self.ledger, self._stamps.__getitem__, Stamp(master_at, master_at))
        self.transactions = TransactionMapper(self.mapper)
        # A transaction keeps the type it was created with, as QBO objects do.
        self.entity_of = {number: transaction_entity(entry, self.ledger.chart)
                          for number, entry in self.ledger.entries.items()}
        self.deleted: dict[int, tuple[int, str]] = {}  # entry number -> (when, its entity)
        self._version = 0
        self._cache: dict[str, tuple[int, list[dict]]] = {}

    # --- changes ----------------------------------------------------------------------------------
    def _write(self, at: int, added: Iterable[int] = (), changed: Iterable[int] = (),
               deleted: Iterable[int] = ()) -> None:
        for number in added:
            self._stamps[number] = Stamp(at, at)
            self.entity_of[number] = transaction_entity(self.ledger.entry(number), self.ledger.chart)
        for number in changed:
            self._stamps[number] = self._stamps[number].touched(at)
        for number in deleted:
            del self._stamps[number]
            self.deleted[number] = (at, self.entity_of.pop(number))
        self._version += 1

    def apply_day(self, day: int, at: int) -> None:
        changes = apply_day(self.ledger, day)
        changed = {self.ledger.find_line(line_id)[0].entry_number for line_id in changes.changed_lines}
        self._write(at, changes.added_entries, changed - set(changes.added_entries),
                    changes.deleted_entries)

    def add_entry(self, at: int, **kwargs) -> Entry:
        entry = add_entry(self.ledger, **kwargs)
        self._write(at, added=[entry.entry_number])
        return entry

    def change_line(self, at: int, line_id: UUID | str, **fields) -> Line:
        line = change_line(self.ledger, line_id, **fields)
        self._write(at, changed=[self.ledger.find_line(line.id)[0].entry_number])
        return line

    def change_date(self, at: int, entry_number: int, on: date) -> Entry:
        """Re-date a transaction, as QBO allows: its lines move to the new date with it."""
        entry = self.ledger.entry(entry_number)
        entry.date = on
        self._write(at, changed=[entry_number])
        return entry

    def delete_entry(self, at: int, entry_number: int) -> Entry:
        entry = delete_entry(self.ledger, entry_number)
        self._write(at, deleted=[entry_number])
        return entry

    # --- objects ----------------------------------------------------------------------------------
    def records(self, entity: str) -> list[dict]:
        """Every object of an entity as the API shows it, cached until the next change."""
        cached = self._cache.get(entity)
        if cached and cached[0] == self._version:
            return cached[1]
        records = self._build(entity)
        self._cache[entity] = (self._version, records)
        return records

    def _build(self, entity: str) -> list[dict]:
        mapper, ledger = self.mapper, self.ledger
        if entity == "Account":
            # Every transaction since the company began: QBO carries balances across years.
            current: dict[str, Decimal] = {}
            for _, line in ledger.lines():
                current[line.account_code] = current.get(line.account_code, ZERO) + line.amount
            return [mapper.account(a, current.get(a.code, ZERO)) for a in ledger.accounts]
        if entity in ("Invoice", "Bill"):
            kind, build = ("receivable", mapper.invoice) if entity == "Invoice" else \
                ("payable", mapper.bill)
            return [build(document) for document in documents(ledger) if document.kind == kind]
        if entity in TRANSACTION_ENTITIES:
            build = mapper.journal_entry if entity == "JournalEntry" else \
                self.transactions.builders.get(entity)
            return [build(entry) for entry, _ in self.transactions_of(entity)] if build else []
        builders = {
            "Class": lambda: [mapper.tracking_class(c.code) for c in ledger.cost_centres],
            "Department": lambda: [mapper.department(u.code) for u in ledger.cost_units],
            "Customer": lambda: [mapper.name_entity(r) for r in ledger.relations
                                 if r.kind == "customer"],
            "Vendor": lambda: [mapper.name_entity(r) for r in ledger.relations
                               if r.kind == "supplier"],
            "CompanyInfo": lambda: [mapper.company_info()],
            "Preferences": lambda: [mapper.preferences()],
        }
        return builders[entity]()

    def transactions_of(self, entity: str | None = None) -> list[tuple[Entry, str]]:
        """(entry, its entity) for every transaction, or those of one entity, in booking order."""
        return [(entry, self.entity_of[number]) for number, entry in self.ledger.entries.items()
                if entity is None or self.entity_of[number] == entity]

    def deleted_records(self, entity: str) -> list[dict]:
        """Deleted objects as change data capture shows them: only Id, status and the time."""
        return [{"domain": "QBO", "status": "Deleted", "Id": str(number),
                 "MetaData": {"LastUpdatedTime": qbo_time(at)}}
                for number, (at, deleted_entity) in self.deleted.items() if deleted_entity == entity]
