"""The `monitr` command line: the demo, imports and statuses, dbt builds, the Dagster UI, the
sandbox, and the life of integrations (connect, discover, select, check, reconnect, delete)."""

from __future__ import annotations

import argparse
import logging
import sys

from monitr_pipeline.cli import accounts, connections, dev, docs, runs, sandbox, transform


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitr", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    runs.add_commands(commands)
    transform.add_commands(commands)
    docs.add_commands(commands)
    dev.add_commands(commands)
    sandbox.add_commands(commands)
    connections.add_commands(commands)
    accounts.add_commands(commands)
    args = parser.parse_args(argv)
    _show_waits()
    try:
        return args.func(args)
    except ModuleNotFoundError as exc:
        if exc.name != "monitr_sandbox" and not (exc.name or "").startswith("monitr_sandbox."):
            raise
        # The emulators and the demo live in their own package, which production images leave
        # out; only the commands that need them say so.
        print(f"monitr {args.command}: needs the sandbox package (monitr_sandbox), which is not "
              "installed here; install the project from its source folder (pip install -e .) to "
              "use the emulators and the demo.", file=sys.stderr)
        return 2


def _show_waits() -> None:
    """What the import code logs at INFO (a wait for a quota, a Retry-After or a lock; a skipped
    table) is shown as it happens: a pause of minutes must not look like a hang."""
    logger = logging.getLogger("monitr_pipeline")
    if not any(getattr(h, "monitr_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("monitr: %(message)s"))
        handler.monitr_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


if __name__ == "__main__":
    sys.exit(main())
