"""The tables Monitr itself writes into the warehouse's monitr schema and dbt reads (source
`monitr`), declared as assets so that each dbt source has an upstream asset with an owner. The
imports and the control plane write them; no job materialises them."""

from dagster import AssetKey, AssetSpec

from monitr_pipeline import account_mapping_table, entity_table_counts_table, import_loads_table
from monitr_pipeline.assets.owners import DATA_OWNER



def _monitr_table(module, description: str, group_name: str) -> AssetSpec:
    return AssetSpec(key=AssetKey([module.SCHEMA, module.TABLE]), description=description,
                     owners=[DATA_OWNER], group_name=group_name,
                     metadata={"dagster/table_name": module.QUALIFIED_TABLE})


MONITR_TABLES = (
    _monitr_table(
        import_loads_table,
        "One row per dlt load an import made: the load id stamped on the raw rows it wrote, with "
        "the provider, entity, Dagster run and control-plane import run behind it. Appended by "
        "every import right after its load.", "imports"),
    _monitr_table(
        entity_table_counts_table,
        "One row per import x raw table: the entity's rows just before and just after the "
        "import's load, and the rows it deleted; what the check that rows do not drop "
        "unexplained between imports reads. Appended by every import.", "imports"),
    _monitr_table(
        account_mapping_table,
        "The control plane's account mapping overrides (`monitr accounts map`), copied whole "
        "after every change and before every dbt build; dim_account_mappings applies them.",
        "marts"),
)
