"""The annual-accounts mart's tests (test_eblinqx_marts.py) again with the warehouse on
PostgreSQL, the production warehouse: the same imports, the same dbt build, the same checks."""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
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

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    import psycopg2

    try:
        admin = psycopg2.connect(f"{PG_SERVER}/postgres", connect_timeout=3)
    except psycopg2.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable on 127.0.0.1:5432 in CI: {exc}")
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 (start it to run these tests): {exc}")
    admin.autocommit = True
    database = f"monitr_test_eblinqx_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{database}"')
    home = tmp_path_factory.mktemp("eblinqx_marts_pg")
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name in _checks.VARIABLES:
                patch.delenv(name, raising=False)
            patch.setenv("MONITR_HOME", str(home / "monitr"))
            patch.setenv("MONITR_WAREHOUSE_URL", f"{PG_SERVER}/{database}")
            yield from _checks.import_and_build(home)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{database}" with (force)')
        admin.close()
