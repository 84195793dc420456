"""`monitr docs [--port PORT] [--no-serve]`: the dbt docs site of the warehouse, for analysts.

`dbt docs generate` over the project and the warehouse as it is now (the catalog holds every
table's columns and types, the manifest every model's and column's description and lineage),
written to <MONITR_HOME>/dbt_docs, then served on 127.0.0.1 (as `dbt docs serve` does: the site
is static files) until Ctrl-C. Build the models first (`monitr demo` or `monitr transform`):
tables not built yet have no catalog entry.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from monitr_pipeline.cli.plumbing import CliError, guarded
from monitr_pipeline.settings import DBT_PROJECT_DIR, Settings
from monitr_pipeline.warehouse import warehouse_lock

DEFAULT_PORT = 8580


def generate_docs(settings: Settings) -> Path:
    """`dbt docs generate` into <home>/dbt_docs; returns that folder (index.html, manifest.json,
    catalog.json)."""
    target = settings.home / "dbt_docs"
    log = settings.home / "logs" / "dbt_docs.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    dbt = Path(sys.executable).parent / "dbt"
    # dbt reads the warehouse's catalog; a DuckDB file takes one process at a time.
    with warehouse_lock(settings, "monitr docs"), log.open("w") as output:
        finished = subprocess.run(
            [str(dbt), "docs", "generate", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target),
             "--log-path", str(log.parent)],
            cwd=DBT_PROJECT_DIR, env={**os.environ, **settings.dbt_env()},
            stdout=output, stderr=subprocess.STDOUT, check=False)
    if finished.returncode != 0:
        raise CliError(f"dbt docs generate failed (exit {finished.returncode}); see {log}")
    return target


def cmd_docs(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    print("Generating the dbt docs site (dbt docs generate) ...", flush=True)
    site = generate_docs(settings)
    print(f"Docs site: {site / 'index.html'}")
    if args.no_serve:
        return 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        raise CliError(f"port {args.port} is busy ({exc.strerror}); pass --port") from None
    print(f"Serving on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped.")
    return 0


def add_commands(commands: Any) -> None:
    docs = commands.add_parser("docs", help="generate and serve the dbt docs site (every mart "
                               "and column described, with lineage)", description=__doc__)
    docs.add_argument("--port", type=int, default=DEFAULT_PORT,
                      help=f"the 127.0.0.1 port to serve on (default {DEFAULT_PORT})")
    docs.add_argument("--no-serve", action="store_true",
                      help="only generate the site and print where it is")
    docs.set_defaults(func=guarded(cmd_docs))
