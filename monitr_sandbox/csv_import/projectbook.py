"""Deterministic hours and project costs for a sandbox ledger's projects, and their day-k changes.

The ledger has projects but no time sheets; a project administration beside it registers hours
per week and costs per month while a project runs. Everything is drawn from the ledger's seed, so
a restarted sandbox at day k writes the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from monitr_sandbox.ledger import Ledger, names
from monitr_sandbox.ledger.booking import money
from monitr_sandbox.ledger.model import Project

FIRST_NAMES = ("Anouk", "Bram", "Daan", "Eline", "Fleur", "Jens", "Lotte", "Pieter", "Sanne",
               "Wout")
# Activity -> hourly rate in euros.
ACTIVITIES = {"Ontwerp": Decimal(95), "Uitvoering": Decimal(65), "Projectleiding": Decimal(110),
              "Overleg": Decimal(85)}
COST_TYPES = ("Materiaal", "Onderaanneming", "Reiskosten", "Huur materieel")


@dataclass(frozen=True)
class Employee:
    code: str
    name: str


@dataclass(frozen=True)
class HoursRow:
    id: str
    project_code: str
    date: date
    employee: Employee
    activity: str
    hours: Decimal
    billable: bool
    description: str

    @property
    def rate(self) -> Decimal:
        return ACTIVITIES[self.activity]


@dataclass(frozen=True)
class CostRow:
    id: str
    project_code: str
    date: date
    cost_type: str
    description: str
    quantity: Decimal
    amount: Decimal
    supplier_code: str
    supplier_name: str
    document: str


class ProjectBook:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        seed = ledger.profile.seed
        rng = random.Random(f"{seed}:projects")
        self.employees = tuple(Employee(f"M{i + 1:02d}", f"{first} {rng.choice(names.SURNAMES)}")
                               for i, first in enumerate(rng.sample(FIRST_NAMES, 4)))
        self.hours: dict[str, HoursRow] = {}
        self.costs: dict[str, CostRow] = {}
        self._numbers = {"hours": 0, "costs": 0}
        self.day = 0
        last = ledger.profile.last_booking_date
        for project in ledger.projects:
            self._book_project(rng, project, min(project.end_date or last, last))

    def _next_id(self, kind: str) -> str:
        self._numbers[kind] += 1
        return f"{'U' if kind == 'hours' else 'K'}{self._numbers[kind]:06d}"

    def _suppliers(self) -> list:
        return [r for r in self.ledger.relations if r.kind == "supplier"]

    def _book_project(self, rng: random.Random, project: Project, until: date) -> None:
        week = project.start_date - timedelta(days=project.start_date.weekday())
        month = None
        while week <= until:
            for employee in rng.sample(self.employees, rng.randint(1, 2)):
                on = week + timedelta(days=rng.randint(0, 4))
                if project.start_date <= on <= until:
                    self._add_hours(rng, project, on, employee)
            if (week.year, week.month) != month and rng.random() < 0.8:
                month = (week.year, week.month)
                self._add_cost(rng, project, max(week, project.start_date))
            week += timedelta(days=7)

    def _add_hours(self, rng: random.Random, project: Project, on: date, employee: Employee) -> None:
        activity = rng.choice(sorted(ACTIVITIES))
        row = HoursRow(self._next_id("hours"), project.code, on, employee, activity,
                       Decimal(rng.randint(4, 32)) / 4, project.kind != "non_billable",
                       f"{activity} {project.name.lower()}")
        self.hours[row.id] = row

    def _add_cost(self, rng: random.Random, project: Project, on: date) -> None:
        supplier = rng.choice(self._suppliers())
        cost_type = rng.choice(COST_TYPES)
        quantity = Decimal(rng.randint(1, 12))
        row = CostRow(self._next_id("costs"), project.code, on, cost_type,
                      f"{cost_type} {project.name.lower()}", quantity,
                      money(quantity * Decimal(rng.randint(2500, 40000)) / 100),
                      supplier.code, supplier.name, f"{on:%y}{rng.randint(1000, 9999)}")
        self.costs[row.id] = row

    def apply_day(self, day: int) -> None:
        """Day `day`: new hours on two running projects and one new cost, one registration's hours
        corrected and one registration removed (days must be applied in order)."""
        if day != self.day + 1:
            raise ValueError(f"day {day} cannot follow day {self.day}; apply days in order")
        rng = random.Random(f"{self.ledger.profile.seed}:projects:day:{day}")
        on = self.ledger.profile.last_booking_date + timedelta(days=day)
        running = [p for p in self.ledger.projects if p.active_on(on)]
        for project in rng.sample(running, min(2, len(running))):
            self._add_hours(rng, project, on, rng.choice(self.employees))
        if running:
            self._add_cost(rng, rng.choice(running), on)
        this_year = sorted(k for k, row in self.hours.items() if row.date.year == on.year)
        if len(this_year) >= 2:
            changed = rng.choice(this_year)
            row = self.hours[changed]
            self.hours[changed] = replace(row, hours=row.hours + Decimal("0.5"),
                                          description=f"{row.description} (gecorrigeerd dag {day})")
            del self.hours[rng.choice([k for k in this_year if k != changed])]
        self.day = day

