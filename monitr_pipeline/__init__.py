"""monitr_pipeline: provider APIs -> dlt -> warehouse -> dbt marts, orchestrated by Dagster."""
