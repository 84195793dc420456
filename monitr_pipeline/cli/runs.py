"""`monitr demo|import|status`: running imports and looking at them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from monitr_pipeline.settings import Settings

if TYPE_CHECKING:
    from dagster import DagsterInstance

    from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, EntityImportStatus
    from monitr_pipeline.runner import ImportOutcome


def cmd_demo(args: argparse.Namespace) -> int:
    from monitr_sandbox.demo import run_demo

    return 0 if run_demo() else 1


def import_now(instance: DagsterInstance, control: ControlPlane, connection: ConnectionInfo,
               trigger: str, request_key: str | None = None, confirm_deletions: bool = False
               ) -> ImportOutcome:
    """Run one entity's import and wait for it: its outcome, with its own import status."""
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.runner import run_import

    return run_import(defs, instance, control, connection, trigger=trigger,
                      request_key=request_key, quiet=True, confirm_deletions=confirm_deletions)


def print_findings(status: EntityImportStatus, indent: str = "  ") -> None:
    """An import's error and warnings (tables skipped), under its status line."""
    if status.error:
        print(f"{indent}error: {status.error}")
    for warning in (status.warnings or "").splitlines():
        print(f"{indent}warning: {warning}")


def cmd_import(args: argparse.Namespace) -> int:
    from monitr_pipeline.control.service import ControlPlane
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import sync_partitions

    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    matches = [c for c in control.connections()
               if c.partition_key == args.entity and (not args.provider or c.provider == args.provider)]
    if not matches:
        print(f"No active entity connection {args.entity!r}. Known: "
              + ", ".join(c.partition_key for c in control.connections()), file=sys.stderr)
        return 2
    instance = monitr_instance(settings)
    sync_partitions(control, instance)
    failed = 0
    for connection in matches:
        outcome = import_now(instance, control, connection, trigger="manual",
                             confirm_deletions=args.confirm_deletions)
        status = outcome.status
        print(f"{connection.entity_name} ({connection.provider}, {connection.partition_key}): "
              f"{status.status}, {status.rows_loaded or 0} rows changed, run {outcome.run_id}")
        print_findings(status)
        failed += not outcome.success
    return 1 if failed else 0


def cmd_status(args: argparse.Namespace) -> int:
    from monitr_pipeline.cli.printing import table
    from monitr_pipeline.control.service import ControlPlane
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.run_workers import end_dead_runs

    settings = Settings.from_env()
    control = ControlPlane.from_settings(settings)
    # An import whose process died would otherwise show In Progress for ever.
    instance = monitr_instance(settings)
    try:
        end_dead_runs(instance, control)
        board_refreshed = None
        if args.board:
            # Loads the definitions: only when asked.
            from monitr_pipeline.runner import refresh_status_board

            board_refreshed = refresh_status_board(instance)
    finally:
        instance.dispose()
    if board_refreshed is False:
        print("The import status board could not be refreshed (see its run in Dagster).",
              file=sys.stderr)
        return 1
    statuses = control.import_statuses()
    lines = table(("partition", "provider", "entity", "status", "finished"), [
        (s.partition_key, s.provider, s.entity_name, s.status,
         s.finished_at.isoformat(timespec="seconds") if s.finished_at else "-") for s in statuses])
    print(lines[0])
    for line, s in zip(lines[1:], statuses):
        print(line)
        print_findings(s, indent="      ")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    commands.add_parser("demo", help="import the sandbox organisation end to end and summarise"
                        ).set_defaults(func=cmd_demo)
    imp = commands.add_parser("import", help="import one entity now (manual import)")
    imp.add_argument("entity", help="the entity's partition key, e.g. "
                     "demo-bakkerij-de-vries-b-v-131001")
    imp.add_argument("--provider", help="only this provider's connection of the entity")
    imp.add_argument("--confirm-deletions", action="store_true",
                     help="let this import delete most of a snapshot (the rows really are gone "
                          "at the source; an import refuses it otherwise)")
    imp.set_defaults(func=cmd_import)
    status = commands.add_parser("status", help="each entity's import status")
    status.add_argument("--board", action="store_true",
                        help="also refresh the import status board now (imports/status_board "
                             "in the Dagster UI, monitr.import_status in the warehouse)")
    status.set_defaults(func=cmd_status)
