"""Failure modes: revoked tokens, 429s, malformed pages, bad records. Each fails only its own entity,
names what was wrong, and loses nothing; the next import recovers."""

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, sync_partitions
from monitr_pipeline.warehouse import query

LINES_PATH = "sync/Financial/TransactionLines"


def _count_lines(settings, entity_id):
    [(count,)] = query(settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                                 "where _monitr_entity_id = ?", (entity_id,))
    return count


def _status(control, connection):
    return next(s for s in control.import_statuses() if s.partition_key == connection.partition_key)


@pytest.fixture
def ready(seeded, control, instance):
    sync_partitions(control, instance)
    by_env = {}
    for connection in control.connections("exact_online"):
        by_env.setdefault(connection.environment, connection)
    return by_env


def test_revoked_consent_fails_that_integration_only(ready, control, instance, sandbox):
    nl, be = ready["nl"], ready["be"]
    sandbox.emulators[("exact_online", "nl")].revoke_all_tokens()

    assert not run_import(defs, instance, control, nl).success
    status = _status(control, nl)
    assert status.status == "Failed"
    assert "reconnect" in status.error and nl.entity_name in status.error
    integration = control.integration(nl.integration_id)
    assert integration.health.value == "token_expired"
    assert "reconnect" in integration.health_reason

    assert run_import(defs, instance, control, be).success
    assert _status(control, be).status == "Succeeded"
    assert control.integration(be.integration_id).health.value == "healthy"


def test_429_is_retried_after_retry_after(ready, control, instance, sandbox, settings):
    nl = ready["nl"]
    emulator = sandbox.emulators[("exact_online", "nl")]
    emulator.inject_fault(LINES_PATH, 429, times=2, headers={"Retry-After": "1"})
    assert run_import(defs, instance, control, nl).success
    calls = [q for _, path, q in emulator.request_log if path.endswith(LINES_PATH)]
    # Two refused calls, then the pages themselves.
    assert len(calls) == 2 + -(-len(_ledger_line_ids(emulator, nl)) // 1000)
    assert _count_lines(settings, nl.entity_id) == len(_ledger_line_ids(emulator, nl))


def _ledger_line_ids(emulator, connection):
    return [line.id for entry in emulator.ledger(int(connection.external_id)).entries.values()
            for line in entry.lines]


def test_malformed_page_fails_cleanly_and_next_import_recovers(ready, control, instance, sandbox,
                                                              settings):
    nl = ready["nl"]
    emulator = sandbox.emulators[("exact_online", "nl")]
    assert run_import(defs, instance, control, nl).success
    before = _count_lines(settings, nl.entity_id)

    emulator.advance_to_day(1)
    emulator.inject_fault(LINES_PATH, 200, times=1, body='{"d": {"results": [{"ID": "trunc')
    assert not run_import(defs, instance, control, nl).success
    status = _status(control, nl)
    assert status.status == "Failed"
    assert nl.entity_name in status.error and LINES_PATH in status.error
    assert "malformed" in status.error
    assert _count_lines(settings, nl.entity_id) == before  # nothing half-loaded

    assert run_import(defs, instance, control, nl).success
    assert _count_lines(settings, nl.entity_id) == len(_ledger_line_ids(emulator, nl))


def test_bad_record_names_entity_record_and_field(ready, control, instance, sandbox, settings):
    nl, be = ready["nl"], ready["be"]
    assert run_import(defs, instance, control, be).success
    be_lines = _count_lines(settings, be.entity_id)
    emulator = sandbox.emulators[("exact_online", "nl")]
    body = ('{"d": {"results": [{"__metadata": {}, "ID": "0000-bad", "AmountDC": "12,50", '
            '"Timestamp": 5}]}}')
    emulator.inject_fault(LINES_PATH, 200, times=1, body=body)
    assert not run_import(defs, instance, control, nl).success
    error = _status(control, nl).error
    assert nl.entity_name in error and "gl_transaction_lines" in error
    assert "0000-bad" in error and "AmountDC" in error
    assert _count_lines(settings, nl.entity_id) == 0
    assert _count_lines(settings, be.entity_id) == be_lines  # other entities untouched
    assert run_import(defs, instance, control, nl).success
    assert _count_lines(settings, nl.entity_id) == len(_ledger_line_ids(emulator, nl))
