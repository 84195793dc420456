"""A division's time and cost registrations on its projects, project budgets, and their day-k changes.

Exact keeps hours and costs as project transactions (sync/Project/TimeCostTransactions, Type 1 =
time, 2 = cost; fields per Pi-Systems/exact-online src/Entity/Sync/Project/TimeCostTransactions.php,
taken from Exact's reference page SyncProjectTimeCostTransactions). Every registration names an item:
an hour type (time) or a cost item (cost), whose price is the registration's PriceFC; AmountFC =
Quantity x PriceFC in the division's currency. Budgets sit on the project itself (sync/Project/
Projects: SalesTimeQuantity = budgeted hours, BudgetedCosts = budgeted costs in the division's
currency; same source, SyncProjectProjects).

The registrations are the sandbox's project administration beside a ledger (monitr_sandbox/
csv_import/projectbook.py: hours per employee per week while a project runs, a cost in most months,
and each day new hours and a cost, one registration corrected and one removed), seen as Exact
entities: GUIDs for registrations, employees and items, each activity an hour type item at its
rate, each cost type a cost item. Every registration is approved (HourStatus 20 = Final). Budgets
are drawn around what the project used by the last booking date, so some projects overrun; non-
billable projects have none (0, as Exact reports an unset Double). Everything follows the ledger's
seed: a restarted sandbox at day k serves the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.csv_import.projectbook import ACTIVITIES, COST_TYPES, CostRow, HoursRow
from monitr_sandbox.csv_import.projectbook import ProjectBook as Registrations
from monitr_sandbox.ledger import Ledger
from monitr_sandbox.ledger.booking import money
from monitr_sandbox.ledger.ids import stable_id
from monitr_sandbox.ledger.model import Project

TIME, COST = 1, 2  # TimeCostTransactions.Type
HOUR_STATUS_FINAL = 20


@dataclass(frozen=True)
class Item:
    id: UUID
    code: str
    description: str


@dataclass(frozen=True)
class Employee:
    id: UUID
    code: str
    name: str


@dataclass(frozen=True)
class Registration:
    """One time (kind TIME) or cost (kind COST) transaction on a project."""

    id: UUID
    kind: int
    entry_number: int
    project_code: str
    date: date
    item: Item
    quantity: Decimal
    price: Decimal
    employee: Employee | None
    notes: str

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.price)


@dataclass(frozen=True)
class Budget:
    hours: Decimal
    costs: Decimal


@dataclass(frozen=True)
class DayChanges:
    added: list[UUID]
    changed: list[UUID]
    deleted: list[UUID]


class ProjectBook:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self._admin = ledger.profile.code
        self._book = Registrations(ledger)
        self.hour_types = {name: (self._item("UREN", name), rate)
                           for name, rate in ACTIVITIES.items()}
        self.cost_items = {name: self._item("KOST", name) for name in COST_TYPES}
        self.employees = tuple(Employee(stable_id(self._admin, "employee", e.code), e.code, e.name)
                               for e in self._book.employees)
        self._employees = {e.code: e for e in self.employees}
        self.registrations = self._registrations()
        rng = random.Random(f"{ledger.profile.seed}:exact:budgets")
        self.budgets = {p.code: self._budget(rng, p) for p in ledger.projects}

    def _item(self, prefix: str, name: str) -> Item:
        code = f"{prefix}-{name[:4].upper()}"
        return Item(stable_id(self._admin, "item", code), code, name)

    # --- the project administration seen as Exact registrations -------------------------------
    def _registrations(self) -> dict[UUID, Registration]:
        rows = [self._time(row) for row in self._book.hours.values()]
        rows += [self._cost(row) for row in self._book.costs.values()]
        return {row.id: row for row in rows}

    def _time(self, row: HoursRow) -> Registration:
        item, rate = self.hour_types[row.activity]
        return Registration(stable_id(self._admin, "timetransaction", row.id), TIME,
                            int(row.id[1:]), row.project_code, row.date, item, row.hours, rate,
                            self._employees[row.employee.code], row.description)

    def _cost(self, row: CostRow) -> Registration:
        # The cost's amount is quantity x a price in cents, so the price is exact.
        return Registration(stable_id(self._admin, "costtransaction", row.id), COST,
                            int(row.id[1:]), row.project_code, row.date,
                            self.cost_items[row.cost_type], row.quantity,
                            money(row.amount / row.quantity), None, row.description)

    def _budget(self, rng: random.Random, project: Project) -> Budget:
        if project.kind == "non_billable":
            return Budget(Decimal(0), Decimal("0.00"))
        mine = [r for r in self.registrations.values() if r.project_code == project.code]
        hours = sum((r.quantity for r in mine if r.kind == TIME), Decimal(0))
        amount = sum((r.amount for r in mine), Decimal(0))
        factor = Decimal(rng.randint(80, 130)) / 100  # some projects overrun, most do not
        return Budget(Decimal(round(hours * factor)), money(round(amount * factor, -2)))

    # --- a day of registrations -----------------------------------------------------------------
    def apply_day(self, day: int) -> DayChanges:
        """Day `day` of the project administration (days must be applied in order)."""
        before = self.registrations
        self._book.apply_day(day)
        self.registrations = after = self._registrations()
        kept = [key for key in after if key in before]
        return DayChanges(added=[key for key in after if key not in before],
                          changed=[key for key in kept if after[key] != before[key]],
                          deleted=[key for key in before if key not in after])


def registered_at(registration: Registration) -> datetime:
    """When the sandbox pretends a registration was entered: the end of its day."""
    return datetime.combine(registration.date, time(17, 30))
