"""The sandbox's Nmbrs companies and their employees' histories: deterministic from a seed per
company, over about two years (hires, leavers, re-hires, part-time changes, yearly raises,
department moves), in Nmbrs' REST shapes. Names exist here and in the API only.

Day 1 at Nmbrs (`apply_day`): a raise, a department move and a removed re-hire employment;
day 2: a leaver deleted with every history."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SANDBOX_CLIENT_ID = "monitr-sandbox-nmbrs"
SANDBOX_CLIENT_SECRET = "nmbrs-sandbox-client-secret"
SANDBOX_SUBSCRIPTION_KEY = "nmbrs-sandbox-subscription-key"
DEBTOR_ID = "5b0e6a3c-7d41-4f2a-9c1e-2f8d4b6a9e10"
_NAMESPACE = uuid.UUID("9f3c2a61-4b7e-4d21-8a55-0c6e7f1b2d34")
# Histories end here; nothing is dated later.
HISTORY_END = date(2026, 11, 30)
HIRES_FROM = date(2025, 1, 1)

_FIRST = ("Daan", "Sanne", "Lucas", "Emma", "Bram", "Julia", "Sem", "Lotte", "Thijs", "Anouk",
          "Ruben", "Fleur", "Jesse", "Eva", "Niels", "Iris", "Stijn", "Noor", "Koen", "Femke")
_LAST = (("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"),
         ("van", "Leeuwen"), ("", "Visser"), ("", "Smits"), ("de", "Graaf"), ("", "Mulder"),
         ("van der", "Meer"), ("", "Bos"), ("", "Dekker"), ("", "Hendriks"), ("", "Kok"))
_PERCENTAGES = (100, 100, 100, 80, 80, 60, 50, 40)


@dataclass(frozen=True)
class CompanyProfile:
    number: int
    name: str
    seed: int
    departments: tuple[tuple[str, str], ...]
    employees: int

    @property
    def company_id(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"company/{self.number}"))


SANDBOX_COMPANIES = (
    CompanyProfile(1, "Koffiebranderij Van Dijk B.V.", 150_101,
                   (("BRD", "Branderij"), ("VRK", "Verkoop"), ("ADM", "Administratie")), 12),
    CompanyProfile(2, "Fietsenmakerij De Boer", 150_202,
                   (("WPL", "Werkplaats"), ("WNK", "Winkel")), 7),
    CompanyProfile(3, "Banketbakkerij Smit B.V.", 150_303,
                   (("BAK", "Bakkerij"), ("WNK", "Winkel"), ("BEZ", "Bezorging")), 10),
)


def _iso(day: date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _created(day: date, minutes: int = 0) -> str:
    moment = datetime(day.year, day.month, day.day, 9, 0) + timedelta(minutes=minutes)
    return f"{moment.isoformat()}Z"


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Employee:
    """One employee as Nmbrs holds it: basic info and every history list, in API shapes."""

    employee_id: str
    basic_info: dict[str, Any]
    employments: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    salaries: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)

    def history(self, resource: str) -> list[dict[str, Any]]:
        return getattr(self, resource)


class Company:
    """A company's employees, generated from its profile's seed."""

    def __init__(self, profile: CompanyProfile):
        self.profile = profile
        self.company_id = profile.company_id
        self.name = profile.name
        self.departments = [{"departmentId": self._id("department", code), "code": code,
                             "description": description}
                            for code, description in profile.departments]
        rng = random.Random(profile.seed)
        self.employees = [self._employee(rng, n) for n in range(1, profile.employees + 1)]
        # One leaver of each company comes back (a second employment).
        leavers = [e for e in self.employees if e.employments[0]["endDate"]
                   and date.fromisoformat(e.employments[0]["endDate"][:10])
                   < HISTORY_END - timedelta(days=150)]
        if leavers:
            self._rehire(rng, leavers[0])

    def _id(self, *parts: Any) -> str:
        return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, (self.profile.number, *parts)))))

    def summary(self) -> dict[str, Any]:
        return {"companyId": self.company_id, "number": self.profile.number, "name": self.name,
                "debtorId": DEBTOR_ID}

    # --- generation ------------------------------------------------------------------------------
    def _employee(self, rng: random.Random, n: int) -> Employee:
        first = rng.choice(_FIRST)
        prefix, last = rng.choice(_LAST)
        employee = Employee(self._id("employee", n), {
            "employeeNumber": self.profile.number * 1000 + n, "firstName": first,
            "prefix": prefix or None, "initials": f"{first[0]}.", "lastName": last,
            "employeeType": "employee"})
        if rng.random() < 0.6:  # in service before the history starts
            start = date(2024, rng.randint(1, 12), 1)
        else:
            start = HIRES_FROM + timedelta(days=rng.randint(0, 600))
        end = None
        if rng.random() < 0.3:
            earliest = max(start + timedelta(days=90), date(2025, 2, 1))
            if earliest < HISTORY_END - timedelta(days=30):
                end = earliest + timedelta(days=rng.randint(0, (HISTORY_END - earliest).days - 30))
        percentage = rng.choice(_PERCENTAGES)
        department = rng.choice(self.departments)
        hourly = rng.random() < 0.2
        base = (Decimal(rng.randint(1350, 1900)) / 100 if hourly
                else Decimal(rng.randint(2400, 4800)))
        self._employment(employee, rng, start, end, percentage, department, hourly, base)
        return employee

    def _employment(self, employee: Employee, rng: random.Random, start: date,
                    end: date | None, percentage: int, department: dict[str, Any],
                    hourly: bool, base: Decimal) -> None:
        n = len(employee.employments) + 1
        key = (employee.employee_id, n)
        employee.employments.append({
            "employmentId": self._id("employment", *key), "startDate": _iso(start),
            "endDate": _iso(end) if end else None, "seniorityDate": _iso(start),
            "changedDate": _created(end or start)})
        hours = Decimal(40 * percentage) / 100
        employee.contracts.append({
            "contractId": self._id("contract", *key), "startDate": _iso(start),
            "endDate": _iso(end) if end else None, "indefinite": end is None,
            "hoursPerWeek": float(hours), "createdAt": _created(start)})
        self._schedule(employee, start, percentage, f"{n}-1")
        last_day = end or HISTORY_END
        if rng.random() < 0.3:  # a part-time change later in the employment
            change = start + timedelta(days=rng.randint(60, 400))
            if change < last_day:
                self._schedule(employee, change, rng.choice((100, 80, 60)), f"{n}-2")
        # Monthly salaries are for the contracted hours; hourly ones are per hour.
        amount = base if hourly else _money(base * percentage / 100)
        self._salary(employee, start, hourly, amount, f"{n}-0")
        for year in range(start.year + 1, last_day.year + 1):
            raise_day = date(year, 1, 1)
            amount = _money(amount * (1 + Decimal(rng.randint(20, 45)) / 1000))
            self._salary(employee, raise_day, hourly, amount, f"{n}-{year}")
        self._department(employee, start, department)
        if rng.random() < 0.3:  # a move to another department
            move = start + timedelta(days=rng.randint(45, 500))
            others = [d for d in self.departments if d is not department]
            if move < last_day and others:
                self._department(employee, move, rng.choice(others))

    def _rehire(self, rng: random.Random, employee: Employee) -> None:
        left = date.fromisoformat(employee.employments[-1]["endDate"][:10])
        back = left + timedelta(days=rng.randint(60, 120))
        self._employment(employee, rng, back, None, rng.choice(_PERCENTAGES),
                         rng.choice(self.departments), False,
                         Decimal(rng.randint(2400, 4800)))

    def _schedule(self, employee: Employee, start: date, percentage: int, tag: str) -> None:
        hours = Decimal(40 * percentage) / 100
        employee.schedules.append({
            "scheduleId": self._id("schedule", employee.employee_id, tag),
            "startDate": _iso(start), "parttimePercentage": percentage,
            "hoursPerWeek": float(hours), "daysPerWeek": float(min(5, (hours / 8).quantize(
                Decimal("1"), ROUND_HALF_UP))), "createdAt": _created(start, 5)})

    def _salary(self, employee: Employee, start: date, hourly: bool, amount: Decimal,
                tag: str) -> None:
        employee.salaries.append({
            "salaryId": self._id("salary", employee.employee_id, tag), "startDate": _iso(start),
            "type": "hourly" if hourly else "monthly", "value": float(amount),
            "createdAt": _created(start, 10)})

    def _department(self, employee: Employee, start: date, department: dict[str, Any]) -> None:
        records = [d for d in employee.departments
                   if (d["period"]["year"], d["period"]["period"]) != (start.year, start.month)]
        records.append({**department, "createdAt": _created(start, 15),
                        "period": {"year": start.year, "period": start.month}})
        employee.departments[:] = records

    # --- what changes at Nmbrs, day by day -------------------------------------------------------
    def apply_day(self, day: int) -> None:
        if day == 2:
            # A leaver entered in the wrong company is deleted, with every history.
            leaver = next(e for e in self.employees
                          if len(e.employments) == 1 and e.employments[0]["endDate"])
            self.employees.remove(leaver)
        if day != 1:
            return
        in_service = [e for e in self.employees
                      if len(e.employments) == 1 and e.employments[0]["endDate"] is None]
        # A raise from November 2026, entered late.
        raised = in_service[0]
        latest = max(raised.salaries, key=lambda s: s["startDate"])
        self._salary(raised, date(2026, 11, 1), latest["type"] == "hourly",
                     _money(Decimal(str(latest["value"])) * Decimal("1.05")), "day1-raise")
        # A move to another department from November 2026.
        mover = in_service[1]
        current = max(mover.departments, key=lambda d: (d["period"]["year"],
                                                        d["period"]["period"]))
        other = next(d for d in self.departments if d["code"] != current["code"])
        self._department(mover, date(2026, 11, 1), other)
        # The re-hire was entered by mistake: its employment (and what came with it) removed.
        rehired = next((e for e in self.employees if len(e.employments) > 1), None)
        if rehired is not None:
            start = date.fromisoformat(rehired.employments[-1]["startDate"][:10])
            rehired.employments.pop()
            rehired.contracts.pop()
            for name in ("schedules", "salaries"):
                records = rehired.history(name)
                records[:] = [r for r in records if r["startDate"] < _iso(start)]
            rehired.departments[:] = [
                r for r in rehired.departments
                if (r["period"]["year"], r["period"]["period"]) < (start.year, start.month)]
