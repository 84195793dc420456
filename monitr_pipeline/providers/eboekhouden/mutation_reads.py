"""Which mutation details an import reads, since e-Boekhouden has no change feed (mutations.py).

The list (one call per 2000 mutations) shows every mutation that exists now, with its header. A
mutation's detail (one call each, the only place its rows are) is read when
- it is new: an id not read before;
- its list header differs from the one seen when it was last read (amount, date, type, main
  ledger, invoice or entry number changed);
- it is dated in the recent window, from RECENT_DAYS before the latest booking date (or before
  today, when the books run ahead of today) onwards: bookkeepers correct the periods they are
  working in, and a new description, cost centre or ledger on a row leaves the header as it was;
- a full pass is due: every FULL_PASS_DAYS days every detail is read again, which catches edits
  in old periods that the header does not show.
Deletions need no detail call: a mutation missing from the list is gone, and so are its rows.

For the VERSIONED load each row gets a version: the digest of its mutation's detail. A mutation read
again unchanged loads nothing, a changed one loads its rows, and rows it no longer has are deleted.
What was read (header digest, detail digest, row count per mutation; the last full pass) lives in
the entity's dlt resource state, committed with the load like the engine's versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, MutableMapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.providers.eboekhouden.mutations import (
    OPENING_BALANCE,
    detail_rows,
    list_mutations,
    opening_rows,
    read_detail,
    row_key,
)

if TYPE_CHECKING:
    from monitr_pipeline.ingestion.endpoint_request import EndpointRequest

RECENT_DAYS = 31
FULL_PASS_DAYS = 7
STATE_KEY = "mutation_reads"
VERSION_FIELD = "version"
ROW_KEY_FIELD = "mutationRowId"


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def listed_date(header: Mapping[str, Any]) -> date:
    value = header.get("date")
    try:
        return date.fromisoformat(str(value)[:10])  # ISO 8601 dates (swagger intro, "Dates")
    except ValueError:
        raise ValueError(f"mutation {header.get('id')}: date {value!r} is not a date") from None


def full_pass_due(last_full_pass: str | None, today: date) -> bool:
    return last_full_pass is None or \
        today - date.fromisoformat(last_full_pass) >= timedelta(days=FULL_PASS_DAYS)


def recent_since(headers: Mapping[int, Mapping[str, Any]], today: date) -> date:
    """The first day of the recent window. A date in the future (a typo, a prepaid invoice) must
    not move the window away from today, so the window ends no later than today."""
    latest = max((listed_date(header) for header in headers.values()), default=today)
    return min(latest, today) - timedelta(days=RECENT_DAYS)


def mutations_to_read(headers: Mapping[int, Mapping[str, Any]],
                      known: Mapping[str, Sequence[Any]], today: date, full_pass: bool) -> list[int]:
    """The ids whose detail this import reads (`known`: id -> [header digest, ...] from the state)."""
    since = recent_since(headers, today)
    return sorted(mutation_id for mutation_id, header in headers.items()
                  if full_pass or str(mutation_id) not in known
                  or known[str(mutation_id)][0] != digest(header) or listed_date(header) >= since)


class MutationReads:
    """One import's reading of the mutations: a version per row for the engine, then the rows it
    asks for, kept from the details just read (a row not kept is read again, to be safe)."""

    def __init__(self, client: RESTClient, request: EndpointRequest, hooks: dict[str, Any],
                 state: MutableMapping[str, Any], today: date):
        self._client, self._request, self._hooks = client, request, hooks
        self._path = request.path
        self._state, self._today = state, today
        self._rows: dict[str, dict[str, Any]] = {}  # rows of new and changed mutations, by key

    def versions(self) -> list[dict[str, str]]:
        listed = list_mutations(self._client, self._request, self._hooks)
        memory = self._state.get(STATE_KEY, {})
        known: dict[str, list[Any]] = memory.get("mutations", {})
        full_pass = full_pass_due(memory.get("full_pass_on"), self._today)
        reading = set(mutations_to_read(listed.headers, known, self._today, full_pass))

        versions = []
        for row in opening_rows(listed.opening):  # all in the list: versions cost no call
            self._rows[row[ROW_KEY_FIELD]] = row
            versions.append(_version(row[ROW_KEY_FIELD], digest(row)))
        now_known: dict[str, list[Any]] = {}
        for mutation_id, header in sorted(listed.headers.items()):
            read = known.get(str(mutation_id))
            if mutation_id in reading:
                detail = read_detail(self._client, self._path, mutation_id, self._hooks)
                if detail is None:
                    continue  # deleted since the list was read: its rows go with it
                rows, detail_digest = detail_rows(detail), digest(detail)
                if read is None or read[1] != detail_digest:
                    self._rows.update((row[ROW_KEY_FIELD], row) for row in rows)
                read = [digest(header), detail_digest, len(rows)]
            now_known[str(mutation_id)] = read
            versions += [_version(row_key(mutation_id, number), read[1])
                         for number in range(1, read[2] + 1)]
        self._state[STATE_KEY] = {
            "mutations": now_known,
            "full_pass_on": self._today.isoformat() if full_pass else memory["full_pass_on"],
        }
        return versions

    def rows(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        missing = {int(key.split("-")[0]) for key in keys if key not in self._rows}
        for mutation_id in sorted(missing - {OPENING_BALANCE}):  # opening rows are always kept
            detail = read_detail(self._client, self._path, mutation_id, self._hooks)
            if detail is not None:
                self._rows.update((row[ROW_KEY_FIELD], row) for row in detail_rows(detail))
        return [self._rows.pop(key) for key in keys if key in self._rows]


def _version(key: str, version: str) -> dict[str, str]:
    return {ROW_KEY_FIELD: key, VERSION_FIELD: version}
