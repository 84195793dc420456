"""The emulator over real HTTP: requests-oauthlib's code flow, then paging and concurrent readers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from requests_oauthlib import OAuth2Session
from werkzeug.serving import make_server

from monitr_sandbox.exact_online import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    ExactSandbox,
    create_app,
)

REDIRECT = "http://127.0.0.1:1/callback"  # never contacted: the code is read from the redirect


@pytest.fixture
def served(monkeypatch) -> Iterator[tuple[ExactSandbox, str]]:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on loopback
    sandbox = ExactSandbox("nl")
    server = make_server("127.0.0.1", 0, create_app(sandbox), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sandbox, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _read_all(session: requests.Session, url: str, params: dict | None) -> list[dict]:
    rows = []
    while url:
        response = session.get(url, params=params, headers={"Accept": "application/json"}, timeout=30)
        response.raise_for_status()
        page = response.json()["d"]
        rows += page["results"]
        url, params = page.get("__next"), None  # __next is followed as-is
    return rows


def test_code_flow_and_full_read_over_http(served):
    sandbox, base = served
    oauth = OAuth2Session(SANDBOX_CLIENT_ID, redirect_uri=REDIRECT)
    authorize_url, state = oauth.authorization_url(f"{base}/api/oauth2/auth")
    consent = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert consent.status_code == 302
    token = oauth.fetch_token(f"{base}/api/oauth2/token", authorization_response=consent.headers["Location"],
                              client_secret=SANDBOX_CLIENT_SECRET, include_client_id=True)
    assert token["expires_in"] in ("600", 600) and token["refresh_token"]

    me = oauth.get(f"{base}/api/v1/current/Me", headers={"Accept": "application/json"}, timeout=10)
    division = me.json()["d"]["results"][0]["CurrentDivision"]
    rows = _read_all(oauth, f"{base}/api/v1/{division}/sync/Financial/TransactionLines",
                     {"$select": "ID,Timestamp", "$filter": "Timestamp gt 1L"})
    ledger = sandbox.ledger(division)
    assert len(rows) == len({r["ID"] for r in rows}) == sum(len(e.lines) for e in ledger.entries.values())
    assert all(r["__metadata"]["uri"].startswith(base) for r in rows[:3])


def test_concurrent_readers_and_a_mutation(served):
    sandbox, base = served
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sandbox.issue_tokens()['access_token']}"
    params = {"$select": "ID,Timestamp", "$filter": "Timestamp gt 1L"}
    results: dict[int, list[dict]] = {}
    errors: list[BaseException] = []

    def reader(division: int) -> None:
        try:
            url = f"{base}/api/v1/{division}/sync/Financial/TransactionLines"
            results[division] = _read_all(session, url, dict(params))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(code,)) for code in (131001, 131002, 131001)]
    for thread in threads:
        thread.start()
    sandbox.advance_to_day(1)  # while the readers page: keyset paging neither skips nor repeats
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    for division, rows in results.items():
        assert len(rows) == len({r["ID"] for r in rows})
        assert [r["Timestamp"] for r in rows] == sorted(r["Timestamp"] for r in rows)
