"""End to end: the real import job against the e-Boekhouden emulator (sessions, mutation details read
once and then only when new or possibly changed, snapshot digests) into the warehouse and the marts,
and the ways it fails and recovers."""

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.providers.eboekhouden import ADAPTER
from monitr_pipeline.providers.eboekhouden.mutation_reads import FULL_PASS_DAYS, recent_since
from monitr_pipeline.runner import run_import, run_transforms
from monitr_sandbox.eboekhouden import SANDBOX_ADMINISTRATION
from monitr_pipeline.warehouse import entry_balance, query

WORLD_PROVIDERS = ("eboekhouden", "moneybird")  # the sandbox world this module needs

PROVIDER = "eboekhouden"
ROWS = "raw_eboekhouden.mutation_rows"
LIST_PATH = "/v1/mutation"
DETAIL_PATH = r"/v1/mutation/\d+"


class _Calendar:
    """The import's "today" (the recent window, the weekly full pass), set by the test."""

    def __init__(self, today: date) -> None:
        self.today = today


@pytest.fixture(scope="module")
def _calendar() -> Iterator[_Calendar]:
    calendar = _Calendar(SANDBOX_ADMINISTRATION.last_booking_date)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ADAPTER, "today", lambda: calendar.today)
        yield calendar


@pytest.fixture(autouse=True)
def calendar(_calendar) -> _Calendar:
    """Each test starts on the sandbox's last booking date (the day of the first import)."""
    _calendar.today = SANDBOX_ADMINISTRATION.last_booking_date
    return _calendar


# One sandbox world for the module, imported once; the tests that need an e-Boekhouden nobody
# has imported from (the first import's session expiring, the key revoked) have their own.
@pytest.fixture
def control(world):
    return world.control


@pytest.fixture
def settings(world):
    return world.settings


@pytest.fixture
def instance(world):
    return world.instance


@pytest.fixture
def emulator(world):
    return world.sandbox.emulators[(PROVIDER, "default")]


@pytest.fixture(scope="module")
def imported(world, _calendar):
    [connection] = world.connections(PROVIDER)
    assert run_import(defs, world.instance, world.control, connection).success
    return connection


def _raw_rows(settings, entity_id) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(
        settings, f"select mutation_row_id, mutation_id, row_amount, row_description, "
                  f"row_cost_center_id from {ROWS} where _monitr_entity_id = ?", (entity_id,))}


def _served_rows(emulator) -> dict[str, tuple]:
    """What e-Boekhouden serves now, keyed like the import keys it."""
    rows = {}
    for item in emulator.books.list_items():
        if item["type"] == 0:
            rows[f"0-{item['ledgerId']}"] = (0, Decimal(str(item["amount"])), None, None)
    for mutation_id, detail in emulator.books.details().items():
        for number, row in enumerate(detail["rows"] if mutation_id else [], start=1):
            rows[f"{mutation_id}-{number}"] = (mutation_id, Decimal(str(row["amount"])),
                                               row["description"] or None,
                                               row["costCenterId"] or 0)
    return rows


def _comparable(rows: dict[str, tuple]) -> dict[str, tuple]:
    return {key: (m, amount, description, centre or 0) for key, (m, amount, description, centre)
            in rows.items()}


def _status(control, connection):
    return next(s for s in control.import_statuses(PROVIDER)
                if s.partition_key == connection.partition_key)


def _calls(emulator, pattern: str, method: str = "GET", since: int = 0) -> list[str]:
    return [path for verb, path, _ in emulator.request_log[since:]
            if verb == method and re.fullmatch(pattern, path)]


def _mutations(emulator) -> dict[int, dict]:
    return {m: detail for m, detail in emulator.books.details().items() if m}


def _recent_window(emulator, today: date) -> set[int]:
    headers = {item["id"]: item for item in emulator.books.list_items() if item["type"]}
    since = recent_since(headers, today)
    return {m for m, item in headers.items() if date.fromisoformat(item["date"]) >= since}


def _book_like(emulator, mutation_id: int, on: date) -> int:
    """A new memorial on `on` with the lines of an existing one; its mutation id."""
    lines = [(line.account_code, line.amount) for line in emulator.books.entry(mutation_id).lines]
    entry = emulator.add_entry(on=on, description="Kasverschil", lines=lines)
    return emulator.books.mutation_id(entry.entry_number)


def _read_in_detail(emulator, since: int) -> list[int]:
    """The mutations whose detail was read since, each as often as it was read."""
    return sorted(int(path.rsplit("/", 1)[1]) for path in _calls(emulator, DETAIL_PATH, since=since))


