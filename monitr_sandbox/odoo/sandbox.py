"""OdooSandbox: one Odoo database with several companies, a bot user's API keys, faults and the
test controls (days replayed, lines changed and deleted, companies the user loses)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

from monitr_sandbox.controls import AdministrationsThatDisappear, DayReplay, FaultsAndRequestLog
from monitr_sandbox.faults import FaultInjector
from monitr_sandbox.ledger import Entry, Ledger, Line
from monitr_sandbox.odoo import errors
from monitr_sandbox.odoo.companies import COMPANIES, DATABASE, LOGIN, USER_ID, Company
from monitr_sandbox.odoo.database import DEFAULT_ORDER, MODELS, OdooDatabase
from monitr_sandbox.odoo.domain import DomainError, matcher, select, sort
from monitr_sandbox.state import SandboxState

READ_METHODS = ("search_read", "search", "search_count", "read")
# search_read(domain, fields, offset, limit, order) and friends, positionally (models.py).
POSITIONAL = {"search_read": ("domain", "fields", "offset", "limit", "order"),
              "search": ("domain", "offset", "limit", "order"),
              "search_count": ("domain", "limit"),
              "read": ("ids", "fields")}


class OdooSandbox(DayReplay, FaultsAndRequestLog, AdministrationsThatDisappear):
    """All state behind the emulator. Public methods take `lock`, so tests may call them while the
    threaded server answers requests."""

    database_name = DATABASE
    login = LOGIN
    uid = USER_ID

    def __init__(self, state_path: Path | str | None = None, day: int = 0,
                 companies: Iterable[Company] = COMPANIES):
        self.lock = threading.RLock()
        self.request_log: list[tuple[str, str, str]] = []
        self.faults = FaultInjector()
        self._state = SandboxState(Path(state_path) if state_path else None)
        self._keys: dict[str, dict[str, bool]] = self._state.data.setdefault(
            "odoo", {}).setdefault("api_keys", {})
        if not self._keys:
            self.issue_api_key()  # the key the sandbox user generated under Preferences
        self.database = OdooDatabase(companies)
        target, self._state.day = max(day, self._state.day), 0
        self.advance_to_day(target)

    # --- companies ----------------------------------------------------------------------------------
    @property
    def companies(self) -> dict[int, Company]:
        return self.database.companies

    def _administration_ids(self) -> set[str]:
        return {str(c) for c in self.companies}

    def user_company_ids(self) -> list[int]:
        """res.users.company_ids of the bot: every company it has not lost."""
        return [c for c in self.companies if self.administration_visible(c)]

    def ledger(self, company_id: int) -> Ledger:
        return self.database.ledgers[int(company_id)]

    def _replayed_books(self):
        return [self.database]

    # --- a bookkeeper's edits (test controls; in memory: a restart replays the days only) ----------
    def add_entry(self, company_id: int, **booking) -> Entry:
        with self.lock:
            return self.database.add_entry(int(company_id), **booking)

    def change_line(self, company_id: int, line_id: UUID | str, **fields) -> Line:
        with self.lock:
            return self.database.change_line(int(company_id), line_id, **fields)

    def delete_entry(self, company_id: int, entry_number: int) -> Entry:
        """Unlink the move and its lines (Odoo leaves no trace of them)."""
        with self.lock:
            return self.database.delete_entry(int(company_id), entry_number)

    # --- API keys -----------------------------------------------------------------------------------
    @property
    def api_key(self) -> str | None:
        """The key the sandbox user pastes into Monitr (None once revoked or expired)."""
        with self.lock:
            live = [k for k, r in self._keys.items() if not r["revoked"] and not r["expired"]]
            return live[-1] if live else None

    def issue_api_key(self) -> str:
        with self.lock:
            key = secrets.token_hex(20)  # "a strong 160-bits random key" (external_api.rst)
            self._keys[key] = {"revoked": False, "expired": False}
            self._state.save()
            return key

    def revoke_api_key(self) -> None:
        """The user deleted the key (Preferences > Account Security)."""
        with self.lock:
            for record in self._keys.values():
                record["revoked"] = True
            self._state.save()

    def expire_api_key(self) -> None:
        """The key's duration ran out (keys last three months at most)."""
        with self.lock:
            for record in self._keys.values():
                record["expired"] = True
            self._state.save()

    def key_valid(self, key: Any) -> bool:
        with self.lock:
            record = self._keys.get(key) if isinstance(key, str) else None
            return record is not None and not record["revoked"] and not record["expired"]

    def authenticate(self, database: Any, login: Any, key: Any) -> int | bool:
        """common.authenticate: the uid, or False for a wrong login or key."""
        self.check_database(database)
        return self.uid if login == self.login and self.key_valid(key) else False

    def check_database(self, database: Any) -> None:
        if database != self.database_name:
            raise errors.OdooError("psycopg2.OperationalError",
                                   f'connection to server failed: FATAL:  database "{database}" '
                                   "does not exist")

    # --- the ORM calls ------------------------------------------------------------------------------
    def call(self, model: str, method: str, args: list, kwargs: dict) -> Any:
        """model.method(*args, **kwargs) as the bot user, in the companies of kwargs' context."""
        if model not in MODELS:
            raise errors.OdooError("builtins.KeyError", repr(model), 404)
        if method not in READ_METHODS:
            raise errors.OdooError(errors.ACCESS_ERROR, "The sandbox database is read-only: "
                                   f"{model}.{method} is not allowed.", 403)
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        names = POSITIONAL[method]
        if len(args) > len(names):
            raise errors.OdooError(errors.UNPROCESSABLE, f"{method}() takes at most {len(names)} "
                                   f"arguments ({len(args)} given)", 422)
        for name, value in zip(names, args, strict=False):
            if name in kwargs:
                raise errors.OdooError(errors.UNPROCESSABLE,
                                       f"{method}() got multiple values for argument '{name}'", 422)
            kwargs[name] = value
        unknown = set(kwargs) - set(names)
        if unknown:
            raise errors.OdooError(errors.UNPROCESSABLE, f"{method}() got an unexpected keyword "
                                   f"argument '{sorted(unknown)[0]}'", 422)
        with self.lock:
            allowed = self._allowed_companies(context)
            rows = [r for r in self.database.records(model)
                    if r["_company"] is None or r["_company"] in allowed]
            if model == "res.company":  # the user's companies, whichever are active
                rows = [r for r in self.database.records(model)
                        if r["id"] in self.user_company_ids()]
            try:
                return _run(model, method, rows, kwargs)
            except DomainError as exc:
                raise errors.OdooError(errors.VALUE_ERROR, str(exc), 500) from None

    def _allowed_companies(self, context: dict) -> list[int]:
        user_companies = self.user_company_ids()
        if not user_companies:
            raise errors.access_denied()
        wanted = context.get("allowed_company_ids")
        if wanted is None:
            return user_companies[:1]  # the user's current company
        if not isinstance(wanted, list) or any(c not in user_companies for c in wanted):
            raise errors.unauthorized_companies()
        return wanted


