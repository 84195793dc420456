"""The `monitr` command line: the demo, imports and statuses, the sandbox, the Dagster UI, and
the life of integrations (connect, discover, select, check, reconnect, delete)."""

from __future__ import annotations

import argparse
import sys

from monitr_pipeline.cli import connections, runs, sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="monitr", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    runs.add_commands(commands)
    sandbox.add_commands(commands)
    connections.add_commands(commands)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