def _assert_marts_match_the_books(settings, emulator, entity_id) -> None:
    marts = defaultdict(Decimal)
    for entry, account, amount in query(
            settings, "select source_entry_id, account_code, amount from marts.fct_gl_lines "
                      "where provider = ? and entity_id = ?", (PROVIDER, entity_id)):
        marts[(int(entry), account)] += amount
    assert {k: v for k, v in marts.items() if v} == emulator.books.gl_totals()
    entries, unbalanced = entry_balance(settings)[entity_id]
    assert entries == len(emulator.books.details()) and unbalanced == 0


def test_full_import_reads_every_mutation_once_and_the_marts_balance(imported, control, settings,
                                                                     emulator, instance):
    assert _status(control, imported).status == "Succeeded"
    loaded, served = _raw_rows(settings, imported.entity_id), _served_rows(emulator)
    assert _comparable(loaded) == _comparable(served) and len(loaded) > 500
    # The first import: one list call (limit 2000), then one detail call per mutation (none for
    # the opening balance, whose list items hold all of it).
    assert len(_calls(emulator, LIST_PATH)) == 1
    assert sorted(_calls(emulator, DETAIL_PATH)) == sorted(f"/v1/mutation/{m}" for m in _mutations(emulator))
    for table, expected in (("ledgers", len(emulator.books.ledgers())), ("cost_centers", 5),
                            ("relations", len(emulator.books.relations())), ("administrations", 1),
                            ("outstanding_receivables", len(emulator.books.outstanding("D"))),
                            ("outstanding_payables", len(emulator.books.outstanding("C")))):
        [(count,)] = query(settings, f"select count(*) from raw_eboekhouden.{table}")
        assert count == expected > 0, table

    assert run_transforms(defs, instance)
    # Every mutation spelled out as lines lands on the accounts the sandbox ledger booked (VAT on
    # the VAT code's ledger), debit positive: per mutation and account, to the cent.
    _assert_marts_match_the_books(settings, emulator, imported.entity_id)
    types = {t for (t,) in query(settings, "select distinct entry_type from marts.fct_gl_lines "
                                           "where provider = ?", (PROVIDER,))}
    assert {"opening", "sales", "sales_credit", "purchase", "bank", "general"} <= types
    [(periods, years)] = query(settings, "select count(*), count(distinct fiscal_year) from "
                                         "marts.dim_fiscal_periods where provider = ?", (PROVIDER,))
    assert (periods, years) == (24, 2)
    [(open_total,)] = query(settings, "select sum(open_amount) from marts.fct_outstanding_items "
                                      "where provider = ?", (PROVIDER,))
    assert open_total == sum(item.amount for item in emulator.ledger().open_items)


def test_incremental_import_reads_only_new_and_recent_mutations(imported, control, settings,
                                                                emulator, instance, calendar):
    books, before = emulator.books, _raw_rows(settings, imported.entity_id)
    by_date = sorted(_mutations(emulator), key=lambda m: (books.details()[m]["date"], m))
    # One changed in the recent window: a row's description and cost centre, which the list's
    # header does not show. One deleted, from an old period. One new, booked today.
    changed = next(m for m in reversed(by_date) if books.details()[m]["type"] == 2)
    centre = next(c.code for c in books.ledger.cost_centres
                  if books.chart.cost_centre_ids[c.code] != books.details()[changed]["rows"][0]["costCenterId"])
    emulator.change_row(changed, 1, description="Gecorrigeerd", cost_centre=centre)
    gone = next(m for m in by_date if books.details()[m]["type"] == 7)
    new = _book_like(emulator, gone, calendar.today)
    emulator.delete_mutation(gone)
    window = _recent_window(emulator, calendar.today)
    assert {changed, new} <= window and gone not in window

    since = len(emulator.request_log)
    assert run_import(defs, instance, control, imported).success
    # One list page, then the details of the recent window only (the new mutation is in it).
    assert len(_calls(emulator, LIST_PATH, since=since)) == 1
    assert _read_in_detail(emulator, since) == sorted(window)
    assert len(window) < len(_mutations(emulator)) / 10

    after = _raw_rows(settings, imported.entity_id)
    assert _comparable(after) == _comparable(_served_rows(emulator))  # no duplicates, none stale
    assert {after[key][0] for key in set(after) - set(before)} == {new}
    assert {before[key][0] for key in set(before) - set(after)} == {gone}
    assert after[f"{changed}-1"][2] == "Gecorrigeerd" != before[f"{changed}-1"][2]
    assert after[f"{changed}-1"][3] == books.chart.cost_centre_ids[centre]
    status = _status(control, imported)
    # The rows of the new and the changed mutation, and tombstones for the deleted one's.
    assert status.status == "Succeeded" and 0 < status.rows_loaded < 20

    assert run_transforms(defs, instance)
    _assert_marts_match_the_books(settings, emulator, imported.entity_id)
    [(description, centre_code)] = query(
        settings, "select description, cost_centre_code from marts.fct_gl_lines "
                  "where provider = ? and source_line_id = ?", (PROVIDER, f"{changed}-1"))
    assert description == "Gecorrigeerd" and centre_code == str(books.chart.cost_centre_ids[centre])