def _run(model: str, method: str, rows: list[dict], kwargs: dict) -> Any:
    fields = {name: None for row in rows[:1] for name in row if not name.startswith("_")}
    if not fields:
        fields = {"id": None}
    if method == "read":
        ids = kwargs.get("ids") or []
        by_id = {r["id"]: r for r in rows}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise errors.OdooError("odoo.exceptions.MissingError",
                                   f"Record does not exist or has been deleted.\n(Record: "
                                   f"{model}({missing[0]},), User: {USER_ID})", 404)
        return _public(select([by_id[i] for i in ids], kwargs.get("fields"), fields, model))
    found = [r for r in rows if matcher(kwargs.get("domain"), fields, model)(r)]
    if method == "search_count":
        limit = kwargs.get("limit")
        return min(len(found), limit) if limit else len(found)
    found = sort(found, kwargs.get("order"), DEFAULT_ORDER[model], fields, model)
    offset = kwargs.get("offset") or 0
    limit = kwargs.get("limit")
    if not isinstance(offset, int) or offset < 0 or (limit not in (None, False)
                                                      and (not isinstance(limit, int) or limit < 0)):
        raise errors.OdooError(errors.VALUE_ERROR, "offset and limit must be non-negative integers")
    page = found[offset:offset + limit] if limit else found[offset:]
    if method == "search":
        return [r["id"] for r in page]
    return _public(select(page, kwargs.get("fields"), fields, model))


def _public(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]
