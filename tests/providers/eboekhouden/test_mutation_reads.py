"""Which mutation details an import reads: new, changed header, recent window, weekly full pass;
counted in the emulator's request log over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.http import rest_client
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.eboekhouden import ADAPTER, SPEC, SessionAuth
from monitr_pipeline.providers.eboekhouden.mutation_reads import (
    FULL_PASS_DAYS,
    RECENT_DAYS,
    MutationReads,
    digest,
    full_pass_due,
    mutations_to_read,
    recent_since,
)
from monitr_sandbox.eboekhouden import SANDBOX_ADMINISTRATION, EBoekhoudenSandbox, create_app
from monitr_sandbox.server import EmulatorServer

ROWS = SPEC.endpoint("mutation_rows")
TODAY = date(2026, 11, 20)
# A quieter year than the demo's bicycle shop: a few hundred mutations read over HTTP stay quick.
SMALL_ADMINISTRATION = replace(SANDBOX_ADMINISTRATION, sales_invoices_per_month=3,
                               purchase_invoices_per_month=2)


def _header(mutation_id: int, on: str, amount: float = 100.0) -> dict:
    return {"id": mutation_id, "type": 7, "date": on, "invoiceNumber": "", "ledgerId": 1,
            "amount": amount, "entryNumber": str(mutation_id)}


def test_new_changed_and_recent_mutations_are_read_the_rest_not():
    headers = {1: _header(1, "2026-01-05"), 2: _header(2, "2026-03-01", 250.0),
               3: _header(3, "2026-10-25"), 4: _header(4, "2026-11-18"), 5: _header(5, "2025-07-01")}
    known = {str(i): [digest(h), "detail", 1] for i, h in headers.items() if i != 5}
    known["2"][0] = digest(_header(2, "2026-03-01", 200.0))  # the amount changed since
    # The window runs RECENT_DAYS back from the latest booking (2026-11-18): 3 and 4 are in it.
    assert recent_since(headers, TODAY) == date(2026, 11, 18) - timedelta(days=RECENT_DAYS)
    assert mutations_to_read(headers, known, TODAY, full_pass=False) == [2, 3, 4, 5]
    assert mutations_to_read(headers, known, TODAY, full_pass=True) == [1, 2, 3, 4, 5]


def test_the_window_never_ends_after_today():
    # A mutation dated far ahead (a typo, a prepaid invoice) must not move the window away from
    # the periods being worked in; today bounds it.
    headers = {1: _header(1, "2026-11-10"), 2: _header(2, "2029-01-01")}
    assert recent_since(headers, TODAY) == TODAY - timedelta(days=RECENT_DAYS)
    known = {str(i): [digest(h), "detail", 1] for i, h in headers.items()}
    assert mutations_to_read(headers, known, TODAY, full_pass=False) == [1, 2]
    with pytest.raises(ValueError, match="mutation 3: date '18-11-2026'"):
        mutations_to_read({3: _header(3, "18-11-2026")}, {}, TODAY, full_pass=False)


def test_full_pass_every_week():
    assert full_pass_due(None, TODAY)
    assert not full_pass_due((TODAY - timedelta(days=FULL_PASS_DAYS - 1)).isoformat(), TODAY)
    assert full_pass_due((TODAY - timedelta(days=FULL_PASS_DAYS)).isoformat(), TODAY)


def _raise_provider_error(response, *_, **__):  # what the engine's hook does with an error answer
    if response.status_code >= 400:
        raise ProviderError("error", status=response.status_code, response=response)


@pytest.fixture
def served() -> Iterator[tuple[EBoekhoudenSandbox, object]]:
    sandbox = EBoekhoudenSandbox(profile=SMALL_ADMINISTRATION)
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, rest_client(ADAPTER, f"{server.url}/", SessionAuth(sandbox.api_token, server.url))


class _Import:
    """MutationReads as one import uses it, with the state its entity keeps between imports."""

    def __init__(self, sandbox: EBoekhoudenSandbox, client) -> None:
        self.sandbox, self.client, self.state = sandbox, client, {}

    def run(self, today: date) -> tuple[MutationReads, dict[str, str], list[str]]:
        since = len(self.sandbox.request_log)
        reads = MutationReads(self.client, endpoint_request(SPEC, ROWS, "any-guid"),
                              {"response": [_raise_provider_error]}, self.state, today)
        versions = {item["mutationRowId"]: item["version"] for item in reads.versions()}
        calls = [path for method, path, _ in self.sandbox.request_log[since:]
                 if method == "GET"]
        return reads, versions, calls


def _details(calls: list[str]) -> list[int]:
    """The mutations whose detail was read, each as often as it was read."""
    return sorted(int(path.rsplit("/", 1)[1]) for path in calls if path.startswith("/v1/mutation/"))


def test_reads_over_http_first_all_then_only_what_may_have_changed(served):
    sandbox, client = served
    books = sandbox.books
    first = _Import(sandbox, client)
    reads, versions, calls = first.run(TODAY)
    mutations = {m for m in books.details() if m}
    # The first import: one list page (2000 per page), one detail per mutation, none for mutation 0.
    assert calls.count("/v1/mutation") == 1 and _details(calls) == sorted(mutations)
    assert len(calls) == 1 + len(mutations)
    served_rows = {f"{m}-{n}" for m in mutations for n in range(1, len(books.details()[m]["rows"]) + 1)}
    served_rows |= {f"0-{i['ledgerId']}" for i in books.list_items() if i["type"] == 0}
    assert set(versions) == served_rows
    since = len(sandbox.request_log)
    assert len(reads.rows(sorted(versions))) == len(versions)
    assert len(sandbox.request_log) == since  # the rows come from the details just read

    by_date = sorted(mutations, key=lambda m: (books.details()[m]["date"], m))
    old, recent = by_date[0], by_date[-1]
    sandbox.change_row(old, 1, description="Herboekt")       # invisible in the list header
    sandbox.change_row(recent, 1, description="Gecorrigeerd")  # likewise, but in the window
    gone = next(m for m in by_date if books.entry(m).entry_type == "general" and m not in (old, recent))
    copied = [(line.account_code, line.amount) for line in books.entry(gone).lines]
    sandbox.delete_mutation(gone)
    new = books.mutation_id(sandbox.add_entry(on=TODAY, description="Kasverschil",
                                              lines=copied).entry_number)
    headers = {i["id"]: i for i in books.list_items() if i["type"]}
    window = {m for m, h in headers.items()
              if date.fromisoformat(h["date"]) >= recent_since(headers, TODAY)}
    assert recent in window and old not in window and gone not in headers and new in window
    assert len(window) < len(headers) / 10

    reads, later, calls = first.run(TODAY)
    # The list, then only the details of the recent window (the new mutation is in it).
    assert calls == ["/v1/mutation"] + [f"/v1/mutation/{m}" for m in sorted(window)]
    changed = {key for key, version in later.items() if versions.get(key) != version}
    assert {int(key.split("-")[0]) for key in changed} == {recent, new}
    assert set(versions) - set(later) == {key for key in versions if key.startswith(f"{gone}-")}
    rows = reads.rows(sorted(changed))
    assert {row["mutationId"] for row in rows} == {recent, new}
    assert any(row["rowDescription"] == "Gecorrigeerd" for row in rows)

    # A week after the first import every detail is read again: the old edit shows.
    reads, weekly, calls = first.run(TODAY + timedelta(days=FULL_PASS_DAYS))
    assert _details(calls) == sorted(headers)
    assert {key for key, version in weekly.items() if later[key] != version} == {
        key for key in later if key.startswith(f"{old}-")}
    _, _, calls = first.run(TODAY + timedelta(days=FULL_PASS_DAYS + 1))
    assert _details(calls) == sorted(window)  # and then the window again


def test_a_row_not_kept_is_read_again_and_a_vanished_detail_is_gone(served):
    sandbox, client = served
    first = _Import(sandbox, client)
    first.run(TODAY)
    # Versions the engine holds may differ from what this import kept (a state from before):
    # the rows it asks for are then read, not lost.
    reads, versions, _ = first.run(TODAY)
    since = len(sandbox.request_log)
    [row] = reads.rows(["5-1"])
    assert row["mutationRowId"] == "5-1" and row["mutationId"] == 5
    assert [path for _, path, _ in sandbox.request_log[since:]] == ["/v1/mutation/5"]

    # A mutation deleted between the list and its detail (404 MUT_300) has no rows any more.
    newest = max(m for m in sandbox.books.details())
    sandbox.inject_fault(rf"^/v1/mutation/{newest}$", 404,
                         body='{"type":"notfound","title":"Mutation not found.","code":"MUT_300"}')
    _, versions, _ = first.run(TODAY)
    assert not [key for key in versions if key.startswith(f"{newest}-")]
    assert str(newest) not in first.state["mutation_reads"]["mutations"]