def test_weekly_full_pass_catches_an_edit_in_an_old_period(imported, control, settings, emulator,
                                                           instance, calendar):
    books, first_import = emulator.books, calendar.today
    old = next(m for m in sorted(_mutations(emulator), key=lambda m: books.details()[m]["date"])
               if books.details()[m]["type"] == 2)
    emulator.change_row(old, 1, description="Herboekt")
    assert old not in _recent_window(emulator, calendar.today)

    # The next day: the old period is not read, its edit not seen yet.
    calendar.today = first_import + timedelta(days=1)
    since = len(emulator.request_log)
    assert run_import(defs, instance, control, imported).success
    assert _read_in_detail(emulator, since) == sorted(_recent_window(emulator, calendar.today))
    assert _raw_rows(settings, imported.entity_id)[f"{old}-1"][2] != "Herboekt"

    # A week after the last full pass (the first import) every detail is read again.
    calendar.today = first_import + timedelta(days=FULL_PASS_DAYS)
    since = len(emulator.request_log)
    assert run_import(defs, instance, control, imported).success
    assert _read_in_detail(emulator, since) == sorted(_mutations(emulator))
    loaded = _raw_rows(settings, imported.entity_id)
    assert _comparable(loaded) == _comparable(_served_rows(emulator))
    assert loaded[f"{old}-1"][2] == "Herboekt"
    # Read in full, loaded only where changed: the old mutation's rows.
    assert _status(control, imported).rows_loaded == len(books.details()[old]["rows"])


def test_expired_session_and_429_are_waited_out_in_one_import(own_world):
    [connection] = own_world.connections(PROVIDER)
    control, settings, instance = own_world.control, own_world.settings, own_world.instance
    emulator = own_world.sandbox.emulators[(PROVIDER, "default")]
    emulator.expire_sessions_after(100)  # mid-way through the detail calls
    emulator.inject_fault(r"^/v1/mutation/7$", 429, times=2, headers={"Retry-After": "1"})
    since = len(emulator.request_log)
    assert run_import(defs, instance, control, connection).success
    # The import's session, then one renewal after the 401: no retry storm, no failure.
    assert len(_calls(emulator, "/v1/session", "POST", since)) == 2
    assert _calls(emulator, "/v1/mutation/7") == ["/v1/mutation/7"] * 3  # two 429s, then served
    assert _comparable(_raw_rows(settings, connection.entity_id)) == _comparable(_served_rows(emulator))
    assert control.integration(connection.integration_id).health.value == "healthy"


def test_revoked_api_token_fails_with_the_reason_and_flags_the_integration(own_world):
    [connection] = own_world.connections(PROVIDER)
    control, instance = own_world.control, own_world.instance
    emulator = own_world.sandbox.emulators[(PROVIDER, "default")]
    emulator.revoke_api_key()  # the user deleted the token in e-Boekhouden
    since = len(emulator.request_log)

    assert not run_import(defs, instance, control, connection).success
    status = _status(control, connection)
    assert status.status == "Failed"
    assert connection.entity_name in status.error and "refused the API token" in status.error
    assert "Invalid access token" in status.error and "reconnect" in status.error
    integration = control.integration(connection.integration_id)
    assert integration.health.value == "credentials_rejected"
    assert "Invalid access token" in integration.health_reason
    # Refused at the session: no data call was attempted with it.
    assert {path for _, path, _ in emulator.request_log[since:]} == {"/v1/session"}
    others = [c for c in control.connections() if c.provider != PROVIDER]
    assert others and all(control.integration(c.integration_id).health.value != "credentials_rejected"
                          for c in others)


def test_malformed_pages_fail_cleanly_and_the_next_import_recovers(imported, control, settings,
                                                                   emulator, instance, calendar):
    before = _raw_rows(settings, imported.entity_id)
    memorial = next(m for m, detail in _mutations(emulator).items() if detail["type"] == 7)
    new = _book_like(emulator, memorial, calendar.today)

    emulator.inject_fault(r"^/v1/mutation\?", 200, body='{"items": [{"id": 0, "type": 0, "led')
    assert not run_import(defs, instance, control, imported).success
    error = _status(control, imported).error
    assert imported.entity_name in error and "v1/mutation page 1 is malformed" in error

    emulator.inject_fault(rf"^/v1/mutation/{new}$", 200, body=f'{{"id": {new}, "rows": [{{"ledg')
    assert not run_import(defs, instance, control, imported).success
    error = _status(control, imported).error
    assert imported.entity_name in error and f"mutation {new}" in error and "malformed" in error
    assert _raw_rows(settings, imported.entity_id) == before  # nothing half-loaded

    assert run_import(defs, instance, control, imported).success
    assert _comparable(_raw_rows(settings, imported.entity_id)) == _comparable(_served_rows(emulator))
