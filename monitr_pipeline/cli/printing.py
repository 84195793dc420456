"""What the connections commands show about integrations: the administrations a login sees, each
integration's status, health and fix steps, and that same health on the Dagster asset.

Nothing shown here includes a token, key or client secret: it reads only the control plane's
public fields and the providers' administration names.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitr_pipeline.control.service import ControlPlane, IntegrationInfo
from monitr_pipeline.providers.adapter import Administration
from monitr_pipeline.settings import Settings


def print_administrations(control: ControlPlane, integration_id: int,
                          administrations: Sequence[Administration]) -> None:
    connected = {c.external_id: c for c in control.connections()
                 if c.integration_id == integration_id}
    print(f"The login sees {len(administrations)} administration(s):")
    for a in administrations:
        c = connected.get(a.external_id)
        where = f"imported into entity {c.entity_id} ({c.entity_name})" if c else "not imported"
        print(f"  {a.external_id:<16} {a.name:<40} {where}")
    visible = {a.external_id for a in administrations}
    for c in connected.values():
        if c.external_id not in visible:
            print(f"  {c.external_id:<16} {c.external_name:<40} NOT FOUND (entity {c.entity_id}, "
                  f"connection {c.connection_id})")


def print_integration(control: ControlPlane, integration: IntegrationInfo) -> None:
    from monitr_pipeline.assets.integration_health import missing_administrations
    from monitr_pipeline.connections.health import reconnect_steps

    checked = (integration.health_checked_at.isoformat(timespec="seconds")
               if integration.health_checked_at else "never")
    print(f"{integration.integration_id:>4}  {integration.provider:<14} {integration.name:<26} "
          f"{integration.organisation_slug:<10} {integration.status:<13} {integration.health:<25} "
          f"{integration.active_connections:>3} entities  checked {checked}")
    if integration.is_deleted:
        return
    if integration.health_reason:
        print(f"      reason: {integration.health_reason}")
    steps = reconnect_steps(integration, missing_administrations(control, integration.integration_id))
    if steps and integration.health != "healthy":
        print(f"      to fix: {steps}")


def report_health(control: ControlPlane, integrations: Sequence[IntegrationInfo]) -> None:
    """Record the integrations' health on the Dagster asset too, so the UI shows what we print."""
    from monitr_pipeline.assets.integration_health import health_events, missing_administrations
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.partitions import INTEGRATION_PARTITIONS

    instance = monitr_instance(Settings.from_env())
    known = set(instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name))
    new = sorted({i.partition_key for i in integrations} - known)
    if new:
        instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name, new)
    for integration in integrations:
        for event in health_events(integration,
                                   missing_administrations(control, integration.integration_id)):
            instance.report_runless_asset_event(event)
