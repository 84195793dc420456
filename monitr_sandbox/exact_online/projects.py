"""A division's time and cost registrations on its projects, project budgets, and their day-k changes.

Exact keeps hours and costs as project transactions (sync/Project/TimeCostTransactions, Type 1 =
time, 2 = cost; fields per Pi-Systems/exact-online src/Entity/Sync/Project/TimeCostTransactions.php,
taken from Exact's reference page SyncProjectTimeCostTransactions). Every registration names an item:
an hour type (time) or a cost item (cost), whose price is the registration's PriceFC; AmountFC =
Quantity x PriceFC in the division's currency. Budgets sit on the project itself (sync/Project/
Projects: SalesTimeQuantity = budgeted hours, BudgetedCosts = budgeted costs in the division's
currency; same source, SyncProjectProjects).

Sandbox choices: 3 or 4 employees per division, 1-2 registrations per running project per week
(1-8 hours in quarter hours, weekdays), one cost registration in 4 of 5 months; every registration
is approved (HourStatus 20 = Final). Budgets are drawn around what the project will have used,
so some projects overrun; non-billable projects have none (0, as Exact reports an unset Double).
Everything is drawn from the ledger's seed: a restarted sandbox at day k serves the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.ledger import Ledger, names
from monitr_sandbox.ledger.booking import money
from monitr_sandbox.ledger.ids import stable_id
from monitr_sandbox.ledger.model import Project

TIME, COST = 1, 2  # TimeCostTransactions.Type
HOUR_STATUS_FINAL = 20
# Hour types (code, description, hourly rate) and cost items (code, description); rates in the
# division's currency.
HOUR_TYPES = (("UREN-ONT", "Ontwerp", Decimal(95)), ("UREN-UIT", "Uitvoering", Decimal(65)),
              ("UREN-PL", "Projectleiding", Decimal(110)), ("UREN-OVL", "Overleg", Decimal(85)))
COST_ITEMS = (("KOST-MAT", "Materiaal"), ("KOST-OA", "Onderaanneming"),
              ("KOST-REIS", "Reiskosten"), ("KOST-HUUR", "Huur materieel"))
_FIRST_NAMES = ("Anouk", "Bram", "Daan", "Eline", "Fleur", "Jens", "Lotte", "Pieter", "Sanne", "Wout")


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
        admin = ledger.profile.code
        rng = random.Random(f"{ledger.profile.seed}:exact:projects")
        self.hour_types = {code: (Item(stable_id(admin, "item", code), code, text), rate)
                           for code, text, rate in HOUR_TYPES}
        self.cost_items = [Item(stable_id(admin, "item", code), code, text)
                           for code, text in COST_ITEMS]
        self.employees = tuple(
            Employee(stable_id(admin, "employee", f"{i + 1}"), f"{i + 1}",
                     f"{first} {rng.choice(names.SURNAMES)}")
            for i, first in enumerate(rng.sample(_FIRST_NAMES, rng.randint(3, 4))))
        self.registrations: dict[UUID, Registration] = {}
        self._entry_numbers = 0
        self.day = 0
        last = ledger.profile.last_booking_date
        for project in ledger.projects:
            self._book_project(rng, project, min(project.end_date or last, last))
        self.budgets = {p.code: self._budget(rng, p) for p in ledger.projects}

    # --- generation ---------------------------------------------------------------------------
    def _book_project(self, rng: random.Random, project: Project, until: date) -> None:
        week = project.start_date - timedelta(days=project.start_date.weekday())
        month = None
        while week <= until:
            for employee in rng.sample(self.employees, rng.randint(1, 2)):
                on = week + timedelta(days=rng.randint(0, 4))
                if project.start_date <= on <= until:
                    self._add_time(rng, project, on, employee)
            if (week.year, week.month) != month and rng.random() < 0.8:
                month = (week.year, week.month)
                self._add_cost(rng, project, max(week, project.start_date))
            week += timedelta(days=7)

    def _add(self, registration: Registration) -> UUID:
        self.registrations[registration.id] = registration
        return registration.id

    def _next_entry(self) -> int:
        self._entry_numbers += 1
        return self._entry_numbers

    def _add_time(self, rng: random.Random, project: Project, on: date, employee: Employee) -> UUID:
        item, rate = self.hour_types[rng.choice(sorted(self.hour_types))]
        number = self._next_entry()
        return self._add(Registration(
            stable_id(self.ledger.profile.code, "timetransaction", number), TIME, number,
            project.code, on, item, Decimal(rng.randint(4, 32)) / 4, rate, employee,
            f"{item.description} {project.name.lower()}"))

    def _add_cost(self, rng: random.Random, project: Project, on: date) -> UUID:
        item = rng.choice(self.cost_items)
        number = self._next_entry()
        return self._add(Registration(
            stable_id(self.ledger.profile.code, "costtransaction", number), COST, number,
            project.code, on, item, Decimal(rng.randint(1, 12)),
            money(Decimal(rng.randint(2500, 40000)) / 100), rng.choice(self.employees),
            f"{item.description} {project.name.lower()}"))

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
        """Day `day`: hours on two running projects and one cost, one registration's hours
        corrected (+0.5) and another registration removed (days must be applied in order)."""
        if day != self.day + 1:
            raise ValueError(f"day {day} cannot follow day {self.day}; apply days in order")
        rng = random.Random(f"{self.ledger.profile.seed}:exact:projects:day:{day}")
        on = self.ledger.profile.last_booking_date + timedelta(days=day)
        running = [p for p in self.ledger.projects if p.active_on(on)]
        added = [self._add_time(rng, project, on, rng.choice(self.employees))
                 for project in rng.sample(running, min(2, len(running)))]
        if running:
            added.append(self._add_cost(rng, rng.choice(running), on))
        hours = sorted((r for r in self.registrations.values()
                        if r.kind == TIME and r.date.year == on.year and r.id not in added),
                       key=lambda r: r.entry_number)
        changed, deleted = [], []
        if len(hours) >= 2:
            target = rng.choice(hours)
            self.registrations[target.id] = replace(
                target, quantity=target.quantity + Decimal("0.5"),
                notes=f"{target.notes} (gecorrigeerd dag {day})")
            changed.append(target.id)
            gone = rng.choice([r for r in hours if r.id != target.id])
            del self.registrations[gone.id]
            deleted.append(gone.id)
        self.day = day
        return DayChanges(added, changed, deleted)


def registered_at(registration: Registration) -> datetime:
    """When the sandbox pretends a registration was entered: the end of its day."""
    return datetime.combine(registration.date, time(17, 30))
