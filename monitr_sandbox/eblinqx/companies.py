"""The sandbox's eBlinqx Fiscaal companies and their annual accounts: deterministic from a seed per
company, one set of accounts per fiscal year, in the shapes assumed for the FinteQX API
(providers/eblinqx/__init__.py).

Figures hang together: equity grows by each year's result after tax (no dividends), the
balance-sheet total follows from a solvency ratio, BVs pay corporate income tax (19 % up to
EUR 200,000, 25.8 % above; the 2024 brackets for every year), a sole proprietorship none (its
owner pays income tax). Amounts are whole euros.

Days at eBlinqx (`apply_day`): 1 Installatiebedrijf Smit files 2025 at the KvK; 2 Smit Vastgoed's
2025 concept is adopted with revised figures; 3 Studio Visser's 2025 concept is withdrawn
(deleted); 4 it is drawn up again (a new id, other figures)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

_NAMESPACE = uuid.UUID("2b8f4d17-6c3a-4e59-9d20-7a1e5c9b3f48")
# Day 0 of the sandbox; day n is this many days later.
DAY_ZERO = date(2026, 12, 1)
VPB_BRACKET, VPB_LOW, VPB_HIGH = 200_000, 0.19, 0.258


@dataclass(frozen=True)
class CompanyProfile:
    name: str
    kvk: str
    files: bool  # legalFormApplyForAnnualAccount: a BV files, a sole proprietorship does not
    seed: int
    first_year: int
    revenue: int  # the first year's revenue
    equity: int  # equity before the first year
    # The Monitr entity an earlier link stored (another Monitr client's, in the sandbox)
    monitr_client_id: str | None = None

    @property
    def company_id(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"company/{self.kvk}"))


SANDBOX_COMPANIES = (
    CompanyProfile("Installatiebedrijf Smit BV", "58213476", True, 880_101, 2021, 2_350_000,
                   410_000),
    CompanyProfile("Smit Vastgoed B.V.", "61934205", True, 880_202, 2021, 640_000, 1_850_000),
    CompanyProfile("Studio Visser Ontwerp", "74120593", False, 880_303, 2022, 118_000, 21_000),
    # Not a sandbox entity: linked by another Monitr client, so never joined here.
    CompanyProfile("Bakkerij De Wit V.O.F.", "80456127", False, 880_404, 2023, 310_000, 45_000,
                   monitr_client_id="7c9e6679-7425-40de-944b-e07fc1f90ae7"),
)
LAST_YEAR = 2025  # the latest fiscal year drawn up


def day_date(day: int) -> date:
    return DAY_ZERO + timedelta(days=day)


def _instant(day: date) -> str:
    return f"{day.isoformat()}T09:30:00Z"


def _tax(profile: CompanyProfile, result: int) -> int:
    if not profile.files or result <= 0:
        return 0
    return round(min(result, VPB_BRACKET) * VPB_LOW + max(result - VPB_BRACKET, 0) * VPB_HIGH)


class Company:
    """One company of the account and its annual accounts by fiscal year."""

    def __init__(self, profile: CompanyProfile):
        self.profile = profile
        self.company_id = profile.company_id
        self.name = profile.name
        self.monitr_client_id = profile.monitr_client_id
        self._random = random.Random(profile.seed)
        self.accounts: dict[int, dict[str, Any]] = {}
        equity, revenue = profile.equity, profile.revenue
        for year in range(profile.first_year, LAST_YEAR + 1):
            self.accounts[year] = account = self._drawn_up(year, revenue, equity)
            equity = account["equity"]
            revenue = round(revenue * self._random.uniform(0.96, 1.12))
            if year < LAST_YEAR:
                self._finish(account, adopted=date(year + 1, 5, self._random.randint(12, 28)))

    def summary(self) -> dict[str, Any]:
        """The company as GET /companies lists it."""
        return {"id": self.company_id, "name": self.name,
                "chamberOfCommerceNumber": self.profile.kvk,
                "legalFormApplyForAnnualAccount": self.profile.files,
                "monitrClientId": self.monitr_client_id}

    def annual_accounts(self) -> list[dict[str, Any]]:
        return [dict(self.accounts[year]) for year in sorted(self.accounts)]

    # --- the figures --------------------------------------------------------------------------
    def _drawn_up(self, year: int, revenue: int, equity_before: int) -> dict[str, Any]:
        prepared = date(year + 1, 3, self._random.randint(2, 27))
        account = {"id": str(uuid.uuid5(_NAMESPACE, f"{self.company_id}/{year}/"
                                                    f"{self._random.random()}")),
                   "companyId": self.company_id, "fiscalYear": year,
                   "periodStart": f"{year}-01-01", "periodEnd": f"{year}-12-31",
                   "status": "concept", "preparedDate": prepared.isoformat(),
                   "adoptionDate": None, "filingDate": None, "modifiedAt": _instant(prepared)}
        self._figures(account, revenue, equity_before)
        return account

    def _figures(self, account: dict[str, Any], revenue: int, equity_before: int) -> None:
        margin = self._random.uniform(-0.02, 0.14)
        before_tax = round(revenue * margin)
        after_tax = before_tax - _tax(self.profile, before_tax)
        equity = equity_before + after_tax
        solvency = self._random.uniform(0.28, 0.62)
        account.update(revenue=revenue, resultBeforeTax=before_tax, resultAfterTax=after_tax,
                       equity=equity, balanceSheetTotal=max(round(equity / solvency), equity))

    def _finish(self, account: dict[str, Any], adopted: date) -> None:
        """Adopted; a company that must file files it some weeks later."""
        account.update(status="definitief", adoptionDate=adopted.isoformat(),
                       modifiedAt=_instant(adopted))
        if self.profile.files:
            filed = adopted + timedelta(days=self._random.randint(10, 40))
            account.update(status="gedeponeerd", filingDate=filed.isoformat(),
                           modifiedAt=_instant(filed))

    # --- days at eBlinqx ----------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        today = day_date(day)
        latest = self.accounts.get(LAST_YEAR)
        kvk = self.profile.kvk
        if day == 1 and kvk == "58213476" and latest and latest["status"] == "concept":
            latest.update(status="definitief", adoptionDate=date(2026, 11, 20).isoformat())
            latest.update(status="gedeponeerd", filingDate=today.isoformat(),
                          modifiedAt=_instant(today))
        elif day == 2 and kvk == "61934205" and latest and latest["status"] == "concept":
            before = self.accounts[LAST_YEAR - 1]["equity"]
            self._figures(latest, round(latest["revenue"] * 1.015), before)
            latest.update(status="definitief", adoptionDate=today.isoformat(),
                          modifiedAt=_instant(today))
        elif day == 3 and kvk == "74120593":
            self.accounts.pop(LAST_YEAR, None)
        elif day == 4 and kvk == "74120593" and LAST_YEAR not in self.accounts:
            previous = self.accounts[LAST_YEAR - 1]
            account = self._drawn_up(LAST_YEAR, round(previous["revenue"] * 1.04),
                                     previous["equity"])
            account.update(preparedDate=today.isoformat(), modifiedAt=_instant(today))
            self.accounts[LAST_YEAR] = account
