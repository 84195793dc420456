"""A large administration's books stay balanced and deterministic; what such books need of the model."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from monitr_sandbox.ledger import (
    AdministrationProfile,
    Ledger,
    add_entry,
    balances,
    delete_entry,
    generate_ledger,
)
from monitr_sandbox.ledger.charts import chart_for
from monitr_sandbox.ledger.depreciation import month_end
from monitr_sandbox.ledger.ids import stable_id
from monitr_sandbox.ledger.names import PLACES, SURNAMES

# 250 sales invoices a month need 500 customers: more than the 40 names each of the 12 customer
# kinds has, so some kinds continue as numbered branches. About 52k GL lines over 23 months.
LARGE = AdministrationProfile("T-LARGE", "Groothandel Groot B.V.", "NL", seed=21,
                              sales_invoices_per_month=250, purchase_invoices_per_month=125)
ZERO = Decimal("0.00")
# sha256 of the entries of the seed-7 NL test administration, as generated before the generator
# was made linear (git c9801ee). Change it only for an intended change of the generated books.
SMALL_BOOKS_DIGEST = "e785cf6d6d129c2e6bd2ee150f16a80ee372cf929675afb4e119a55d42b9dd37"


@pytest.fixture(scope="module")
def large() -> Ledger:
    return generate_ledger(LARGE)


def _entries_digest(ledger: Ledger) -> str:
    return hashlib.sha256(repr(list(ledger.entries.values())).encode()).hexdigest()


def test_large_books_balance(large):
    lines = sum(len(entry.lines) for entry in large.entries.values())
    assert 45_000 <= lines <= 60_000
    for entry in large.entries.values():
        assert entry.total == 0, entry.entry_number
    for year in large.fiscal_years:
        assert sum(balances(large, year).values(), ZERO) == 0, year

    # Open items are what the control accounts say is unpaid, however many invoices there are.
    year = balances(large, large.fiscal_years[-1])
    open_per_kind = Counter()
    for item in large.open_items:
        open_per_kind[item.kind] += item.amount
    assert open_per_kind["receivable"] == year[large.chart.account("receivables").code]
    assert open_per_kind["payable"] == -year[large.chart.account("payables").code]


def test_vat_returns_settle_each_quarter(large):
    """VAT returns read the year's balances as booked so far: at each quarter end the recoverable
    VAT is cleared, and next month's payment is exactly what VAT payable then says is owed."""
    payable = large.chart.account("vat_payable").code
    recoverable = large.chart.account("vat_recoverable").code
    payments = {entry.description: entry for entry in large.entries.values()
                if entry.description.startswith("Betaling btw Q")}
    last = large.profile.last_booking_date
    quarter_ends = [month_end(year, month) for year in large.fiscal_years for month in (3, 6, 9, 12)
                    if month_end(year, month) <= last]
    assert len(quarter_ends) == len(payments) == 7
    for day in quarter_ends:
        at_quarter_end = balances(large, day.year, until=day)
        assert at_quarter_end.get(recoverable, ZERO) == 0, day
        payment = payments[f"Betaling btw Q{(day.month - 1) // 3 + 1} {day.year}"]
        [paid] = [line.amount for line in payment.lines if line.account_code == payable]
        assert paid == -at_quarter_end[payable] != 0, day


def test_relation_names_stay_unique_beyond_the_name_pool(large):
    customers = [r for r in large.relations if r.kind == "customer"]
    assert len(customers) == 500
    assert len({r.name for r in large.relations}) == len(large.relations)
    # Customer kinds are one word ("Hotel"); a numbered branch ("Hotel Gent 2") only once all
    # of its kind's 40 plain names are taken.
    numbered = [r.name for r in customers if r.name.rsplit(" ", 1)[-1].isdigit()]
    plain_per_kind = Counter(r.name.split(" ")[0] for r in customers if r.name not in numbered)
    assert numbered and max(plain_per_kind.values()) == len(SURNAMES + PLACES) == 40
    assert all(plain_per_kind[name.split(" ")[0]] == 40 for name in numbered)


def test_large_books_are_deterministic(large):
    again = generate_ledger(LARGE)
    assert _entries_digest(again) == _entries_digest(large)
    assert again.relations == large.relations and again.sequences == large.sequences


def test_small_books_are_unchanged():
    """The sandboxes' figures must not move when the generator only gets faster."""
    small = generate_ledger(AdministrationProfile("T-NL", "Testbakkerij B.V.", "NL", seed=7))
    assert _entries_digest(small) == SMALL_BOOKS_DIGEST


def test_ids_are_uuid5_of_the_fixed_namespace():
    namespace = uuid.UUID("6f1c7d5e-2b9a-4e63-9a41-0c8e5d2f7b10")
    assert stable_id("131001", "line", 25700001, 3) == uuid.uuid5(namespace, "131001/line/25700001/3")
    assert stable_id("T", "relation", "1001").version == 5


def _empty_ledger() -> Ledger:
    return Ledger(AdministrationProfile("T-EMPTY", "Leeg B.V.", "NL", seed=3), chart_for("NL"),
                  relations=(), cost_centres=(), cost_units=(), projects=(), periods=(),
                  fixed_assets=())


def _cash_deposit(ledger: Ledger, entry_type: str = "general"):
    return add_entry(ledger, on=date(2026, 11, 21), entry_type=entry_type,
                     lines=[("1100", "5.00"), ("1000", "-5.00")])


def test_a_busy_journal_numbers_past_9999():
    """1,000 invoices a month put ~18,000 entries a year in the bank journal."""
    ledger = _empty_ledger()
    bank = ledger.chart.journal("bank").code  # "20"
    ledger.sequences[(bank, 2026)] = 9998
    numbers = [_cash_deposit(ledger, "bank").entry_number for _ in range(2)]
    assert numbers == [26209999, 262010000]


def test_found_lines_follow_additions_and_deletions():
    ledger = _empty_ledger()
    first = _cash_deposit(ledger)
    assert ledger.find_line(first.lines[0].id) == (first, first.lines[0])  # indexes the ledger
    second = _cash_deposit(ledger)
    assert ledger.find_line(second.lines[1].id) == (second, second.lines[1])
    delete_entry(ledger, second.entry_number)
    with pytest.raises(KeyError):
        ledger.find_line(second.lines[1].id)
    # Entries removed behind the ledger's back are not found either.
    del ledger.entries[first.entry_number]
    with pytest.raises(KeyError):
        ledger.find_line(first.lines[0].id)
