"""Ingestion: how a provider spec becomes a dlt source and pipeline. No Dagster here."""
