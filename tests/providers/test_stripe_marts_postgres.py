"""The revenue marts' tests (test_stripe_marts.py) again with the warehouse on PostgreSQL, the
production warehouse: the same import, the same dbt build, the same checks."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

# The DuckDB module's checks, collected here against this module's `built` (tests run with
# --import-mode=importlib, so the sibling is loaded by its path).
_spec = importlib.util.spec_from_file_location(
    "stripe_mart_checks", Path(__file__).with_name("test_stripe_marts.py"))
_checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_checks)
test_mrr_per_customer_and_month_is_stripes = \
    _checks.test_mrr_per_customer_and_month_is_stripes
test_movements_are_the_month_on_month_changes = \
    _checks.test_movements_are_the_month_on_month_changes
test_revenue_per_customer_is_what_paid_invoices_paid = \
    _checks.test_revenue_per_customer_is_what_paid_invoices_paid
test_gbp_customers_keep_their_currency_beside_the_reporting_currency = \
    _checks.test_gbp_customers_keep_their_currency_beside_the_reporting_currency

pytestmark = pytest.mark.postgres

@pytest.fixture(scope="module")
def built(postgres_warehouse) -> Iterator:
    with postgres_warehouse("stripe") as home:
        yield _checks.import_and_build(home)
