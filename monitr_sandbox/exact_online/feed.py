"""One division's data as Exact serves it: the ledger, deterministic sync Timestamps, the deletion log.

Timestamps are rowversions, unrelated to wall-clock time (API_FACTS.md section 1). The sandbox
derives them from the ledger's history so a restarted emulator at day k serves the same values:
`TIMESTAMP_BASE + day * DAY_BLOCK + n`, where n numbers the rows written that day in a fixed
order (base data: GL accounts, projects, lines in booking order, then time and cost registrations
by date; a mutation day: added lines, changed lines, deletions, then the project book's added,
changed and deleted registrations). Test-driven changes (add/change/delete) take numbers from MANUAL_OFFSET
in the current day's block, so the next day's changes still sort after them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from uuid import UUID

from monitr_sandbox.exact_online.data import (
    SANDBOX_USER_ID,
    ExactMapper,
    Stamp,
    booked_at,
    gl_account_id,
    reference_time,
)
from monitr_sandbox.exact_online.environments import Division
from monitr_sandbox.exact_online.project_rows import budget_fields, time_cost_transaction
from monitr_sandbox.exact_online.projects import COST, TIME, ProjectBook, registered_at
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
from monitr_sandbox.ledger.ids import stable_id

# Above Int32, like Exact's rowversions: clients must treat Timestamps as Int64 (the `L` literal).
TIMESTAMP_BASE = 10_000_000_000
DAY_BLOCK = 10_000_000
MANUAL_OFFSET = 5_000_000
ENTITY_TRANSACTION_LINES = 1  # sync/Deleted EntityType codes (API_FACTS.md section 1)
ENTITY_TIME_COST_TRANSACTIONS = 14


class DivisionFeed:
    def __init__(self, division: Division):
        self.division = division
        self.ledger: Ledger = generate_ledger(division.profile)
        self.projects = ProjectBook(self.ledger)
        self.mapper = ExactMapper(self.ledger, division, self._stamp_of)
        self._stamps: dict[UUID, Stamp] = {}
        self.deleted: list[dict] = []
        self._manual = itertools.count(1)
        self._version = 0
        self._cache: dict[str, tuple[int, list[dict]]] = {}
        self._stamp_base()

    # --- stamping -------------------------------------------------------------------------------
    def _stamp_of(self, row_id: UUID) -> Stamp:
        return self._stamps[row_id]

    @staticmethod
    def _timestamp(day: int, sequence: int) -> int:
        return TIMESTAMP_BASE + day * DAY_BLOCK + sequence

    def _day_time(self, day: int, hour: int = 17) -> datetime:
        return datetime.combine(self.ledger.profile.last_booking_date + timedelta(days=day), time(hour))

    def _stamp_base(self) -> None:
        numbers = itertools.count(1)
        created = reference_time(self.ledger)
        for account in self.ledger.accounts:
            self._stamps[gl_account_id(self.ledger, account.code)] = Stamp(
                self._timestamp(0, next(numbers)), created)
        for project in self.ledger.projects:
            self._stamps[project.id] = Stamp(self._timestamp(0, next(numbers)), created)
        for entry in self.ledger.entries.values():  # booking order: by date, openings first
            for line in entry.lines:
                self._stamps[line.id] = Stamp(self._timestamp(0, next(numbers)), booked_at(entry))
        for registration in sorted(self.projects.registrations.values(),
                                   key=lambda r: (r.date, r.entry_number)):
            self._stamps[registration.id] = Stamp(self._timestamp(0, next(numbers)),
                                                  registered_at(registration))

    def _write(self, day: int, numbers: Iterable[int], hour: int, changed: list[UUID],
               deleted: list[UUID], deleted_type: int = ENTITY_TRANSACTION_LINES) -> None:
        """Stamp changed rows, then log deletions, in order; every write gets the next number
        (pass one iterator to several writes of a day to keep numbering on)."""
        numbers = iter(numbers)
        for row_id in changed:
            number = next(numbers)
            self._stamps[row_id] = Stamp(self._timestamp(day, number),
                                         self._day_time(day, hour) + timedelta(seconds=number % 3600))
        for row_id in deleted:
            number = next(numbers)
            self._stamps.pop(row_id, None)
            when = self._day_time(day, hour) + timedelta(seconds=number % 3600)
            self.deleted.append({
                "ID": stable_id(self.ledger.profile.code, "deleted", row_id),
                "DeletedBy": SANDBOX_USER_ID, "DeletedDate": when, "Division": self.division.code,
                "EntityKey": row_id, "EntityType": deleted_type,
                "Timestamp": self._timestamp(day, number),
            })
        self._version += 1

    def _write_manual(self, changed: list[UUID] = (), deleted: list[UUID] = ()) -> None:
        numbers = (MANUAL_OFFSET + next(self._manual) for _ in itertools.count())
        self._write(self.ledger.day, numbers, 18, list(changed), list(deleted))

    # --- changes ----------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        changes = apply_day(self.ledger, day)
        added = [line.id for number in changes.added_entries
                 for line in self.ledger.entry(number).lines]
        numbers = itertools.count(1)
        self._write(day, numbers, 17, added + list(changes.changed_lines),
                    list(changes.deleted_lines))
        registrations = self.projects.apply_day(day)
        self._write(day, numbers, 17, registrations.added + registrations.changed,
                    registrations.deleted, ENTITY_TIME_COST_TRANSACTIONS)
        self._manual = itertools.count(1)  # a new day, a new block

    def add_entry(self, **kwargs) -> Entry:
        entry = add_entry(self.ledger, **kwargs)
        self._write_manual(changed=[line.id for line in entry.lines])
        return entry

    def change_line(self, line_id: UUID | str, **fields) -> Line:
        line = change_line(self.ledger, line_id, **fields)
        self._write_manual(changed=[line.id])
        return line

    def delete_entry(self, entry_number: int) -> Entry:
        entry = delete_entry(self.ledger, entry_number)
        self._write_manual(deleted=[line.id for line in entry.lines])
        return entry

    # --- rows -----------------------------------------------------------------------------------
    def rows(self, entity: str) -> list[dict]:
        """All rows of an entity, cached until the next change; sync rows sorted by Timestamp."""
        cached = self._cache.get(entity)
        if cached and cached[0] == self._version:
            return cached[1]
        rows = self._build(entity)
        self._cache[entity] = (self._version, rows)
        return rows

    def _build(self, entity: str) -> list[dict]:
        mapper, ledger = self.mapper, self.ledger
        builders = {
            "TransactionLines": lambda: _by_timestamp(
                mapper.transaction_line(entry, line) for entry, line in ledger.lines()),
            "GLAccounts": lambda: _by_timestamp(mapper.gl_account(a.code) for a in ledger.accounts),
            "Projects": lambda: _by_timestamp(
                {**mapper.project(p.code), **budget_fields(self.projects.budgets[p.code])}
                for p in ledger.projects),
            "TimeCostTransactions": lambda: _by_timestamp(self._registrations()),
            "TimeTransactions": lambda: [r for r in self._registrations() if r["Type"] == TIME],
            "CostTransactions": lambda: [r for r in self._registrations() if r["Type"] == COST],
            "Deleted": lambda: list(self.deleted),  # appended in Timestamp order
            "Costcenters": mapper.cost_centres,
            "Costunits": mapper.cost_units,
            # Depreciation is booked up to the last booking date; mutation days do not book any.
            "Assets": lambda: mapper.assets(as_of=ledger.profile.last_booking_date),
            "FinancialPeriods": mapper.financial_periods,
            "ReceivablesList": lambda: mapper.open_items("receivable"),
            "PayablesList": lambda: mapper.open_items("payable"),
            "GLAccountClassificationMappings": mapper.classification_mappings,
        }
        return builders[entity]()

    def _registrations(self) -> list[dict]:
        return [time_cost_transaction(self.ledger, self.division, registration,
                                      self._stamps[registration.id])
                for registration in self.projects.registrations.values()]


def _by_timestamp(rows: Iterable[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: row["Timestamp"])
