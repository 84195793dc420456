"""One administration's books as Moneybird serves them: documents with the history behind their
versions, master data, and the changes that move versions on (bookkeeping days, test edits).

A document's version is the epoch second of its last update, and it changes whenever anything
the document shows changes (a detail, a payment, its state turning late): after every change all
documents are rendered again and compared with what was served before. The ledger is regenerated
from its seed and replayed to the same day, so a restarted emulator serves the same versions.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from monitr_sandbox.ledger import (
    Entry,
    Line,
    Posting,
    Relation,
    add_entry,
    apply_day,
    change_line,
    delete_entry,
    generate_ledger,
)
from monitr_sandbox.moneybird.administrations import Administration
from monitr_sandbox.moneybird.documents import KINDS, DocumentMapper, Rendered
from monitr_sandbox.moneybird.masterdata import MasterData
from monitr_sandbox.moneybird.wire import local_time, timestamp, version_of

MAX_IDS_PER_FETCH = 100  # "Returns a maximum of 100 documents, even if more ids are provided."


@dataclass(frozen=True)
class _History:
    created: datetime
    updated: datetime
    fingerprint: str


def _fingerprint(body: Mapping) -> str:
    return hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=12).hexdigest()


class AdministrationBooks:
    def __init__(self, administration: Administration):
        self.administration = administration
        self.ledger = generate_ledger(administration.profile)
        self.master = MasterData(administration, self.ledger)
        self.mapper = DocumentMapper(self.master)
        self._history: dict[str, _History] = {}
        self._documents: dict[str, dict[str, Rendered]] = {}
        self._manual = itertools.count(1)
        self._refresh(changed_at=None)

    @property
    def today(self) -> date:
        """The sandbox's today: the last booking date plus the bookkeeping days replayed."""
        return self.ledger.profile.last_booking_date + timedelta(days=self.ledger.day)

    def _refresh(self, changed_at: datetime | None) -> None:
        """Render every document again; one that is new or differs gets `changed_at` as its update
        time (None: the base books, dated when booked and last paid)."""
        documents: dict[str, dict[str, Rendered]] = {kind: {} for kind in KINDS}
        history: dict[str, _History] = {}
        for document in self.mapper.render_all(self.today):
            fingerprint = _fingerprint(document.body)
            known = self._history.get(document.id)
            if known is None:
                known = _History(changed_at or document.booked, changed_at or document.settled,
                                 fingerprint)
            elif known.fingerprint != fingerprint:
                known = _History(known.created, changed_at or known.updated, fingerprint)
            history[document.id] = known
            documents[document.kind][document.id] = document
        self._history, self._documents = history, documents

    # --- documents ----------------------------------------------------------------------------------
    def documents(self, kind: str) -> dict[str, Rendered]:
        return self._documents[kind]

    def versions(self, kind: str, keep=lambda document: True) -> list[dict]:
        """The synchronization list: {id, version} of every document `keep` accepts."""
        return [{"id": document_id, "version": version_of(self._history[document_id].updated)}
                for document_id, document in self._documents[kind].items() if keep(document)]

    def fetch(self, kind: str, ids: Iterable[str]) -> list[dict]:
        """Full documents for the first 100 ids; unknown ids are left out."""
        known = self._documents[kind]
        return [self.document(kind, i) for i in list(ids)[:MAX_IDS_PER_FETCH] if i in known]

    def document(self, kind: str, document_id: str) -> dict:
        history = self._history[document_id]
        return {**self._documents[kind][document_id].body, "created_at": timestamp(history.created),
                "updated_at": timestamp(history.updated), "version": version_of(history.updated)}

    def document_id(self, entry_number: int) -> str:
        return self.mapper.document_id(entry_number)

    def kind_of(self, entry_number: int) -> str:
        return self.mapper.kind_of(self.ledger.entry(entry_number))

    # --- master data --------------------------------------------------------------------------------
    def administration_record(self) -> dict:
        return self.master.administration_record()

    def ledger_accounts(self) -> list[dict]:
        return self.master.ledger_accounts()

    def projects(self) -> list[dict]:
        return self.master.projects(self.today)

    def assets(self) -> list[dict]:
        return self.master.assets(self.mapper.asset_sources)

    # --- changes ------------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        apply_day(self.ledger, day)
        self._refresh(changed_at=local_time(self.today, 17))

    def _changed_by_hand(self) -> None:
        # After the day's own changes (17:00) and before the next day's.
        self._refresh(changed_at=local_time(self.today, 18, next(self._manual)))

    def add_entry(self, *, date: date, lines: Iterable[Posting | Mapping | tuple],
                  description: str = "", entry_type: str = "general", journal_code: str | None = None,
                  relation: Relation | str | None = None) -> Entry:
        entry = add_entry(self.ledger, on=date, lines=lines, description=description,
                          entry_type=entry_type, journal_code=journal_code, relation=relation)
        self._changed_by_hand()
        return entry

    def change_line(self, line_id: UUID | str, **fields) -> Line:
        line = change_line(self.ledger, line_id, **fields)
        self._changed_by_hand()
        return line

    def delete_entry(self, entry_number: int) -> Entry:
        entry = delete_entry(self.ledger, entry_number)
        self._changed_by_hand()
        return entry
