"""Imports that die: `monitr import` in a child process that kills itself (SIGKILL: no cleanup of
any kind, as the OOM killer or a lost machine would) at a chosen point, for the fault tests and
the fault bench."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Code run in the child before `monitr import`, patching the point where it dies.
DEATHS = {
    # While extracting: as the first GL page is turned into rows.
    "extract": """
        from monitr_pipeline.ingestion import source
        _arrow_page = source.EndpointReader.arrow_page
        def arrow_page(self, rows):
            if self.endpoint.table == "gl_transaction_lines":
                os.kill(os.getpid(), signal.SIGKILL)
            return _arrow_page(self, rows)
        source.EndpointReader.arrow_page = arrow_page
    """,
    # In the load step, after the first table was written into the warehouse and before the
    # rest (and the pipeline state with the new cursors) is.
    "load": """
        from dlt.destinations.impl.duckdb.sql_client import DuckDbSqlClient
        _execute = DuckDbSqlClient.execute_sql
        written = []
        def execute_sql(self, sql, *args, **kwargs):
            text = str(sql)
            if "INSERT INTO" in text and '_staging"' not in text.split("INSERT INTO", 1)[1][:80]:
                if written:
                    os.kill(os.getpid(), signal.SIGKILL)
                written.append(text)
            return _execute(self, sql, *args, **kwargs)
        DuckDbSqlClient.execute_sql = execute_sql
    """,
}


def spawn_import(home: Path, partition_key: str, die_at: str | None = None) -> subprocess.Popen:
    """`monitr import <partition_key>` on MONITR_HOME `home`, in a child process; with `die_at`
    ("extract" or "load") it kills itself there."""
    script = "\n".join([
        "import os, signal, sys",
        textwrap.dedent(DEATHS[die_at]) if die_at else "",
        "from monitr_pipeline.cli import main",
        f"sys.exit(main(['import', {partition_key!r}]))",
    ])
    env = {**os.environ, "MONITR_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
