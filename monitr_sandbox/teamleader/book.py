"""The account's records, generated from each department's seed over the 18 months before day 0
(2026-12-01) and changed day by day: deals move through phases and are won, lost, deleted and
added; subscriptions are deactivated and added; time is tracked on projects and an entry
deleted. Everything is a plain dataclass the app renders and the tests read."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from monitr_sandbox.teamleader.account import (
    DEPARTMENTS,
    PIPELINES,
    USERS,
    Department,
    phase,
    sandbox_id,
)

DAY_ZERO = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HISTORY_DAYS = 540  # about 18 months
CENT = Decimal("0.01")


def moment_of_day(day: int) -> datetime:
    """The emulator's clock on a sandbox day: noon UTC, day 0 being 2026-12-01."""
    return DAY_ZERO + timedelta(days=day)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class Deal:
    id: str
    department: str
    title: str
    reference: str
    customer: str
    pipeline: str
    phase: str
    status: str  # open, won, lost
    amount: Decimal
    currency: str
    probability: Decimal
    closing_date: date
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    user: str


@dataclass
class Subscription:
    id: str
    department: str
    title: str
    customer: str
    status: str  # active, deactivated
    starts_on: date
    ends_on: date | None
    unit: str  # week, month, year
    period: int
    amount: Decimal  # tax exclusive, one billing cycle
    currency: str
    created_at: datetime


@dataclass
class Project:
    id: str
    key: int
    department: str
    title: str
    customer: str
    status: str  # open, closed
    start_date: date
    end_date: date | None
    time_budget_seconds: int | None
    internal_budget: Decimal | None
    external_budget: Decimal | None
    hourly_rate: Decimal


@dataclass
class TimeEntry:
    id: str
    project: str
    user: str
    started_on: date
    started_at: datetime
    duration: int  # seconds
    description: str
    invoiceable: bool
    hourly_rate: Decimal
    currency: str


@dataclass
class Material:
    """A material used on a project (new projects module): its quantity at a unit cost and
    unit price, dated by its start date."""

    id: str
    project: str
    title: str
    quantity: Decimal
    unit_cost: Decimal
    unit_price: Decimal
    start_date: date
    status: str  # to_do, in_progress, on_hold, done


