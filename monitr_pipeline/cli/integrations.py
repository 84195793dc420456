"""`monitr integrations list|check|discover|reconnect|delete`: an integration's health and life.

Reconnecting renews access the way `monitr connect` first got it (`connect.authorise`), so the same
secrets rule holds: keys from the environment or a hidden prompt, nothing secret printed.
"""

from __future__ import annotations

import argparse
from typing import Any

from monitr_pipeline.cli.connect import authorise, consent_options
from monitr_pipeline.cli.plumbing import (
    CliError,
    control_plane,
    guarded,
    live_integration,
    provider_adapter,
    start_imports,
)
from monitr_pipeline.cli.printing import (
    check_in_dagster,
    forget_health,
    print_administrations,
    print_integrations,
)


def cmd_integrations_list(args: argparse.Namespace) -> int:
    control = control_plane()
    organisation_id = control.organisation_id(args.organisation) if args.organisation else None
    integrations = control.integrations(organisation_id)
    if not integrations:
        print("No integrations yet: `monitr connect <provider>`.")
        return 0
    print_integrations(control, integrations)
    return 0


def cmd_integrations_check(args: argparse.Namespace) -> int:
    control = control_plane()
    targets = ([live_integration(control, args.integration).integration_id] if args.integration
               else [i.integration_id for i in control.integrations(include_deleted=False)])
    checked = check_in_dagster(control, targets, trigger="manual")
    print_integrations(control, checked)
    return 0 if all(i.health == "healthy" for i in checked if i.status != "pending_auth") else 1


def cmd_integrations_discover(args: argparse.Namespace) -> int:
    from monitr_pipeline.connections.connect import discover

    control = control_plane()
    integration = live_integration(control, args.integration)
    adapter = provider_adapter(integration.provider)
    print_administrations(control, integration.integration_id,
                          discover(control, adapter, integration.integration_id))
    return 0


def cmd_integrations_reconnect(args: argparse.Namespace) -> int:
    control = control_plane()
    integration = live_integration(control, args.integration)
    adapter = provider_adapter(integration.provider)
    base_url = args.base_url or integration.base_url
    moved = base_url != integration.base_url
    if moved:
        # The consent goes to the new address, which the integration keeps once access is
        # renewed there; it keeps its old one if the reconnect fails.
        control.set_base_url(integration.integration_id, base_url)
    try:
        renewed = authorise(control, adapter, integration.organisation_id,
                            environment=integration.environment, base_url=base_url,
                            args=args, integration_id=integration.integration_id)
        if renewed is None:
            raise CliError(f"{integration.name} has no credentials to renew")
    except BaseException:
        if moved:
            control.set_base_url(integration.integration_id, integration.base_url)
        raise
    [checked] = check_in_dagster(control, [integration.integration_id], trigger="reconnect")
    at = f" at {adapter.base_url(checked.environment, checked.base_url)}" if moved else ""
    print(f"Reconnected {checked.name} (integration {checked.integration_id}){at}; its "
          f"{checked.active_connections} entities import again on the next run.")
    print_integrations(control, [checked])
    return 0


def cmd_integrations_delete(args: argparse.Namespace) -> int:
    control = control_plane()
    integration = live_integration(control, args.integration)
    stopped = control.delete_integration(integration.integration_id)
    start_imports(control, [], run_now=False)  # removes the partitions of the stopped entities
    forget_health(integration)
    print(f"Deleted {integration.name} (integration {integration.integration_id}): stopped "
          f"imports of {len(stopped)} entities; all imported data is kept.")
    for c in stopped:
        print(f"  {c.entity_name} ({c.partition_key})")
    return 0


def add_commands(commands: Any) -> None:
    integrations = commands.add_parser("integrations", help="list, check, reconnect or delete "
                                       "integrations").add_subparsers(dest="action", required=True)
    listing = integrations.add_parser("list", help="every integration with its status and health")
    listing.add_argument("--organisation", help="only this organisation's")
    listing.set_defaults(func=guarded(cmd_integrations_list))
    check = integrations.add_parser("check", help="ask the providers now (what the sensor does)")
    check.add_argument("integration", type=int, nargs="?")
    check.set_defaults(func=guarded(cmd_integrations_check))
    discover = integrations.add_parser("discover", help="the administrations its login sees")
    discover.add_argument("integration", type=int)
    discover.set_defaults(func=guarded(cmd_integrations_discover))
    reconnect = integrations.add_parser("reconnect", help="renew consent or credentials; keeps "
                                        "the integration and its entities")
    reconnect.add_argument("integration", type=int)
    reconnect.add_argument("--base-url", help="reconnect at this address instead of the one it "
                           "has (an emulator, or a host other than the provider's default for "
                           "its environment); the integration keeps it")
    consent_options(reconnect)
    reconnect.set_defaults(func=guarded(cmd_integrations_reconnect))
    delete = integrations.add_parser("delete", help="stop all its imports; data is kept")
    delete.add_argument("integration", type=int)
    delete.set_defaults(func=guarded(cmd_integrations_delete))
