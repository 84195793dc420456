"""`monitr entities list|select|disconnect`: which administrations are imported, as which entities.

`select_and_import` is also the last step of `monitr connect`, so both say and do the same.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from monitr_pipeline.cli.plumbing import (
    CliError,
    control_plane,
    guarded,
    live_integration,
    provider_adapter,
    start_imports,
)
from monitr_pipeline.cli.printing import table
from monitr_pipeline.connections.lifecycle import select
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter


def select_and_import(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
                      chosen: Sequence[str] | None, *, run_now: bool,
                      entity_id: int | None = None,
                      visible: Sequence[Administration] | None = None) -> None:
    """Entity connections for the chosen administrations (None: all), then their first imports."""
    connections = select(control, adapter, integration_id, chosen, entity_id=entity_id,
                         visible=visible)
    for c in connections:
        print(f"Entity {c.entity_id} ({c.entity_name}) imports {c.external_id} as partition "
              f"{c.partition_key} (connection {c.connection_id}).")
    start_imports(control, connections, run_now=run_now)


def cmd_entities_list(args: argparse.Namespace) -> int:
    control = control_plane()
    statuses = {(s.provider, s.partition_key): s
                for s in control.import_statuses(active_only=False)}
    connections = control.connections(active_only=False)
    if not connections:
        print("No entities yet: `monitr connect <provider>`.")
        return 0
    rows, errors = [], []
    for c in connections:
        state = ("disconnected" if not c.is_active else
                 "NOT FOUND" if c.not_found_since else "active")
        status = statuses.get((c.provider, c.partition_key))
        finished = status.finished_at if status is not None else None
        rows.append((c.entity_id, c.entity_name, c.connection_id, c.provider, c.external_id,
                     c.partition_key, state, status.status if status is not None else "-",
                     finished.isoformat(timespec="seconds") if finished else "-"))
        errors.append(status.error if status is not None else None)
    lines = table(("entity", "name", "connection", "provider", "administration", "partition",
                   "state", "last import", "finished"), rows)
    print(lines[0])
    for line, error in zip(lines[1:], errors):
        print(line)
        if error:
            print(f"      error: {error}")
    return 0


def cmd_entities_select(args: argparse.Namespace) -> int:
    control = control_plane()
    integration = live_integration(control, args.integration)
    adapter = provider_adapter(integration.provider)
    if not args.all and not args.administrations:
        raise CliError("name the administration ids to import (see `monitr integrations "
                       f"discover {args.integration}`) or pass --all")
    select_and_import(control, adapter, integration.integration_id,
                      None if args.all else args.administrations, run_now=not args.no_import,
                      entity_id=args.entity)
    return 0


def cmd_entities_disconnect(args: argparse.Namespace) -> int:
    control = control_plane()
    connection = control.delete_connection(args.connection)
    start_imports(control, [], run_now=False)  # removes its partition
    print(f"Disconnected {connection.entity_name} from {connection.provider} (connection "
          f"{connection.connection_id}); future imports stop, imported data is kept.")
    return 0


def cmd_entities_confirm_deletions(args: argparse.Namespace) -> int:
    connection = control_plane().confirm_deletions(args.connection)
    print(f"The next import of {connection.entity_name} ({connection.provider}, "
          f"{connection.partition_key}) may delete what its snapshots no longer hold, however "
          "much (once; by any trigger).")
    return 0


def add_commands(commands: Any) -> None:
    entities = commands.add_parser("entities", help="list, select or disconnect entities"
                                   ).add_subparsers(dest="action", required=True)
    entities.add_parser("list", help="entity connections with their last import"
                        ).set_defaults(func=guarded(cmd_entities_list))
    choose = entities.add_parser("select", help="import administrations of an integration")
    choose.add_argument("integration", type=int)
    choose.add_argument("administrations", nargs="*", help="administration ids (see discover)")
    choose.add_argument("--all", action="store_true", help="every administration it sees")
    choose.add_argument("--entity", type=int, help="into this existing entity (reselect after a "
                        "rename, or switch after disconnecting the old one)")
    choose.add_argument("--no-import", action="store_true")
    choose.set_defaults(func=guarded(cmd_entities_select))
    disconnect = entities.add_parser("disconnect", help="stop an entity's imports from one "
                                     "integration; data is kept")
    disconnect.add_argument("connection", type=int)
    disconnect.set_defaults(func=guarded(cmd_entities_disconnect))
    confirm = entities.add_parser("confirm-deletions", help="let the next import of a connection "
                                  "delete most of a snapshot (the rows really are gone)")
    confirm.add_argument("connection", type=int)
    confirm.set_defaults(func=guarded(cmd_entities_confirm_deletions))
