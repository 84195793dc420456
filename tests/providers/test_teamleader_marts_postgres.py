"""The Teamleader marts' tests (test_teamleader_marts.py) again with the warehouse on
PostgreSQL, the production warehouse: the same imports, the same dbt build, the same checks."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The DuckDB module's checks, collected here against this module's `built` (loaded by path, as
# test_stripe_marts_postgres.py does).
_spec = importlib.util.spec_from_file_location(
    "teamleader_mart_checks", Path(__file__).with_name("test_teamleader_marts.py"))
_checks = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _checks  # its dataclass looks its module up there
_spec.loader.exec_module(_checks)
test_deal_forecast_is_the_open_deals_weighted_by_their_phase = \
    _checks.test_deal_forecast_is_the_open_deals_weighted_by_their_phase
test_pipeline_value_counts_deals_open_at_each_month_end = \
    _checks.test_pipeline_value_counts_deals_open_at_each_month_end
test_mrr_per_customer_and_month_is_the_subscriptions = \
    _checks.test_mrr_per_customer_and_month_is_the_subscriptions
test_project_hours_per_project_and_month_are_the_tracked_time = \
    _checks.test_project_hours_per_project_and_month_are_the_tracked_time
test_project_costs_per_project_and_month_are_the_materials = \
    _checks.test_project_costs_per_project_and_month_are_the_materials
test_budget_against_actual_hours_per_project = \
    _checks.test_budget_against_actual_hours_per_project
test_the_per_entity_summary_figure = _checks.test_the_per_entity_summary_figure

pytestmark = pytest.mark.postgres
@pytest.fixture(scope="module")
def built(postgres_warehouse) -> Iterator:
    with postgres_warehouse("teamleader") as home:
        yield _checks.import_and_build(home)
