"""Deterministic double-entry ledger generator: one administration's books over its fiscal years.

Everything is drawn from `random.Random(profile.seed)`; no clock is read, so the same profile
always yields the same entries, numbers, amounts and GUIDs. Bookings are simulated in date order
through an event queue, which lets an invoice schedule its own credit note and payment.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from monitr_sandbox.ledger import depreciation, documents, names
from monitr_sandbox.ledger.balances import closing_positions
from monitr_sandbox.ledger.booking import ZERO, Posting, book, money
from monitr_sandbox.ledger.charts import Chart, chart_for
from monitr_sandbox.ledger.ids import stable_id
from monitr_sandbox.ledger.model import (
    AdministrationProfile,
    CostCentre,
    CostUnit,
    Entry,
    FiscalPeriod,
    FixedAsset,
    Ledger,
    OpenItemRef,
    Project,
    Relation,
)
from monitr_sandbox.ledger.names import OVERHEAD_CENTRE, PRODUCTION_CENTRE, SALES_CENTRE

# Same-day bookings happen in this order, so e.g. a payment never precedes its invoice.
_OPENING, _SALES, _CREDIT, _PURCHASE, _GENERAL, _BANK, _DEPRECIATION, _VAT_RETURN = range(8)
_SHARE_CAPITAL = {"NL": 18000, "BE": 20000}
_EMPLOYER_CHARGES = {"NL": Decimal("0.22"), "BE": Decimal("0.27")}
_WAGE_WITHHOLDING = Decimal("0.30")
_LOAN_RATE = Decimal("0.045")
_HOLIDAY_PAY_MONTH = 5  # May: holiday allowance (vakantiegeld) lifts gross wages by 8 %


def generate_ledger(profile: AdministrationProfile) -> Ledger:
    rng = random.Random(profile.seed)
    chart = chart_for(profile.country)
    ledger = Ledger(
        profile=profile, chart=chart, relations=_relations(rng, profile),
        cost_centres=tuple(CostCentre(code, name, stable_id(profile.code, "costcentre", code))
                           for code, name in names.COST_CENTRES),
        cost_units=tuple(CostUnit(code, name, stable_id(profile.code, "costunit", code))
                         for code, name in names.COST_UNITS),
        projects=_projects(rng, profile), periods=_periods(profile),
        fixed_assets=_fixed_assets(rng, profile, chart),
    )
    _Simulation(ledger, rng).run()
    return ledger


def _relations(rng: random.Random, profile: AdministrationProfile) -> tuple[Relation, ...]:
    base_names = names.SURNAMES + names.PLACES
    named_per_kind: Counter[str] = Counter()

    def unique_name(kind: str, taken: set[str]) -> str:
        # A kind has one name per base name; once all are taken, further relations of that kind
        # are numbered branches ("Hotel Gent 2"), so a large administration never draws forever.
        branch = 1 + named_per_kind[kind] // len(base_names)
        suffix = "" if branch == 1 else f" {branch}"
        while True:
            name = f"{kind} {rng.choice(base_names)}{suffix}"
            if name not in taken:
                taken.add(name)
                named_per_kind[kind] += 1
                return name

    taken: set[str] = set()
    relations = []
    for index in range(max(12, 2 * profile.sales_invoices_per_month)):
        code = str(1001 + index)
        relations.append(Relation(code, unique_name(rng.choice(names.CUSTOMER_KINDS), taken),
                                  "customer", stable_id(profile.code, "relation", code),
                                  payment_days=rng.choice((14, 30, 30, 30))))
    categories = [*profile.purchase_categories, "investment"]
    if profile.monthly_rent:
        categories.append("rent")
    code_numbers = itertools.count(2001)
    for category in categories:
        for _ in range(1 if category in ("rent", "energy") else 2):
            code = str(next(code_numbers))
            kind = rng.choice(names.SUPPLIER_KINDS[category])
            relations.append(Relation(code, unique_name(kind, taken), "supplier",
                                      stable_id(profile.code, "relation", code),
                                      payment_days=rng.choice((14, 30)), category=category))
    return tuple(relations)


def _projects(rng: random.Random, profile: AdministrationProfile) -> tuple[Project, ...]:
    first = profile.fiscal_years[0]
    kinds = ("fixed_price", "time_and_material", "non_billable")
    projects = []
    for index, name in enumerate(rng.sample(names.PROJECTS, 6)):
        start = date(*depreciation.add_months(date(first, 1, 1), rng.randint(0, 18)), 1)
        end = None if index == 0 else depreciation.month_end(
            *depreciation.add_months(start, rng.randint(2, 11)))
        code = f"P{start.year % 100:02d}{index + 1:03d}"
        projects.append(Project(code, name, stable_id(profile.code, "project", code), start, end,
                                kinds[index % len(kinds)]))
    return tuple(projects)


def _periods(profile: AdministrationProfile) -> tuple[FiscalPeriod, ...]:
    return tuple(
        FiscalPeriod(year, month, date(year, month, 1), depreciation.month_end(year, month),
                     stable_id(profile.code, "period", year, month))
        for year in profile.fiscal_years for month in range(1, 13)
    )


def _fixed_assets(rng: random.Random, profile: AdministrationProfile,
                  chart: Chart) -> tuple[FixedAsset, ...]:
    """Buildings and equipment bought before the first year; the last equipment item is bought
    during the first year (an investment invoice books it)."""
    first = profile.fiscal_years[0]
    groups = {chart.by_code[g.cost_account].category: g for g in chart.asset_groups}
    plan = [("buildings", names.BUILDINGS, 250_000, 600_000)] * profile.buildings
    plan += [("equipment", names.EQUIPMENT, 4_000, 45_000)] * profile.equipment_items
    assets = []
    for index, (category, labels, low, high) in enumerate(plan):
        group = groups[category]
        value = money(rng.randint(low, high))
        bought_in_first_year = category == "equipment" and index == len(plan) - 1 and index > 0
        bought = (date(first, rng.randint(3, 9), rng.randint(1, 28)) if bought_in_first_year
                  else date(first - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28)))
        code = f"{group.code}{index + 1:03d}"
        assets.append(FixedAsset(
            code=code, description=f"{rng.choice(labels)} {index + 1}", group=group.code,
            purchase_date=bought, purchase_value=value,
            residual_value=money(value * Decimal(rng.choice(("0", "0.05", "0.10")))),
            life_months=group.life_months, id=stable_id(profile.code, "asset", code),
        ))
    return tuple(assets)


class _Simulation:
    """Books the administration's history day by day from an event queue."""

    def __init__(self, ledger: Ledger, rng: random.Random):
        self.ledger, self.rng = ledger, rng
        self.chart, self.profile = ledger.chart, ledger.profile
        self.first_day = date(self.profile.fiscal_years[0], 1, 1)
        self.last_day = min(self.profile.last_booking_date, date(self.profile.fiscal_years[-1], 12, 31))
        self._queue: list[tuple[date, int, int, Callable, tuple]] = []
        self._order = itertools.count()
        # Open amount per (control account, relation, invoice), kept up to date as entries are booked.
        self._open: dict[tuple[str, str, int], Decimal] = {}
        # Balance per account of each fiscal year so far. Entries are booked in date order, each on
        # the day its event fires, so this equals balances(ledger, year, until=today) without
        # rescanning every line at each quarter end.
        self._year_balances: dict[int, dict[str, Decimal]] = {}
        self.customers = [r for r in ledger.relations if r.kind == "customer"]
        self.suppliers = [r for r in ledger.relations if r.kind == "supplier"]

    # --- the queue ---------------------------------------------------------------------------
    def at(self, day: date, priority: int, action: Callable, *args) -> None:
        if self.first_day <= day <= self.last_day:
            heapq.heappush(self._queue, (day, priority, next(self._order), action, args))

    def run(self) -> None:
        self.at(self.first_day, _OPENING, self.first_opening)
        for year in self.profile.fiscal_years[1:]:
            self.at(date(year, 1, 1), _OPENING, self.next_opening, year)
        month = self.first_day
        while month <= self.last_day:
            self.schedule_month(month.year, month.month)
            month = date(*depreciation.add_months(month, 1), 1)
        while self._queue:
            day, _, _, action, args = heapq.heappop(self._queue)
            action(day, *args)

    def schedule_month(self, year: int, month: int) -> None:
        last = depreciation.month_end(year, month)
        profile = self.profile
        for _ in range(max(1, profile.sales_invoices_per_month + self.rng.randint(-2, 2))):
            self.at(date(year, month, self.rng.randint(1, last.day)), _SALES, self.sale)
        for _ in range(max(1, profile.purchase_invoices_per_month + self.rng.randint(-2, 2))):
            self.at(date(year, month, self.rng.randint(1, last.day)), _PURCHASE, self.purchase)
        if profile.monthly_rent:
            self.at(date(year, month, 1), _PURCHASE, self.rent)
        if profile.monthly_wages:
            self.at(date(year, month, 25), _GENERAL, self.wages)
        for asset in self.ledger.fixed_assets:
            if (asset.purchase_date.year, asset.purchase_date.month) == (year, month) \
                    and asset.purchase_date >= self.first_day:
                self.at(asset.purchase_date, _PURCHASE, self.investment, asset)
        self.at(last, _BANK, self.bank_charges)
        self.at(last, _DEPRECIATION, self.depreciation)
        if month % 3 == 0:
            self.at(last, _BANK, self.loan_instalment)
            self.at(last, _VAT_RETURN, self.vat_return)

    # --- booking with open-item bookkeeping ---------------------------------------------------
    def code(self, category: str) -> str:
        return self.chart.account(category).code

    def track(self, entry: Entry) -> Entry:
        year = self._year_balances.setdefault(entry.fiscal_year, {})
        for line in entry.lines:
            year[line.account_code] = year.get(line.account_code, ZERO) + line.amount
            if line.open_item:
                key = (line.account_code, line.open_item.relation.code, line.open_item.invoice_number)
                self._open[key] = self._open.get(key, ZERO) + line.amount
        return entry

    def open_amount(self, ref: OpenItemRef) -> Decimal:
        """Positive amount still open on an invoice."""
        control = self.chart.account("receivables" if ref.relation.kind == "customer" else "payables")
        amount = self._open.get((control.code, ref.relation.code, ref.invoice_number), ZERO)
        return amount if ref.relation.kind == "customer" else -amount

    def pay(self, day: date, ref: OpenItemRef) -> None:
        amount = self.open_amount(ref)
        if amount:
            self.track(documents.settlement(self.ledger, day, ref, amount))

    def book(self, **kwargs) -> Entry:
        return self.track(book(self.ledger, **kwargs))

    def balance_so_far(self, year: int) -> dict[str, Decimal]:
        """Balance per account code of `year` up to and including today's bookings so far: a
        copy, so bookings made after reading it leave it as it was."""
        return dict(self._year_balances.get(year, {}))

    # --- opening balances ---------------------------------------------------------------------
    def first_opening(self, day: date) -> None:
        """A plausible starting balance sheet; retained earnings make it balance."""
        chart, rng, profile, code = self.chart, self.rng, self.profile, self.code
        year_before = day - timedelta(days=1)
        postings = []
        for asset in self.ledger.fixed_assets:
            if asset.purchase_date >= day:
                continue
            group = chart.asset_group(asset.group)
            postings.append(Posting(group.cost_account, asset.purchase_value, asset_code=asset.code,
                                    description=asset.description))
            written_off = depreciation.depreciated_until(asset, year_before)
            if written_off:
                postings.append(Posting(group.depreciation_account, -written_off,
                                        asset_code=asset.code, description=asset.description))
        postings += [
            Posting(code("inventory"), money(rng.randint(4000, 20000))),
            Posting(code("bank"), money(rng.randint(25000, 90000))),
            Posting(code("cash"), money(rng.randint(300, 2500))),
        ]
        postings += self.opening_items(day, "customer", code("receivables"), rng.randint(4, 7))
        postings += self.opening_items(day, "supplier", code("payables"), rng.randint(3, 5))
        month_end = depreciation.month_end(day.year, day.month)
        vat_due = money(rng.randint(2000, 8000))
        postings.append(Posting(code("vat_payable"), -vat_due, description="Btw vierde kwartaal"))
        self.at(month_end, _BANK, self.transfer, "vat_payable", vat_due, "Betaling btw vorig kwartaal")
        if profile.monthly_wages:
            taxes = money(profile.monthly_wages * (_WAGE_WITHHOLDING + _EMPLOYER_CHARGES[profile.country]))
            postings.append(Posting(code("wage_taxes_payable"), -taxes, description="Loonheffing december"))
            self.at(month_end, _BANK, self.transfer, "wage_taxes_payable", taxes, "Betaling loonheffing")
        if profile.loan_amount:
            postings.append(Posting(code("loan"), -money(profile.loan_amount * Decimal("0.9"))))
        postings.append(Posting(code("share_capital"), -money(_SHARE_CAPITAL[profile.country])))
        postings.append(Posting(code("retained_earnings"), -sum((p.amount for p in postings), ZERO)))
        self.book(entry_type="opening", on=day, description=f"Beginbalans {day.year}", postings=postings)

    def opening_items(self, day: date, kind: str, control: str, count: int) -> list[Posting]:
        """Invoices of the year before, still open at the start; each is settled in January."""
        sign = 1 if kind == "customer" else -1
        journal = self.chart.journal("sales" if kind == "customer" else "purchase").code
        relations = self.customers if kind == "customer" else self.suppliers
        average = self.profile.avg_sales_amount if kind == "customer" else self.profile.avg_purchase_amount
        postings = []
        for index in range(count):
            relation = self.rng.choice(relations)
            invoice_date = date(day.year - 1, 12, self.rng.randint(1, 28))
            sequence = 9000 + index * 7 + self.rng.randint(0, 6)  # late in last year's numbering
            number = int(f"{(day.year - 1) % 100:02d}{journal}{sequence:04d}")
            ref = OpenItemRef(relation, number, invoice_date,
                              invoice_date + timedelta(days=relation.payment_days))
            amount = money(average * 1.21 * self.rng.uniform(0.4, 1.4))
            postings.append(Posting(control, sign * amount, open_item=ref,
                                    description=f"Openstaande factuur {number} {relation.name}"))
            self.at(day + timedelta(days=self.rng.randint(4, 30)), _BANK, self.pay, ref)
        return postings

    def next_opening(self, day: date, year: int) -> None:
        """The year-start balance: last year's closing positions, its result in retained earnings."""
        positions = closing_positions(self.ledger, year - 1)
        ordered = sorted(positions.items(), key=lambda item: (item[0][0], item[0][1] or ""))
        postings = [Posting(account, amount, asset_code=asset) for (account, asset), amount in ordered]
        self.book(entry_type="opening", on=day, description=f"Beginbalans {year}", postings=postings)

    # --- recurring business -------------------------------------------------------------------
    def sale(self, day: date) -> None:
        invoice = self.track(documents.sales_invoice(self.ledger, self.rng, day,
                                                     self.rng.choice(self.customers)))
        ref = invoice.lines[0].open_item
        if self.rng.random() < 0.08:
            self.at(day + timedelta(days=self.rng.randint(2, 6)), _CREDIT, self.credit_note, invoice)
        # Payment within six weeks: everything older than that is paid by the last booking date.
        self.at(day + timedelta(days=self.rng.randint(7, 42)), _BANK, self.pay, ref)

    def credit_note(self, day: date, invoice: Entry) -> None:
        self.track(documents.sales_credit_note(self.ledger, self.rng, day, invoice))

    def purchase(self, day: date) -> None:
        category = self.rng.choice(self.profile.purchase_categories)
        supplier = self.rng.choice([s for s in self.suppliers if s.category == category])
        net = money(self.profile.avg_purchase_amount * self.rng.uniform(0.3, 1.7))
        self.purchased(day, documents.purchase_invoice(self.ledger, self.rng, day, supplier, category, net))

    def rent(self, day: date) -> None:
        landlord = next(s for s in self.suppliers if s.category == "rent")
        self.purchased(day, documents.purchase_invoice(self.ledger, self.rng, day, landlord, "rent",
                                                       money(self.profile.monthly_rent)))

    def investment(self, day: date, asset) -> None:
        supplier = next(s for s in self.suppliers if s.category == "investment")
        group = self.chart.asset_group(asset.group)
        self.purchased(day, documents.purchase_invoice(
            self.ledger, self.rng, day, supplier, "investment", asset.purchase_value,
            asset_code=asset.code, account_code=group.cost_account))

    def purchased(self, day: date, invoice: Entry) -> None:
        self.track(invoice)
        self.at(day + timedelta(days=self.rng.randint(10, 40)), _BANK, self.pay, invoice.lines[0].open_item)

    def wages(self, day: date) -> None:
        """Monthly payroll journal; net wages paid the next day, wage taxes at the next month end."""
        code = self.code
        gross = money(self.profile.monthly_wages * self.rng.uniform(0.97, 1.03))
        if day.month == _HOLIDAY_PAY_MONTH:
            gross = money(gross * Decimal("1.08"))
        charges = money(gross * _EMPLOYER_CHARGES[self.profile.country])
        withheld = money(gross * _WAGE_WITHHOLDING)
        production = money(gross * Decimal("0.6"))
        postings = [
            Posting(code("wages"), production, cost_centre=PRODUCTION_CENTRE,
                    description="Brutolonen productie"),
            Posting(code("wages"), gross - production, cost_centre=SALES_CENTRE,
                    description="Brutolonen verkoop"),
            Posting(code("social_charges"), charges, cost_centre=OVERHEAD_CENTRE),
            Posting(code("wage_taxes_payable"), -(withheld + charges)),
            Posting(code("wages_payable"), -(gross - withheld)),
        ]
        self.book(entry_type="general", on=day, description=f"Salarisjournaal {day:%m-%Y}",
                  postings=postings)
        self.at(day + timedelta(days=1), _BANK, self.transfer, "wages_payable", gross - withheld,
                f"Uitbetaling nettolonen {day:%m-%Y}")
        next_month_end = depreciation.month_end(*depreciation.add_months(day, 1))
        self.at(next_month_end, _BANK, self.transfer, "wage_taxes_payable", withheld + charges,
                f"Afdracht loonheffing {day:%m-%Y}")

    def transfer(self, day: date, category: str, amount: Decimal, description: str) -> None:
        """Pay a liability from the bank (a negative amount is money received)."""
        self.book(entry_type="bank", on=day, description=description, postings=[
            Posting(self.code(category), amount),
            Posting(self.code("bank"), -amount),
        ])

    def bank_charges(self, day: date) -> None:
        self.transfer(day, "bank_charges", money(self.rng.randint(15, 60)), f"Bankkosten {day:%m-%Y}")

    def loan_instalment(self, day: date) -> None:
        """Quarterly interest plus a fixed repayment (ten years) of the loan."""
        if not self.profile.loan_amount:
            return
        loan = self.code("loan")
        outstanding = -self.balance_so_far(day.year).get(loan, ZERO)
        if outstanding <= 0:
            return
        interest = money(outstanding * _LOAN_RATE / 4)
        repayment = min(outstanding, money(Decimal(self.profile.loan_amount) / 40))
        self.book(entry_type="bank", on=day, description=f"Rente en aflossing lening {day:%m-%Y}",
                  postings=[Posting(self.code("interest"), interest), Posting(loan, repayment),
                            Posting(self.code("bank"), -(interest + repayment))])

    def depreciation(self, day: date) -> None:
        postings = []
        for asset in self.ledger.fixed_assets:
            charge = dict(depreciation.schedule(asset)).get(day)
            if not charge:
                continue
            group = self.chart.asset_group(asset.group)
            postings += [
                Posting(group.expense_account, charge, asset_code=asset.code, cost_centre=OVERHEAD_CENTRE,
                        description=f"Afschrijving {asset.description}"),
                Posting(group.depreciation_account, -charge, asset_code=asset.code,
                        description=f"Afschrijving {asset.description}"),
            ]
        if postings:
            self.book(entry_type="depreciation", on=day, description=f"Afschrijvingen {day:%m-%Y}",
                      postings=postings)

    def vat_return(self, day: date) -> None:
        """Quarter end: clear recoverable VAT against VAT payable; pay the net a month later."""
        payable, recoverable = self.code("vat_payable"), self.code("vat_recoverable")
        current = self.balance_so_far(day.year)
        reclaim = current.get(recoverable, ZERO)
        quarter = f"Q{(day.month - 1) // 3 + 1} {day.year}"
        if reclaim:
            self.book(entry_type="general", on=day, description=f"Btw-aangifte {quarter}",
                      postings=[Posting(payable, reclaim), Posting(recoverable, -reclaim)])
        owed = -(current.get(payable, ZERO) + reclaim)
        if owed:
            due = depreciation.month_end(*depreciation.add_months(day, 1))
            self.at(due, _BANK, self.transfer, "vat_payable", owed, f"Betaling btw {quarter}")
