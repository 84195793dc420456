"""The Arrow schema each page is converted to says what the dlt column hints say: dlt infers the
same type, nullability and precision from it for every column but json ones (which travel as
text, by design). That is what lets the engine silence dlt's per-page "hints were different"
warning without hiding a real mismatch."""

import logging

import pytest
from dlt.common.libs.pyarrow import py_arrow_to_table_schema_columns

from monitr_pipeline.ingestion.source import arrow_schema, table_columns
from monitr_pipeline.providers.registry import adapters

ENDPOINTS = [pytest.param(endpoint, id=f"{slug}.{endpoint.table}")
             for slug, adapter in sorted(adapters().items()) for endpoint in adapter.spec.endpoints]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_arrow_and_dlt_hints_differ_only_in_json_columns(endpoint):
    hints = table_columns(endpoint)
    inferred = py_arrow_to_table_schema_columns(arrow_schema(endpoint))
    assert list(inferred) == list(hints)
    for name, hint in hints.items():
        shared = set(hint) & set(inferred[name])
        differing = {h for h in shared if hint[h] != inferred[name][h]}
        if hint["data_type"] == "json":
            assert differing == {"data_type"} and inferred[name]["data_type"] == "text"
        else:
            assert differing == set(), (name, {h: (hint[h], inferred[name][h]) for h in differing})


def test_only_the_json_hint_warning_is_silenced(caplog):
    dlt_logger = logging.getLogger("dlt")
    with caplog.at_level(logging.WARNING, logger="dlt"):
        dlt_logger.warning("In resource: sales_invoices, when merging arrow schema with dlt "
                           "schema, several column hints were different.")
        dlt_logger.warning("In resource: sales_invoices, something else went wrong")
    assert [r.getMessage() for r in caplog.records] == [
        "In resource: sales_invoices, something else went wrong"]
