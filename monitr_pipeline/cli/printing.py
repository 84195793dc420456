"""What the connections commands show about integrations: the administrations a login sees, each
integration's status, health and fix steps, and that same health on the Dagster asset.

Nothing shown here includes a token, key or client secret: it reads only the control plane's
public fields and the providers' administration names.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitr_pipeline.connections.connect import hinted_entity
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, IntegrationInfo
from monitr_pipeline.providers.adapter import Administration
from monitr_pipeline.settings import Settings


def print_administrations(control: ControlPlane, integration_id: int,
                          administrations: Sequence[Administration]) -> None:
    connected = {c.external_id: c for c in control.connections()
                 if c.integration_id == integration_id}
    visible = {a.external_id for a in administrations}
    missing = [c for c in connected.values() if c.external_id not in visible]
    organisation_id = control.integration_info(integration_id).organisation_id
    rows = ([(a.external_id, a.name, _imported_into(connected.get(a.external_id))
              or _linked_to(control, organisation_id, a))
             for a in administrations]
            + [(c.external_id, c.external_name, f"NOT FOUND (entity {c.entity_id}, connection "
                f"{c.connection_id})") for c in missing])
    # Ids run from Exact's 6 digits to e-Boekhouden's 36-character GUIDs: size columns to them.
    id_width = max((len(external_id) for external_id, _, _ in rows), default=0)
    name_width = max((len(name) for _, name, _ in rows), default=0)
    print(f"The login sees {len(administrations)} administration(s):")
    for external_id, name, where in rows:
        print(f"  {external_id:<{id_width}}  {name:<{name_width}}  {where}")


def _imported_into(connection: ConnectionInfo | None) -> str | None:
    if connection is None:
        return None
    return f"imported into entity {connection.entity_id} ({connection.entity_name})"


def _linked_to(control: ControlPlane, organisation_id: int, administration: Administration
               ) -> str:
    """Not imported; the entity selection will join it to when the provider links it to one."""
    entity_id = hinted_entity(control, organisation_id, administration)
    if entity_id is None:
        return "not imported"
    name = control.entities(organisation_id).get(entity_id)
    return f"not imported; linked to entity {entity_id} ({name})"


def print_integrations(control: ControlPlane, integrations: Sequence[IntegrationInfo]) -> None:
    """A row per integration; under an unhealthy one, its reason and the steps that fix it."""
    from monitr_pipeline.assets.integration_health import missing_administrations
    from monitr_pipeline.connections.health import reconnect_steps

    lines = table(("id", "provider", "name", "organisation", "status", "health", "entities",
                   "checked"),
                  [(i.integration_id, i.provider, i.name, i.organisation_slug, i.status, i.health,
                    i.active_connections,
                    i.health_checked_at.isoformat(timespec="seconds") if i.health_checked_at
                    else "never") for i in integrations])
    print(lines[0])
    for integration, line in zip(integrations, lines[1:]):
        print(line)
        if integration.is_deleted:
            continue
        if integration.health_reason:
            print(f"      reason: {integration.health_reason}")
        steps = reconnect_steps(integration,
                                missing_administrations(control, integration.integration_id))
        if steps and integration.health != "healthy":
            print(f"      to fix: {steps}")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Header and rows as lines, each column as wide as its widest cell (numbers right-aligned)."""
    cells = [[str(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(row[i], int) for row in rows)
               for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if right else v.ljust(w)
                         for v, w, right in zip(values, widths, numeric)).rstrip()

    return [line(headers), *(line(row) for row in cells)]


def check_in_dagster(control: ControlPlane, integration_ids: Sequence[int], trigger: str
                     ) -> list[IntegrationInfo]:
    """Check integrations the way the integration_health sensor has them checked: a
    check_integration_health run each on the Dagster instance, executed here (no daemon needed),
    so the UI shows the same green or red as the table printed after. Returns them as checked;
    raises CliError with the error of a check that failed for another reason than their health."""
    from monitr_pipeline.cli.plumbing import CliError
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.job_runs import execute_job_run
    from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
    from monitr_pipeline.runner import QUIET_RUN_CONFIG
    from monitr_pipeline.run_workers import this_worker
    from monitr_pipeline.tags import HEALTH_CHECK_JOB, WORKER_TAG, health_check_tags

    instance = monitr_instance(Settings.from_env())
    integrations = [control.integration_info(i) for i in integration_ids]
    # Their partitions, if the sensor has not added them yet (Dagster skips the existing ones).
    instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name,
                                    sorted({i.partition_key for i in integrations}))
    errors = []
    for integration in integrations:
        result = execute_job_run(
            instance, HEALTH_CHECK_JOB, partition_key=integration.partition_key,
            tags={**health_check_tags(integration.provider, trigger), WORKER_TAG: this_worker()},
            run_config=QUIET_RUN_CONFIG)
        # A Failure is the integration's health (its run is red on purpose); any other error is
        # the check's own.
        errors += [f"{integration.name} (integration {integration.integration_id}): "
                   f"{event.step_failure_data.error.message.strip()}"
                   for event in result.get_step_failure_events()
                   if event.step_failure_data and event.step_failure_data.error
                   and event.step_failure_data.user_failure_data is None]
    if errors:
        raise CliError("the health check failed: " + "; ".join(errors))
    return [control.integration_info(i) for i in integration_ids]


def forget_health(integration: IntegrationInfo) -> None:
    """A deleted integration leaves integrations/health: nothing is left to check or mend."""
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.partitions import INTEGRATION_PARTITIONS

    instance = monitr_instance(Settings.from_env())
    if instance.has_dynamic_partition(INTEGRATION_PARTITIONS.name, integration.partition_key):
        instance.delete_dynamic_partition(INTEGRATION_PARTITIONS.name, integration.partition_key)
