"""`monitr connect`, `monitr integrations ...`, `monitr entities ...`: the life of an integration.

Each command group lives in its own module with its flags; this one puts them on the command line
in the order `monitr --help` lists them. Beside them: `plumbing` (control plane, adapters, refusals,
partition sync) and `printing` (what the commands show about integrations).
"""

from __future__ import annotations

from typing import Any

from monitr_pipeline.cli import connect, entities, integrations


def add_commands(commands: Any) -> None:
    connect.add_commands(commands)
    integrations.add_commands(commands)
    entities.add_commands(commands)
