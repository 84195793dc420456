"""Day mutations for incremental imports, and the add/change/delete primitives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from monitr_sandbox.ledger import (
    AdministrationProfile,
    UnbalancedEntry,
    add_entry,
    apply_day,
    balances,
    change_line,
    delete_entry,
    generate_ledger,
)

PROFILE = AdministrationProfile("T-MUT", "Mutatie B.V.", "NL", seed=11)


def test_a_day_adds_changes_and_deletes():
    ledger = generate_ledger(PROFILE)
    before = {entry.entry_number: entry for entry in ledger.entries.values()}
    changes = apply_day(ledger, 1)

    assert changes.day == 1 and ledger.day == 1
    assert len(changes.added_entries) == 2
    for number in changes.added_entries:
        entry = ledger.entry(number)
        assert number not in before
        assert entry.date == PROFILE.last_booking_date + timedelta(days=1)
        assert entry.total == 0
    [changed_id] = changes.changed_lines
    entry, line = ledger.find_line(changed_id)
    assert "gecorrigeerd dag 1" in line.description and entry.total == 0
    [deleted] = changes.deleted_entries
    assert not ledger.has_entry(deleted) and before[deleted].entry_type == "general"
    assert set(changes.deleted_lines) == {line.id for line in before[deleted].lines}

    # The receipt paid the oldest open receivable; the new invoice is open.
    items = ledger.open_items
    assert changes.added_entries[0] in {i.entry_number for i in items}
    chart = ledger.chart
    assert sum(i.amount for i in items if i.kind == "receivable") == \
        balances(ledger, 2026)[chart.account("receivables").code]


def test_days_are_deterministic_and_must_run_in_order():
    first, second = generate_ledger(PROFILE), generate_ledger(PROFILE)
    for day in (1, 2, 3):
        assert apply_day(first, day) == apply_day(second, day)
    assert first.entries == second.entries
    with pytest.raises(ValueError):
        apply_day(first, 5)
    with pytest.raises(ValueError):
        apply_day(first, 3)


def test_manual_primitives():
    ledger = generate_ledger(PROFILE)
    entry = add_entry(ledger, on=date(2026, 11, 21), description="Kasstorting",
                      lines=[("1100", "250.00"), {"account_code": "1000", "amount": "-250.00"}])
    assert entry.entry_type == "general" and entry.journal_code == "90"
    assert [line.amount for line in entry.lines] == [Decimal("250.00"), Decimal("-250.00")]
    with pytest.raises(UnbalancedEntry):
        add_entry(ledger, on=date(2026, 11, 21), lines=[("1100", "1.00"), ("1000", "-2.00")])

    line = change_line(ledger, entry.lines[0].id, description="Storting", cost_centre="900")
    assert (line.description, line.cost_centre) == ("Storting", "900")
    with pytest.raises(ValueError):
        change_line(ledger, entry.lines[0].id, amount=Decimal("1"))
    with pytest.raises(ValueError):
        change_line(ledger, entry.lines[0].id, cost_centre="nope")

    assert delete_entry(ledger, entry.entry_number) is entry
    assert not ledger.has_entry(entry.entry_number)
    # Numbers of deleted entries are not handed out again.
    again = add_entry(ledger, on=date(2026, 11, 21), lines=[("1100", "1.00"), ("1000", "-1.00")])
    assert again.entry_number == entry.entry_number + 1
