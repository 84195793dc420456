"""The Minox emulator over real HTTP: consent and tokens, introspection, the per-tenant and
per-administration paths, limit/offset paging, rate-limit headers and the 429, error shapes."""

from __future__ import annotations

import time
from collections import defaultdict
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from monitr_sandbox.control_api import with_controls
from monitr_sandbox.minox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, MinoxSandbox, create_app
from monitr_sandbox.server import EmulatorServer

REDIRECT = "http://127.0.0.1:8799/oauth/callback"
SCOPES = ("administration:read ledger_account:read journal:read transaction:read "
          "cost_center:read cost_type:read customer:read supplier:read")
BASE = "/api/1/tenant/10042/administration/1"


@pytest.fixture(scope="module")
def served():
    sandbox = MinoxSandbox(rate_limit=10_000)
    with EmulatorServer(with_controls(create_app(sandbox), sandbox)) as server:
        yield sandbox, server.url


def _consent(url: str, login: str | None = None, scope: str = SCOPES) -> dict:
    params = {"client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
              "scope": scope, "state": "abc"}
    if login:
        params["sandbox_login"] = login
    consent = requests.get(f"{url}/oauth/authorize", params=params, allow_redirects=False,
                           timeout=10)
    assert consent.status_code == 302
    query = parse_qs(urlsplit(consent.headers["Location"]).query)
    assert query["state"] == ["abc"]
    answer = requests.post(f"{url}/oauth/token", data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _get(url: str, path: str, token: str, **params) -> requests.Response:
    return requests.get(f"{url}{path}", params=params, timeout=30,
                        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})


@pytest.fixture(scope="module")
def token(served) -> str:
    return _consent(served[1])["access_token"]


def test_token_answer_and_introspection(served):
    _, url = served
    tokens = _consent(url, login="20317")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["refresh_token"] and set(tokens["scope"].split()) == set(SCOPES.split())
    inspected = requests.post(f"{url}/api/1/inspect", json={"token": tokens["access_token"]},
                              auth=(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET), timeout=10)
    assert inspected.json()["active"] is True and inspected.json()["client_number"] == 20317
    refused = requests.post(f"{url}/api/1/inspect", json={"token": tokens["access_token"]},
                            auth=(SANDBOX_CLIENT_ID, "wrong"), timeout=10)
    assert refused.status_code == 401 and "message" in refused.json()


