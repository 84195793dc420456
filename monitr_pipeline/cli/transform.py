"""`monitr transform [--select SELECTOR]`: build the dbt models now.

A run of the transform job (`transform_dbt`, as the demo runs it) over the dbt assets the
`transforms_after_imports` sensor rebuilds after imports, on the project's Dagster instance, so
the UI shows it beside theirs. With --select, only the models a dbt selector picks (and their
tests) are built. dbt's own output goes to a log file; the outcome is printed.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from monitr_pipeline.cli.plumbing import CliError, guarded
from monitr_pipeline.settings import Settings


def cmd_transform(args: argparse.Namespace) -> int:
    from monitr_pipeline.definitions import TRANSFORM_JOB, defs
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import dbt_models, run_transform_job

    settings = Settings.from_env()
    models = None
    if args.select:
        models = dbt_models(defs, args.select)
        if not models:
            raise CliError(f"no dbt model matches --select {args.select!r} (dbt selection syntax, "
                           "e.g. stg_moneybird__gl_lines, fct_gl_lines+, +dim_accounts or "
                           "path:models/staging/xero)")
    log_path = settings.home / "logs" / "dbt_transform.log"
    what = f"{len(models)} selected model(s)" if models is not None else "every dbt model"
    print(f"Building {what} through {TRANSFORM_JOB} (dbt output: {log_path}) ...", flush=True)
    instance = monitr_instance(settings)
    try:
        outcome = run_transform_job(defs, instance, models=models, trigger="manual",
                                    log_path=log_path)
    finally:
        instance.dispose()
    print(f"{TRANSFORM_JOB}: {'Succeeded' if outcome.success else 'Failed'}, "
          f"{len(outcome.built)} model(s) built, {len(outcome.failed_tests)} test(s) failed, "
          f"run {outcome.run_id}")
    if models is not None:
        for key in outcome.built:
            print(f"  built {key}")
    elif outcome.built:  # every model: how many per layer
        layers = Counter(key.split("/")[0] for key in outcome.built)
        print("  built " + ", ".join(f"{count} {layer}" for layer, count in layers.items()))
    for test in outcome.failed_tests:
        print(f"  failed test {test}")
    if outcome.error:
        print(f"  error: {outcome.error}")
    if not outcome.success:
        print(f"  dbt's own output: {log_path}")
    return 0 if outcome.success else 1


def add_commands(commands: Any) -> None:
    transform = commands.add_parser(
        "transform", help="build the dbt models now (all, or --select some)",
        description=__doc__)
    transform.add_argument("--select", help="only these models, in dbt selection syntax (e.g. "
                           "stg_xero__journal_lines, fct_gl_lines+, path:models/staging/xero)")
    transform.set_defaults(func=guarded(cmd_transform))
