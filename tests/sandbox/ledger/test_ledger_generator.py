"""The generated sandbox ledgers: balanced, deterministic, consistent across years and with open items."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from monitr_sandbox.ledger import (
    AdministrationProfile,
    Ledger,
    balances,
    generate_ledger,
)
from monitr_sandbox.ledger.depreciation import depreciated_until

NL = AdministrationProfile("T-NL", "Testbakkerij B.V.", "NL", seed=7)
BE = AdministrationProfile(
    "T-BE", "Test Immo BV", "BE", seed=8, sales_invoices_per_month=14, purchase_invoices_per_month=8,
    avg_sales_amount=2800, avg_purchase_amount=700, monthly_wages=4000, monthly_rent=0, buildings=4,
    equipment_items=1, loan_amount=900_000, revenue_categories=("revenue_rent", "revenue_services"),
    purchase_categories=("maintenance", "energy", "other_costs"),
)
ZERO = Decimal("0.00")


@pytest.fixture(scope="module", params=[NL, BE], ids=["NL", "BE"])
def ledger(request) -> Ledger:
    return generate_ledger(request.param)


def test_every_entry_balances_to_the_cent(ledger):
    for entry in ledger.entries.values():
        assert sum((line.amount for line in entry.lines), ZERO) == 0, entry.entry_number
        for line in entry.lines:
            assert line.amount == line.amount.quantize(Decimal("0.01"))
            assert line.account_code in ledger.chart.by_code


def test_scale_is_a_few_thousand_lines_over_two_years(ledger):
    lines = sum(len(entry.lines) for entry in ledger.entries.values())
    assert 3000 <= lines <= 5000
    types = Counter(entry.entry_type for entry in ledger.entries.values())
    assert types["opening"] == 2
    assert types["depreciation"] == 22  # Jan 2025 .. Oct 2026 month ends before 20 Nov 2026
    assert {"sales", "sales_credit", "purchase", "bank", "general"} <= set(types)
    assert max(entry.date for entry in ledger.entries.values()) <= date(2026, 11, 20)


def test_generation_is_deterministic():
    first, second = generate_ledger(NL), generate_ledger(NL)
    assert first.entries == second.entries
    assert first.fixed_assets == second.fixed_assets and first.projects == second.projects
    other = generate_ledger(AdministrationProfile("T-NL", "Testbakkerij B.V.", "NL", seed=9))
    assert [e.lines[0].amount for e in other.entries.values()][:50] != \
        [e.lines[0].amount for e in first.entries.values()][:50]


def test_ids_are_unique_and_derived_from_the_administration(ledger):
    line_ids = [line.id for _, line in ledger.lines()]
    assert len(line_ids) == len(set(line_ids))
    entry_ids = {entry.id for entry in ledger.entries.values()}
    assert len(entry_ids) == len(ledger.entries)
    assert all(number == entry.entry_number for number, entry in ledger.entries.items())


def test_year_two_opens_with_year_one_closing_positions(ledger):
    chart = ledger.chart
    closing: dict[str, Decimal] = {}
    result = ZERO
    for entry, line in ledger.lines():
        if entry.fiscal_year != 2025:
            continue
        if chart.by_code[line.account_code].balance_type == "W":
            result += line.amount
        else:
            closing[line.account_code] = closing.get(line.account_code, ZERO) + line.amount
    retained = chart.account("retained_earnings").code
    closing[retained] = closing.get(retained, ZERO) + result

    [opening] = [e for e in ledger.entries.values() if e.entry_type == "opening" and e.fiscal_year == 2026]
    assert opening.date == date(2026, 1, 1)
    opened: dict[str, Decimal] = {}
    for line in opening.lines:
        assert chart.by_code[line.account_code].balance_type == "B"
        opened[line.account_code] = opened.get(line.account_code, ZERO) + line.amount
    assert {k: v for k, v in opened.items() if v} == {k: v for k, v in closing.items() if v}
    assert result != 0  # the year had a result to move into equity


def test_first_opening_is_a_plausible_balance_sheet(ledger):
    [opening] = [e for e in ledger.entries.values() if e.entry_type == "opening" and e.fiscal_year == 2025]
    by_category = Counter(ledger.chart.by_code[line.account_code].category for line in opening.lines)
    for category in ("bank", "cash", "receivables", "payables", "share_capital", "retained_earnings",
                     "vat_payable", "accumulated_depreciation"):
        assert by_category[category] >= 1, category
    bank = ledger.chart.account("bank").code
    assert sum(line.amount for line in opening.lines if line.account_code == bank) > 0


def test_open_items_match_the_control_accounts(ledger):
    last = ledger.profile.last_booking_date
    year_balances = balances(ledger, 2026)
    items = ledger.open_items
    receivable = sum(i.amount for i in items if i.kind == "receivable")
    payable = sum(i.amount for i in items if i.kind == "payable")
    assert receivable == year_balances[ledger.chart.account("receivables").code]
    assert payable == -year_balances[ledger.chart.account("payables").code]
    assert all(i.amount > 0 for i in items)
    # Everything older than six weeks is paid; the last weeks are partly open.
    assert all(i.invoice_date > last - timedelta(days=43) for i in items)
    assert {"receivable", "payable"} == {i.kind for i in items}


def test_sales_lines_carry_dimensions(ledger):
    revenue = [(entry, line) for entry, line in ledger.lines() if entry.entry_type == "sales"
               and ledger.chart.by_code[line.account_code].account_type == "revenue"]
    assert all(line.cost_centre and line.cost_unit for _, line in revenue)
    with_project = [(entry, line) for entry, line in revenue if line.project_code]
    assert 0 < len(with_project) < len(revenue)
    for entry, line in with_project:
        assert ledger.project(line.project_code).active_on(entry.date)


def test_depreciation_follows_the_asset_schedules(ledger):
    last = ledger.profile.last_booking_date
    for asset in ledger.fixed_assets:
        group = ledger.chart.asset_group(asset.group)
        booked = sum(line.amount for entry, line in ledger.lines()
                     if entry.fiscal_year == 2026 and line.asset_code == asset.code
                     and line.account_code == group.depreciation_account)
        assert -booked == depreciated_until(asset, last), asset.code
    monthly = [e for e in ledger.entries.values() if e.entry_type == "depreciation"]
    assert all(line.asset_code for e in monthly for line in e.lines)


def test_calendar_structure(ledger):
    assert [(p.year, p.period) for p in ledger.periods] == \
        [(y, m) for y in (2025, 2026) for m in range(1, 13)]
    assert {j.type for j in ledger.journals} == {"sales", "purchase", "bank", "general", "opening"}
    assert len(ledger.cost_centres) >= 3 and len(ledger.cost_units) >= 3 and len(ledger.projects) >= 3
