"""monitr_pipeline: provider APIs -> dlt -> warehouse -> dbt marts, orchestrated by Dagster."""

import os as _os

# dlt reports anonymous usage to dlthub by default; pipelines of clients' ledgers send nothing
# anywhere but their destination (and this sandbox has no internet: each report only times out).
_os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
