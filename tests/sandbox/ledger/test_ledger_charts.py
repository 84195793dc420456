"""The NL (Exact-style + RGS) and BE (PCMN) charts of accounts."""

from __future__ import annotations

import csv

import pytest

from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_sandbox.ledger import BE_CHART, NL_CHART, chart_for

STANDARD_CHARTS = DBT_PROJECT_DIR / "seeds" / "standard_charts"

REQUIRED = ("share_capital", "retained_earnings", "buildings", "equipment", "bank", "cash",
            "receivables", "payables", "vat_payable", "vat_recoverable", "wages_payable",
            "cost_of_goods", "wages", "rent", "energy", "other_costs", "interest")


@pytest.mark.parametrize("chart", [NL_CHART, BE_CHART], ids=["NL", "BE"])
def test_chart_has_the_standard_accounts(chart):
    assert 25 <= len(chart.accounts) <= 35
    for category in REQUIRED:
        assert [a for a in chart.accounts if a.category == category], category
    assert len([a for a in chart.accounts if a.category == "accumulated_depreciation"]) == 2
    assert len([a for a in chart.accounts if a.account_type == "revenue"]) >= 3
    for account in chart.accounts:
        assert account.balance_type == ("W" if account.account_type in ("revenue", "expense") else "B")
        assert account.balance_side in ("D", "C")
    for group in chart.asset_groups:
        assert {group.cost_account, group.depreciation_account, group.expense_account} <= set(chart.by_code)


def test_nl_codes_are_four_digits_with_rgs():
    for account in NL_CHART.accounts:
        assert len(account.code) == 4 and account.code.isdigit()
        assert account.rgs_code and account.rgs_code[0] == account.balance_type
    assert NL_CHART.account("bank").rgs_code == "BLimBanRba"


def _reference_codes(seed: str) -> set[str]:
    with (STANDARD_CHARTS / seed).open(newline="", encoding="utf-8") as rows:
        return {row["standard_code"] for row in csv.DictReader(rows)}


def test_nl_rgs_codes_are_in_the_reference_chart():
    """Every RGS code the sandbox books under is a real RGS 3.7 code (the project's seed), or a
    deeper level-5 code under one (purchase VAT, BSchBepBtwVoo under BSchBepBtw)."""
    reference = _reference_codes("rgs_reference.csv")
    for account in NL_CHART.accounts:
        assert account.rgs_code in reference or account.rgs_code[:10] in reference, account


def test_be_codes_have_their_pcmn_group_in_the_reference_chart():
    reference = _reference_codes("pcmn_reference.csv")
    for account in BE_CHART.accounts:
        assert account.code[:2] in reference and account.code[:1] in reference, account


def test_be_codes_follow_pcmn_classes():
    for account in BE_CHART.accounts:
        assert len(account.code) == 6 and account.rgs_code is None
        assert account.balance_type == ("W" if account.code[0] in "67" else "B"), account.code


def test_unknown_country():
    with pytest.raises(ValueError):
        chart_for("DE")
