"""The benchmark division: a Dutch wholesaler whose size is set by its sales invoices per month."""

from __future__ import annotations

from monitr_sandbox.ledger import AdministrationProfile

BENCH_DIVISION = "990001"
# Sales invoices per month. Over the sandbox's 23 months a division books ~210 GL lines per unit:
# small ~13k lines (dlt's fixed costs show), large ~200k (a busy Exact division).
SIZES = {"small": 60, "large": 1000}


def bench_profile(invoices_per_month: int) -> AdministrationProfile:
    return AdministrationProfile(
        BENCH_DIVISION, "Bench Groothandel B.V.", "NL", seed=990_001,
        sales_invoices_per_month=invoices_per_month,
        purchase_invoices_per_month=invoices_per_month // 2)
