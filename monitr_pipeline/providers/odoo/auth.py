"""Odoo's credentials: the database, the user's login and an API key. JSON-2 sends the key as a
bearer token with the database in X-Odoo-Database; JSON-RPC sends database, uid and key in every
call, the uid from common.authenticate (which answers false, not an error, for a wrong key)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import requests

from monitr_pipeline.providers.adapter import ProviderError

PROTOCOLS = ("json2", "jsonrpc")


class OdooAuth(requests.auth.AuthBase):
    def __init__(self, credentials: Mapping[str, Any]):
        self.database = str(credentials.get("database") or "")
        self.username = str(credentials.get("username") or "")
        self._key = str(credentials.get("api_key") or "")
        # JSON-2 from Odoo 19; JSON-RPC for older databases (and until Odoo 22 removes it).
        self.protocol = credentials.get("protocol") or "json2"
        if self.protocol not in PROTOCOLS:
            raise ValueError(f"unknown Odoo protocol {self.protocol!r} (known: {PROTOCOLS})")
        self._uid: int | None = None
        self._lock = threading.Lock()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"bearer {self._key}"
        if self.database:
            request.headers["X-Odoo-Database"] = self.database
        return request

    def execute_kw_login(self, client: Any) -> tuple[str, int, str]:
        """(database, uid, key) for object.execute_kw; the uid is asked once per import."""
        from monitr_pipeline.ingestion.transports.json_rpc import call

        with self._lock:
            if self._uid is None:
                uid = call(client.session, client.base_url, "common", "authenticate",
                           [self.database, self.username, self._key, {}])
                if not isinstance(uid, int) or isinstance(uid, bool):
                    raise ProviderError(
                        "Odoo refused the login or API key",
                        status=401, reason="common.authenticate answered false: the login or "
                        "API key is wrong, expired or revoked")
                self._uid = uid
            return self.database, self._uid, self._key

    def __repr__(self) -> str:
        return f"OdooAuth(database={self.database!r}, username={self.username!r}, api_key=<hidden>)"
