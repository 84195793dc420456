"""Dynamic partitions: one definition per provider, one key per entity connection."""

from functools import cache

from dagster import DynamicPartitionsDefinition


@cache
def connection_partitions(provider: str) -> DynamicPartitionsDefinition:
    return DynamicPartitionsDefinition(name=f"{provider}__connections")


# One key per integration (all providers): the partitions of the integration health asset.
INTEGRATION_PARTITIONS = DynamicPartitionsDefinition(name="integrations")
