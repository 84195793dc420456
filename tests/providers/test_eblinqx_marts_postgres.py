"""The annual-accounts mart's tests (test_eblinqx_marts.py) again with the warehouse on
PostgreSQL, the production warehouse: the same imports, the same dbt build, the same checks."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The DuckDB module's checks, collected here against this module's `built` (tests run with
# --import-mode=importlib, so the sibling is loaded by its path).
_spec = importlib.util.spec_from_file_location(
    "eblinqx_mart_checks", Path(__file__).with_name("test_eblinqx_marts.py"))
_checks = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _checks  # its dataclass looks its module up there
_spec.loader.exec_module(_checks)
test_every_figure_per_entity_and_year_equals_the_emulators = \
    _checks.test_every_figure_per_entity_and_year_equals_the_emulators
test_the_per_entity_summary_counts_the_years = _checks.test_the_per_entity_summary_counts_the_years
test_after_a_filing_an_adoption_and_a_redrawn_concept_the_mart_follows = \
    _checks.test_after_a_filing_an_adoption_and_a_redrawn_concept_the_mart_follows

pytestmark = pytest.mark.postgres

@pytest.fixture(scope="module")
def built(postgres_warehouse) -> Iterator:
    with postgres_warehouse("eblinqx") as home:
        yield from _checks.import_and_build(home)
