"""The main job: seed the sandbox organisation, import every entity through Dagster, build dbt, report."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.definitions import defs
from monitr_pipeline.entity_figures import entity_figures
from monitr_pipeline.instance import monitr_instance
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.report_figures import report_figures
from monitr_pipeline.runner import (
    refresh_status_board,
    run_import,
    run_transforms,
    sync_partitions,
)
from monitr_sandbox.organisation import seed_organisation, start_sandbox
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import MART_TABLES, entry_balance, rows_per_mart


def _demo_runs_path(settings: Settings):
    return settings.sandbox_dir / "demo.json"


def current_demo_day(settings: Settings) -> int:
    """The day of bookkeeping the emulators replayed in the last demo run (0 before any run)."""
    path = _demo_runs_path(settings)
    return max(json.loads(path.read_text())["runs"] - 1, 0) if path.exists() else 0


def _next_demo_day(settings: Settings) -> int:
    """Each demo run after the first replays one more day of bookkeeping in the emulators, so
    the second run has new, changed and deleted records to import incrementally."""
    path = _demo_runs_path(settings)
    runs = json.loads(path.read_text())["runs"] if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"runs": runs + 1}))
    return runs


def run_demo(settings: Settings | None = None, echo: Callable[[str], None] = print,
             ports: dict | None = None) -> bool:
    settings = settings or Settings.from_env()
    started = time.monotonic()
    day = _next_demo_day(settings)
    control = ControlPlane.from_settings(settings)
    instance = monitr_instance(settings)
    with start_sandbox(settings.sandbox_dir, day=day, ports=ports) as sandbox:
        echo(f"Sandbox emulators on {', '.join(sorted(sandbox.urls.values()))} (day {day})")
        seed_organisation(control, sandbox)
        plan = sync_partitions(control, instance)
        added = sum(len(keys) for keys in plan.additions.values())
        echo(f"Partitions in step with the control plane ({added} added)")
        request_key = f"demo:{day}"
        outcomes = []
        for connection in control.connections():
            echo(f"Importing {connection.entity_name} ({connection.provider}, "
                 f"{connection.partition_key}) ...")
            outcomes.append(run_import(defs, instance, control, connection, trigger="manual",
                                       request_key=request_key, quiet=True))
    dbt_log = settings.home / "logs" / "dbt_build.log"
    echo(f"Building dbt models and tests (dbt output: {dbt_log}) ...")
    transforms_ok = run_transforms(defs, instance, log_path=dbt_log)
    # What the status board's sensor would ask the daemon for: the UI's imports/status_board.
    board_ok = refresh_status_board(instance, trigger="demo")
    echo(f"Import status board {'refreshed' if board_ok else 'FAILED to refresh'}: "
         "imports/status_board in the UI, monitr.import_status in the warehouse")
    ok = _print_summary(settings, control, echo, first_run=day == 0)
    echo(f"dbt build: {'passed' if transforms_ok else 'FAILED'}; "
         f"took {time.monotonic() - started:.0f} s. Dagster UI: see README (dagster dev).")
    return ok and transforms_ok and board_ok and all(o.success for o in outcomes)


def _print_summary(settings: Settings, control: ControlPlane, echo: Callable[[str], None],
                   first_run: bool) -> bool:
    counts = rows_per_mart(settings)
    balance = entry_balance(settings)
    statuses = control.import_statuses()
    entity_ids = {c.partition_key: c.entity_id for c in control.connections()}
    short = {t: t.split("_", 1)[1] for t in MART_TABLES}
    header = f"{'entity':<34} {'provider':<13} {'status':<11} {'changed':>8} " + " ".join(
        f"{short[t]:>17}" for t in MART_TABLES) + "  balanced"
    echo("")
    echo(f"Import summary ({'full import' if first_run else 'incremental import'})")
    echo(header)
    echo("-" * len(header))
    all_ok = True
    for status in statuses:
        entity_id = entity_ids[status.partition_key]
        entries, unbalanced = balance.get(entity_id, (0, 0))
        beside = adapter_for(status.provider).spec.connection_kind != "accounting"
        if beside:
            balanced = "-"  # beside the entity's accounting, which is balanced on its own row
            entries, unbalanced = 1, 0
        else:
            balanced = f"yes ({entries} entries)" if entries and not unbalanced else (
                f"NO: {unbalanced} of {entries}" if entries else "no entries")
        all_ok &= status.status == "Succeeded" and entries > 0 and not unbalanced
        echo(f"{status.entity_name[:34]:<34} {status.provider:<13} {status.status:<11} "
             f"{status.rows_loaded or 0:>8} "
             # The GL marts' rows are the accounting's: a row beside it shows its figures below.
             + " ".join(f"{'-' if beside else counts.get(entity_id, {}).get(t, 0):>17}"
                        for t in MART_TABLES)
             + f"  {balanced}")
        if status.error:
            echo(f"    error: {status.error}")
    total_changed = sum(s.rows_loaded or 0 for s in statuses)
    echo("")
    echo(f"{len(statuses)} entities, {total_changed} rows changed in this import "
         "(new, updated or deleted source records).")
    _print_figures(statuses, echo, report_figures(settings),
                   "Reports (standard chart, latest month, balance sheet; marts/reports)")
    _print_figures(statuses, echo, entity_figures(settings),
                   "Beside the accounting (revenue, CRM, personnel, annual accounts, projects)")
    return all_ok


def _print_figures(statuses: list, echo: Callable[[str], None],
                   figures: dict[str, dict[int, str]], title: str) -> None:
    """Per entity with figures: its headline figures (the marts' own, see
    monitr_pipeline/entity_figures.py and report_figures.py)."""
    names = {}
    for status in statuses:
        names.setdefault(status.entity_id, status.entity_name)
    entity_ids = sorted({e for by_entity in figures.values() for e in by_entity})
    if not entity_ids:
        return
    headings = list(figures)
    widths = [max([len(h)] + [len(figures[h].get(e, "-")) for e in entity_ids]) for h in headings]
    header = f"{'entity':<34} " + "  ".join(f"{h:>{w}}" for h, w in zip(headings, widths))
    echo("")
    echo(title)
    echo(header)
    echo("-" * len(header))
    for entity_id in entity_ids:
        echo(f"{names.get(entity_id, entity_id)!s:<34.34} " + "  ".join(
            f"{figures[h].get(entity_id, '-'):>{w}}" for h, w in zip(headings, widths)))
