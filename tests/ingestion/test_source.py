"""The Arrow schema each page is converted to says what the dlt column hints say: dlt infers the
same type, nullability and precision from it for every column but json ones (which travel as
text, by design). That is what lets the engine silence dlt's per-page "hints were different"
warning without hiding a real mismatch. And a key that one import holds twice (changed, or
deleted, while the feed was paged through) ends as its latest row."""

import logging
from decimal import Decimal

import pytest
from dlt.common.libs.pyarrow import py_arrow_to_table_schema_columns

from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import arrow_schema, provider_source, table_columns
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.registry import adapters
from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec
from monitr_pipeline.warehouse import query

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


class _ScriptedTransport:
    """Each endpoint's pages as listed, whatever the request's cursor."""

    def __init__(self, pages_by_path: dict[str, list[list[dict]]]):
        self.pages_by_path = pages_by_path

    def pages(self, client, request, hooks, run):
        yield from self.pages_by_path[request.path]


_CHANGE_FEED = ProviderSpec(
    slug="change_feed", name="Change feed", connection_kind="accounting", auth_kind="api_key",
    environments={"test": "http://change-feed.test"},
    endpoints=(
        Endpoint(table="lines", path="lines", mode=LoadMode.INCREMENTAL, cursor="Timestamp",
                 initial_value=1,
                 columns={"ID": "text", "Amount": "decimal", "Timestamp": "bigint"}),
        Endpoint(table="deleted_records", path="deleted", mode=LoadMode.DELETIONS,
                 cursor="Timestamp", initial_value=1,
                 columns={"ID": "text", "EntityKey": "text", "EntityType": "bigint",
                          "Timestamp": "bigint"},
                 deleted_key_field="EntityKey", deleted_type_field="EntityType",
                 deleted_tables={1: "lines"}),
    ),
)


def test_a_record_changed_or_deleted_while_its_feed_is_read_ends_as_its_latest_row(settings):
    """Line b changes after the first page (its new version comes on the next), line a is
    deleted (the log, read after the lines, holds its tombstone): one load, each key twice."""
    transport = _ScriptedTransport({
        "lines": [[{"ID": "a", "Amount": "1.00", "Timestamp": 10},
                   {"ID": "b", "Amount": "2.00", "Timestamp": 11}],
                  [{"ID": "b", "Amount": "5.00", "Timestamp": 20}]],
        "deleted": [[{"ID": "d1", "EntityKey": "a", "EntityType": 1, "Timestamp": 30}]],
    })
    adapter = type("ChangeFeedAdapter", (ProviderAdapter,),
                   {"spec": _CHANGE_FEED, "transport": transport})()
    run = ImportRunContext(EntityContext(1, 7, "x", "change_feed-x", "Entity X"))
    pipeline = entity_pipeline(settings, _CHANGE_FEED, run.entity.partition_key)
    pipeline.run(provider_source(adapter, run, client=object()), loader_file_format="parquet")

    assert query(settings, "select id, amount, timestamp from raw_change_feed.lines") == [
        ("b", Decimal("5.00"), 20)]
