"""`monitr/import_loads`: the warehouse table every import appends its dlt loads to
(monitr_pipeline/import_loads_table.py), declared so that the dbt source reading it
(stg_monitr__import_loads -> dim_import_loads) has an upstream asset with an owner; the imports
write it, no job materialises it."""

from dagster import AssetKey, AssetSpec

from monitr_pipeline.assets.owners import DATA_OWNER
from monitr_pipeline.import_loads_table import QUALIFIED_TABLE

IMPORT_LOADS = AssetKey(["monitr", "import_loads"])

import_loads_table = AssetSpec(
    key=IMPORT_LOADS,
    description=("One row per dlt load an import made: the load id stamped on the raw rows it "
                 "wrote, with the provider, entity, Dagster run and control-plane import run "
                 "behind it. Appended by every import right after its load."),
    owners=[DATA_OWNER],
    group_name="imports",
    metadata={"dagster/table_name": QUALIFIED_TABLE},
)
