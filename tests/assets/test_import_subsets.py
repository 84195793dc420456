"""An entity's import is all of its tables: a run of one raw table alone is refused before any
provider is asked, and the entity's import status is not touched."""

from dagster import AssetKey, materialize
from dagster_dlt import DagsterDltResource

from monitr_pipeline.assets.imports import provider_import_assets, raw_asset_key
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.resources import MonitrResource


def test_one_table_of_an_import_is_refused(control, instance):
    organisation = control.ensure_organisation("subset", "Subset BV")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    connection = control.connect_entity(integration, "123", "Subset BV")
    instance.add_dynamic_partitions(connection_partitions("exact_online").name,
                                    [connection.partition_key])
    assets = provider_import_assets(adapter_for("exact_online"))
    result = materialize(
        [assets], instance=instance, partition_key=connection.partition_key,
        selection=[raw_asset_key("exact_online", "gl_accounts")], raise_on_error=False,
        resources={"dlt": DagsterDltResource(), "monitr": MonitrResource()})
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "loads every table at once" in failure.step_failure_data.error.message
    assert [s.status for s in control.import_statuses()] == ["Waiting"]  # never imported
    assert control.import_runs(connection.connection_id) == []


def test_raw_assets_say_what_they_hold_and_where():
    from monitr_pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    node = graph.get(AssetKey(["raw", "exact_online", "gl_transaction_lines"]))
    assert "AmountDC is signed" in node.description
    assert "incrementally on Timestamp" in node.description
    assert node.owners == ["team:data-engineering"]
    assert node.metadata["dagster/table_name"] == "raw_exact_online.gl_transaction_lines"