def test_refresh_rotates_and_the_old_refresh_token_is_refused(served):
    _, url = served
    tokens = _consent(url)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
            "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}
    # onetoweb/minox posts the token request as JSON: accepted like a form.
    fresh = requests.post(f"{url}/oauth/token", json=form, timeout=10).json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    again = requests.post(f"{url}/oauth/token", data=form, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_administrations_of_the_tenant_only(served, token):
    _, url = served
    listed = _get(url, "/api/1/tenant/10042/administration", token)
    assert listed.json() == [{"id": 1, "name": "Bakkerij De Korenschoof B.V."}]
    other = _get(url, "/api/1/tenant/20317/administration", token)
    assert other.status_code == 403 and "klantnummer" in other.json()["message"]
    missing = _get(url, "/api/1/tenant/10042/administration/7/ledger_account", token)
    assert missing.status_code == 404 and "Administratie 7" in missing.json()["message"]


def test_every_answer_carries_the_rate_limit_headers(served, token):
    _, url = served
    answer = _get(url, f"{BASE}/journal", token)
    assert answer.status_code == 200
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= {
        name.lower() for name in answer.headers}
    assert int(answer.headers["x-rate-limit-reset"]) > 1_700_000_000_000  # epoch milliseconds


def test_transaction_lines_page_and_balance(served, token):
    sandbox, url = served
    first = _get(url, f"{BASE}/year/2026/transaction_lines", token, limit=1000, offset=0).json()
    assert len(first) == 1000
    rest, offset = [], 1000
    while True:
        page = _get(url, f"{BASE}/year/2026/transaction_lines", token, limit=1000,
                    offset=offset).json()
        rest += page
        if len(page) < 1000:
            break
        offset += 1000
    lines = first + rest
    assert len({line["id"] for line in lines}) == len(lines) == len(
        sandbox.books(10042, 1).transaction_lines(2026))
    per_batch: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        assert line["debit"] >= 0 and line["credit"] >= 0
        assert line["account"]["scheme"] == "MINOX" and line["period"]["fiscal_year"] == 2026
        per_batch[line["batch_id"]] += Decimal(str(line["debit"])) - Decimal(str(line["credit"]))
    assert set(per_batch.values()) == {Decimal(0)}
    assert {line["period"]["id"] for line in lines if line["journal"]["id"] == "95"} == {0}


def test_lists_years_and_errors(served, token):
    _, url = served
    years = _get(url, f"{BASE}/year", token).json()
    assert [(y["year"], y["closed"], len(y["periods"])) for y in years] == [
        (2025, True, 12), (2026, False, 12)]
    assert _get(url, f"{BASE}/year/2019/transaction_lines", token).status_code == 404
    assert _get(url, f"{BASE}/ledger_account", token, limit=5000).status_code == 422
    accounts = _get(url, f"{BASE}/ledger_account", token, limit=1000).json()
    assert {a["type"] for a in accounts} == {"balance", "profit_loss"}
    receivables = _get(url, f"{BASE}/receivable", token).json()
    assert receivables and all(r["balance"] > 0 and r["invoice_date"].endswith("T00:00:00.000Z")
                               for r in receivables)


def test_missing_scope_and_bad_token(served):
    _, url = served
    narrow = _consent(url, scope="administration:read")["access_token"]
    refused = _get(url, f"{BASE}/year/2026/transaction_lines", narrow)
    assert refused.status_code == 403 and "transaction:read" in refused.json()["message"]
    unknown = _get(url, f"{BASE}/journal", "not-a-token")
    assert unknown.status_code == 401 and unknown.json() == {"message": "Unauthenticated."}


def test_expired_and_revoked_tokens():
    sandbox = MinoxSandbox(rate_limit=10_000)
    with EmulatorServer(with_controls(create_app(sandbox), sandbox)) as server:
        tokens = _consent(server.url)
        requests.post(f"{server.url}/_sandbox/expire-tokens", timeout=10)
        assert _get(server.url, f"{BASE}/journal", tokens["access_token"]).status_code == 401
        requests.post(f"{server.url}/_sandbox/revoke-tokens", timeout=10)
        refresh = requests.post(f"{server.url}/oauth/token", data={
            "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
            "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}, timeout=10)
        assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_the_window_is_spent_then_429_with_a_long_retry_after():
    sandbox = MinoxSandbox(rate_limit=3, rate_window_seconds=60, retry_after_seconds=120)
    with EmulatorServer(create_app(sandbox)) as server:
        token = _consent(server.url)["access_token"]
        remaining = [_get(server.url, f"{BASE}/journal", token).headers["x-rate-limit-remaining"]
                     for _ in range(3)]
        assert remaining == ["2", "1", "0"]
        refused = _get(server.url, f"{BASE}/journal", token)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "120"
        assert refused.headers["x-rate-limit-remaining"] == "0"
        # The penalty holds even after the window would have ended.
        sandbox.clock = lambda: time.time() + 90
        assert _get(server.url, f"{BASE}/journal", token).status_code == 429


def test_a_day_changes_and_deletes_lines_in_the_open_year_only():
    sandbox = MinoxSandbox()
    books = sandbox.books(10042, 1)
    before = {year: {line["id"]: line for line in books.transaction_lines(year)}
              for year in (2025, 2026)}
    sandbox.advance_to_day(1)
    after = {year: {line["id"]: line for line in books.transaction_lines(year)}
             for year in (2025, 2026)}
    assert after[2025] == before[2025]
    assert set(before[2026]) - set(after[2026])  # a deleted booking's lines are gone
    changed = [i for i in set(before[2026]) & set(after[2026])
               if before[2026][i] != after[2026][i]]
    assert changed and all("gecorrigeerd" in after[2026][i]["description"] for i in changed)
