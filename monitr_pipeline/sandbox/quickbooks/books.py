"""One QuickBooks company's books: the ledger, when each journal entry was written, deleted entries.

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

from monitr_pipeline.sandbox.ledger import (
    AdministrationProfile,
    Entry,
    Ledger,
    Line,
    add_entry,
    apply_day,
    balances,
    change_line,
    delete_entry,
    generate_ledger,
)
from monitr_pipeline.sandbox.quickbooks.objects import QboMapper, Stamp, documents, qbo_time

_COMPANY_TIME_ZONE = ZoneInfo("Europe/Amsterdam")  # where the sandbox company does its books


def _epoch(day: date, hour: int = 17) -> int:
    return int(datetime.combine(day, time(hour), _COMPANY_TIME_ZONE).timestamp())


class CompanyBooks:
    def __init__(self, profile: AdministrationProfile, created_at: int):
        self.ledger: Ledger = generate_ledger(profile)
        entries = list(self.ledger.entries.values())
        # Entered on its booking day, or just before the company reached the sandbox if that day
        # has not come yet: no object is written in the future.
        self._stamps = {entry.entry_number: Stamp(at, at) for entry, at in (
            (entry, min(_epoch(entry.date), created_at - len(entries) + index))
            for index, entry in enumerate(entries))}
        master_at = min(_epoch(date(profile.fiscal_years[0] - 1, 12, 15), 9),
                        created_at - len(entries) - 1)
        self.mapper = QboMapper(self.ledger, self._stamps.__getitem__, Stamp(master_at, master_at))
        self.deleted: dict[int, int] = {}  # entry number -> when it was deleted
        self._version = 0
        self._cache: dict[str, tuple[int, list[dict]]] = {}

    # --- changes ----------------------------------------------------------------------------------
    def _write(self, at: int, added: Iterable[int] = (), changed: Iterable[int] = (),
               deleted: Iterable[int] = ()) -> None:
        for number in added:
            self._stamps[number] = Stamp(at, at)
        for number in changed:
            self._stamps[number] = self._stamps[number].touched(at)
        for number in deleted:
            del self._stamps[number]
            self.deleted[number] = at
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
            current = balances(ledger, ledger.fiscal_years[-1])
            return [mapper.account(a, current.get(a.code, Decimal("0.00"))) for a in ledger.accounts]
        if entity in ("Invoice", "Bill"):
            kind, build = ("receivable", mapper.invoice) if entity == "Invoice" else \
                ("payable", mapper.bill)
            return [build(document) for document in documents(ledger) if document.kind == kind]
        builders = {
            "Class": lambda: [mapper.tracking_class(c.code) for c in ledger.cost_centres],
            "Department": lambda: [mapper.department(u.code) for u in ledger.cost_units],
            "Customer": lambda: [mapper.name_entity(r) for r in ledger.relations
                                 if r.kind == "customer"],
            "Vendor": lambda: [mapper.name_entity(r) for r in ledger.relations
                               if r.kind == "supplier"],
            "JournalEntry": lambda: [mapper.journal_entry(e) for e in ledger.entries.values()],
            "CompanyInfo": lambda: [mapper.company_info()],
            "Preferences": lambda: [mapper.preferences()],
        }
        return builders[entity]()

    def deleted_records(self, entity: str) -> list[dict]:
        """Deleted objects as change data capture shows them: only Id, status and the time."""
        if entity != "JournalEntry":
            return []
        return [{"domain": "QBO", "status": "Deleted", "Id": str(number),
                 "MetaData": {"LastUpdatedTime": qbo_time(at)}}
                for number, at in self.deleted.items()]
