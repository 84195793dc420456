"""What the fault suite shares: the Exact entities of the module's sandbox world, warehouse and
ledger views of them, and `monitr import` in a child process that can be made to die."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from decimal import Decimal

import pytest

from monitr_sandbox.crashes import spawn_import as spawn_import_on
from monitr_pipeline.warehouse import query


@pytest.fixture(scope="module")
def exact(world) -> dict[str, list]:
    """The Exact entity connections by environment (nl, be): two divisions each."""
    by_environment: dict[str, list] = {}
    for connection in world.connections("exact_online"):
        by_environment.setdefault(connection.environment, []).append(connection)
    return by_environment


@pytest.fixture(scope="module")
def exact_emulator(world) -> Callable:
    return lambda connection: world.sandbox.emulators[("exact_online", connection.environment)]


@pytest.fixture(scope="module")
def warehouse_lines(world) -> Callable[[int], dict[str, Decimal]]:
    """An entity's Exact GL lines in the warehouse: id -> AmountDC (deleted rows are gone; a
    line stored twice fails the test)."""

    def lines(entity_id: int) -> dict[str, Decimal]:
        rows = query(world.settings, "select id, amount_dc from "
                                     "raw_exact_online.gl_transaction_lines "
                                     "where _monitr_entity_id = ?", (entity_id,))
        lines = dict(rows)
        assert len(lines) == len(rows), "a GL line is in the warehouse twice"
        return lines

    return lines


@pytest.fixture(scope="module")
def ledger_lines(exact_emulator) -> Callable:
    """What the emulator's division holds: line id -> amount."""

    def lines(connection) -> dict[str, Decimal]:
        ledger = exact_emulator(connection).ledger(int(connection.external_id))
        return {str(line.id): line.amount for entry in ledger.entries.values()
                for line in entry.lines}

    return lines


@pytest.fixture(scope="module")
def spawn_import(world) -> Callable[..., subprocess.Popen]:
    """`monitr import <partition>` in a child process on the module's home; with `die_at`
    ("extract" or "load") it kills itself there."""
    return lambda partition_key, die_at=None: spawn_import_on(world.home, partition_key, die_at)