@dataclass
class Book:
    """Every record of the account, by id, in creation order."""

    deals: dict[str, Deal] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    time_entries: dict[str, TimeEntry] = field(default_factory=dict)
    materials: dict[str, Material] = field(default_factory=dict)
    _serial: int = 0

    @classmethod
    def generated(cls) -> Book:
        book = cls()
        for dept in DEPARTMENTS:
            rng = random.Random(dept.seed)
            for _ in range(110):
                book._new_deal(rng, dept, DAY_ZERO - timedelta(
                    days=rng.randint(1, HISTORY_DAYS), minutes=rng.randint(0, 600)))
            for _ in range(24):
                book._new_subscription(rng, dept, DAY_ZERO - timedelta(
                    days=rng.randint(20, HISTORY_DAYS)))
            for _ in range(6):
                book._new_project(rng, dept)
        return book

    def _next(self, kind: str) -> str:
        self._serial += 1
        return sandbox_id(kind, self._serial)

    # --- deals -----------------------------------------------------------------------------------
    def _new_deal(self, rng: random.Random, dept: Department, created: datetime) -> Deal:
        pipeline = rng.choice(PIPELINES)
        current = rng.choice(pipeline.phases)
        amount = Decimal(rng.randint(40_000, 2_500_000)) / 100
        closing = created.date() + timedelta(days=rng.randint(20, 150))
        deal = Deal(self._next("deal"), dept.id, f"{rng.choice(_DEAL_TITLES)} {self._serial}",
                    f"{created.year}/{self._serial}", sandbox_id("company", rng.randint(1, 60)),
                    pipeline.id, current.id, "open", amount, dept.currency,
                    current.probability, closing, None, created, created, rng.choice(USERS))
        age = (DAY_ZERO - created).days
        if age > 45 and rng.random() < 0.7:
            closed = created + timedelta(days=rng.randint(5, min(age - 1, 120)),
                                         hours=rng.randint(0, 5))
            deal.status = "won" if rng.random() < 0.55 else "lost"
            deal.closed_at = deal.updated_at = closed
        self.deals[deal.id] = deal
        return deal

    # --- subscriptions ---------------------------------------------------------------------------
    def _new_subscription(self, rng: random.Random, dept: Department, created: datetime
                          ) -> Subscription:
        unit, period = rng.choice((("month", 1), ("month", 1), ("month", 3), ("year", 1),
                                   ("week", 1), ("week", 2)))
        base = {"week": (2_500, 9_000), "month": (4_000, 60_000), "year": (60_000, 480_000)}
        amount = Decimal(rng.randint(*base[unit])) / 100 * (period if unit == "month" else 1)
        sub = Subscription(self._next("subscription"), dept.id,
                           f"{rng.choice(_SUBSCRIPTION_TITLES)} {self._serial}",
                           sandbox_id("company", rng.randint(1, 60)), "active", created.date(),
                           None, unit, period, amount.quantize(CENT), dept.currency, created)
        if rng.random() < 0.3 and (DAY_ZERO - created).days > 90:
            sub.status = "deactivated"
            age = (DAY_ZERO - created).days
            sub.ends_on = created.date() + timedelta(days=rng.randint(60, age - 2))
        elif rng.random() < 0.2:
            sub.ends_on = DAY_ZERO.date() + timedelta(days=rng.randint(30, 400))
        self.subscriptions[sub.id] = sub
        return sub

    # --- projects --------------------------------------------------------------------------------
    def _new_project(self, rng: random.Random, dept: Department) -> Project:
        start = DAY_ZERO.date() - timedelta(days=rng.randint(30, HISTORY_DAYS))
        closed = rng.random() < 0.4 and (DAY_ZERO.date() - start).days > 120
        end = start + timedelta(days=rng.randint(60, 110)) if closed else None
        hours = rng.choice((None, 40, 80, 120, 200))
        project = Project(self._next("project"), len(self.projects) + 1, dept.id,
                          f"{rng.choice(_PROJECT_TITLES)} {len(self.projects) + 1}",
                          sandbox_id("company", rng.randint(1, 60)),
                          "closed" if closed else "open", start, end,
                          hours * 3600 if hours else None,
                          Decimal(rng.randint(20, 150) * 100) if rng.random() < 0.7 else None,
                          Decimal(rng.randint(30, 200) * 100) if rng.random() < 0.5 else None,
                          Decimal(rng.choice((65, 75, 85, 95))))
        self.projects[project.id] = project
        last = min(end or DAY_ZERO.date(), DAY_ZERO.date() - timedelta(days=1))
        for _ in range(rng.randint(15, 45)):
            day = start + timedelta(days=rng.randint(0, max((last - start).days, 0)))
            self._new_entry(rng, project, day)
        for _ in range(rng.randint(0, 4)):
            day = start + timedelta(days=rng.randint(0, max((last - start).days, 0)))
            self._new_material(rng, project, day)
        return project

    def _new_material(self, rng: random.Random, project: Project, day: date) -> Material:
        cost = Decimal(rng.randint(500, 40_000)) / 100
        material = Material(self._next("material"), project.id, rng.choice(_MATERIALS),
                            Decimal(rng.randint(1, 40)) / 2, cost,
                            (cost * Decimal("1.35")).quantize(CENT), day,
                            "done" if day < DAY_ZERO.date() - timedelta(days=14)
                            else "in_progress")
        self.materials[material.id] = material
        return material

    def _new_entry(self, rng: random.Random, project: Project, day: date) -> TimeEntry:
        started = datetime(day.year, day.month, day.day, rng.randint(7, 15),
                           rng.choice((0, 15, 30, 45)), tzinfo=UTC)
        entry = TimeEntry(self._next("time"), project.id, rng.choice(USERS), day, started,
                          rng.randint(2, 32) * 900, rng.choice(_ACTIVITIES),
                          rng.random() < 0.8, project.hourly_rate, "EUR")
        self.time_entries[entry.id] = entry
        return entry

    # --- a day of changes ------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        now = moment_of_day(day) - timedelta(hours=2)
        for dept in DEPARTMENTS:
            rng = random.Random(dept.seed * 1000 + day)
            own = [d for d in self.deals.values() if d.department == dept.id]
            for deal in rng.sample([d for d in own if d.status == "open"], 2):
                self._move_on(rng, deal, now)
            gone = rng.choice(own)
            del self.deals[gone.id]
            self._new_deal(rng, dept, now - timedelta(minutes=rng.randint(1, 90)))
            subs = [s for s in self.subscriptions.values()
                    if s.department == dept.id and s.status == "active"]
            ended = rng.choice(subs)
            ended.status, ended.ends_on = "deactivated", now.date() - timedelta(days=1)
            self._new_subscription(rng, dept, now)
            projects = [p for p in self.projects.values()
                        if p.department == dept.id and p.status == "open"]
            for project in projects:
                self._new_entry(rng, project, now.date() - timedelta(days=1))
            entries = [e for e in self.time_entries.values()
                       if self.projects[e.project].department == dept.id]
            del self.time_entries[rng.choice(entries).id]
            if projects:
                self._new_material(rng, rng.choice(projects), now.date())

    def _move_on(self, rng: random.Random, deal: Deal, now: datetime) -> None:
        pipeline, current = phase(deal.phase)
        index = pipeline.phases.index(current)
        if index + 1 < len(pipeline.phases) and rng.random() < 0.6:
            following = pipeline.phases[index + 1]
            deal.phase, deal.probability = following.id, following.probability
        else:
            deal.status = "won" if rng.random() < 0.6 else "lost"
            deal.closed_at = now
        deal.updated_at = now


_DEAL_TITLES = ("Huwelijksfeest", "Bedrijfsreceptie", "Leverancierscontract", "Foodtruck",
                "Personeelsfeest", "Wekelijkse levering", "Communiefeest", "Seminarielunch")
_SUBSCRIPTION_TITLES = ("Onderhoud frituurinstallatie", "Wekelijkse broodlevering",
                        "Bierleverancier contract", "Kassasysteem licentie", "Schoonmaak")
_PROJECT_TITLES = ("Verbouwing keuken", "Nieuwe menukaart", "Terrasinrichting",
                   "Opleiding personeel", "Webwinkel", "HACCP-audit")
_MATERIALS = ("Inox werkbank", "Frituurolie 20 l", "Tegels", "Verlichting terras",
              "Kassarol thermisch", "Afzuigfilter")
_ACTIVITIES = ("Voorbereiding", "Overleg klant", "Uitvoering", "Opvolging", "Administratie")
