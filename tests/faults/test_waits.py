"""Faults that make an import wait: 429s with every form of Retry-After, spent quotas, requests
that time out. The import waits what the provider says, says so when it is long, and loads
every line once."""

from __future__ import annotations

import logging
import time
from email.utils import formatdate

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.ingestion import http
from monitr_pipeline.runner import run_import

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs

LINES_PATH = r"/sync/Financial/TransactionLines"


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """Every pause an import makes between calls, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(http, "pause", taken.append)
    return taken


def _import(world, connection):
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert outcome.success, outcome.status.error
    return outcome


def _calls(emulator, path_pattern: str) -> int:
    return sum(1 for _, path, _ in emulator.request_log if path.endswith(path_pattern.lstrip("/")))


def _exact_429(retry_after: str, now: float) -> dict[str, str]:
    """Exact's own 429: minutely quota spent, reset at the next minute, and a Retry-After."""
    return {"Retry-After": retry_after, "X-RateLimit-Minutely-Remaining": "0",
            "X-RateLimit-Minutely-Reset": str(int((now + 61) * 1000))}


@pytest.mark.parametrize("retry_after, expected", [
    ("1", 1.0),  # seconds: not the minute's reset (61 s), which the 429 also carries
    ("0", 0.0),  # at once
    ("date+10", 10.0),  # an HTTP date ten seconds ahead (less the time until the call)
])
def test_a_429_waits_what_retry_after_says(retry_after, expected, world, exact, exact_emulator,
                                           pauses, warehouse_lines, ledger_lines):
    connection = exact["nl"][0]
    emulator = exact_emulator(connection)
    now = time.time()
    if retry_after.startswith("date+"):
        retry_after = formatdate(now + float(retry_after.removeprefix("date+")), usegmt=True)
    emulator.inject_fault(LINES_PATH, 429, headers=_exact_429(retry_after, now))
    calls = _calls(emulator, LINES_PATH)
    _import(world, connection)
    assert _calls(emulator, LINES_PATH) >= calls + 2  # refused, then asked again
    assert len(pauses) == 1 and pauses[0] == pytest.approx(expected, abs=3.0)
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)


def test_a_spent_quota_pauses_only_after_a_success_and_says_so(world, exact, exact_emulator,
                                                               pauses, caplog):
    connection = exact["nl"][1]
    emulator = exact_emulator(connection)
    spent = {"X-RateLimit-Minutely-Remaining": "0",
             "X-RateLimit-Minutely-Reset": str(int((time.time() + 40) * 1000))}
    emulator.inject_fault(r"/system/Divisions", None, headers=spent)
    # A 200 that says the minute's budget is spent: the emulator serves its usual answer with
    # these headers set by the test's fault.
    with caplog.at_level(logging.INFO, logger="monitr_pipeline"):
        _import(world, connection)
    long_pauses = [p for p in pauses if p > 5]
    assert len(long_pauses) == 1 and 30 < long_pauses[0] <= 40  # until the minute's reset
    said = [r.getMessage() for r in caplog.records if "quota spent" in r.getMessage()]
    assert said and connection.entity_name in said[0] and "pausing" in said[0]


def test_a_long_retry_wait_is_logged_with_the_entity(world, exact, exact_emulator, pauses,
                                                     caplog):
    connection = exact["be"][0]
    emulator = exact_emulator(connection)
    emulator.inject_fault(LINES_PATH, 429, headers=_exact_429("30", time.time()))
    with caplog.at_level(logging.INFO, logger="monitr_pipeline"):
        _import(world, connection)
    assert pauses == [30.0]
    said = [r.getMessage() for r in caplog.records if "waiting 30 s" in r.getMessage()]
    assert said and connection.entity_name in said[0] and "429" in said[0]


def test_a_request_that_times_out_is_asked_again(world, exact, exact_emulator, monkeypatch,
                                                 pauses, warehouse_lines, ledger_lines):
    connection = exact["be"][1]
    emulator = exact_emulator(connection)
    monkeypatch.setattr(http, "REQUEST_TIMEOUT_SECONDS", 1)
    emulator.inject_fault(LINES_PATH, None, delay=3)
    calls = _calls(emulator, LINES_PATH)
    _import(world, connection)
    assert _calls(emulator, LINES_PATH) >= calls + 2
    assert warehouse_lines(connection.entity_id) == ledger_lines(connection)
