"""Dagster assets: raw provider tables (dlt) and the dbt models built on them."""
