"""The Horus emulator on its own: OAuth2 on the installation's host (single-use codes, rotating
refresh tokens), the API's shapes, paging by page/pageSize with next links, problem-details
errors, the rate limit, removed folders and state kept across a restart."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from monitr_sandbox.control_api import with_controls
from monitr_sandbox.horus import (
    SANDBOX,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    HorusSandbox,
    create_app,
)

REDIRECT = "http://127.0.0.1:8799/oauth/callback"


def _consent(client, state: str = "xyz") -> str:
    answer = client.get("/oauth2/authorize", query_string={
        "response_type": "code", "client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT,
        "state": state})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == [state]
    return query["code"][0]


def _token(client, **form) -> tuple[int, dict]:
    answer = client.post("/oauth2/token", data={"client_id": SANDBOX_CLIENT_ID,
                                                "client_secret": SANDBOX_CLIENT_SECRET, **form})
    return answer.status_code, answer.get_json()


def _tokens(client) -> dict:
    status, body = _token(client, grant_type="authorization_code", code=_consent(client),
                          redirect_uri=REDIRECT)
    assert status == 200
    return body


@pytest.fixture
def sandbox() -> HorusSandbox:
    return HorusSandbox("fiduciary")


@pytest.fixture
def client(sandbox):
    return create_app(sandbox).test_client()


@pytest.fixture
def bearer(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {_tokens(client)['access_token']}"}


def test_codes_are_single_use_and_refresh_tokens_rotate(client):
    code = _consent(client)
    status, body = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert status == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["refresh_token_expires_in"] == 30 * 24 * 3600
    status, again = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert (status, again["error"]) == (400, "invalid_grant")

    status, refreshed = _token(client, grant_type="refresh_token",
                               refresh_token=body["refresh_token"])
    assert status == 200 and refreshed["refresh_token"] != body["refresh_token"]
    status, reused = _token(client, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert (status, reused["error"]) == (400, "invalid_grant")
    assert "used" in reused["error_description"]


def test_the_token_endpoint_refuses_an_unknown_app(client):
    answer = client.post("/oauth2/token", data={"grant_type": "refresh_token",
                                                "client_id": SANDBOX_CLIENT_ID,
                                                "client_secret": "wrong", "refresh_token": "x"})
    assert answer.status_code == 401 and answer.get_json()["error"] == "invalid_client"


def test_api_needs_a_live_token(client, sandbox, bearer):
    answer = client.get("/api/v1/folders")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert answer.get_json()["title"] == "Unauthorized"
    assert answer.content_type.startswith("application/problem+json")
    assert client.get("/api/v1/folders", headers=bearer).status_code == 200
    sandbox.expire_access_tokens()
    assert client.get("/api/v1/folders", headers=bearer).status_code == 401


def test_a_revoked_consent_refuses_the_refresh(client, sandbox):
    tokens = _tokens(client)
    sandbox.revoke_all_tokens()
    status, body = _token(client, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")


def test_folders_and_their_shapes(client, bearer):
    body = client.get("/api/v1/folders", headers=bearer).get_json()
    assert body["meta"] == {"page": 1, "pageSize": 100, "totalCount": 3, "pageCount": 1}
    assert body["links"]["next"] is None
    first = body["data"][0]
    assert first["id"] == 101 and first["country"] == "BE" and first["currency"] == "EUR"
    assert first["vatNumber"] == "BE" + first["companyNumber"].replace(".", "")
    assert first["createdAt"].endswith("+01:00")

    years = client.get("/api/v1/folders/101/bookyears", headers=bearer).get_json()["data"]
    assert [(y["name"], y["closed"]) for y in years] == [("2025", True), ("2026", False)]
    assert [p["number"] for p in years[0]["periods"]] == list(range(13))

    accounts = client.get("/api/v1/folders/101/accounts", headers=bearer).get_json()["data"]
    assert {a["type"] for a in accounts} == {"balanceSheet", "profitAndLoss"}
    assert all(a["number"][0] == str(a["class"]) for a in accounts)


def test_book_entries_and_lines_balance_per_book_year(client, bearer):
    year = "1012026"
    entries = client.get("/api/v1/folders/101/bookentries",
                         query_string={"bookyearId": year, "pageSize": 500}).status_code
    assert entries == 401
    lines, url = [], f"/api/v1/folders/101/accounthistories?bookyearId={year}&pageSize=500"
    while url:
        body = client.get(url, headers=bearer).get_json()
        lines += body["data"]
        url = body["links"]["next"]
        assert url is None or ("bookyearId=1012026" in url and "pageSize=500" in url)
    assert len(lines) == body["meta"]["totalCount"] > 500
    assert all(line["bookyearId"] == int(year) for line in lines)
    totals: dict[str, Decimal] = {}
    for line in lines:
        assert line["debit"] >= 0 and line["credit"] >= 0
        totals[line["bookEntryId"]] = (totals.get(line["bookEntryId"], Decimal(0))
                                       + Decimal(str(line["debit"])) - Decimal(str(line["credit"])))
    assert set(totals.values()) == {Decimal(0)}
    opening = [line for line in lines if line["journalCode"] == "95"]
    assert opening and {line["period"] for line in opening} == {0}
    assert any(a["planCode"] == "KP" for line in lines for a in line["analytics"])


def test_paging_and_bad_requests_are_problems(client, bearer):
    assert client.get("/api/v1/folders?pageSize=501", headers=bearer).get_json()["title"] == \
        "Invalid paging"
    answer = client.get("/api/v1/folders/101/accounthistories?bookyearId=1022026", headers=bearer)
    assert answer.status_code == 400 and answer.get_json()["title"] == "Invalid book year"
    answer = client.get("/api/v1/folders/999/accounts", headers=bearer)
    assert (answer.status_code, answer.get_json()["title"]) == (404, "Folder not found")
    answer = client.get("/api/v1/folders/102/analyticaccounts", headers=bearer)
    assert answer.status_code == 403 and "not active" in answer.get_json()["detail"]
    plans = {a["planType"] for a in client.get("/api/v1/folders/101/analyticaccounts",
                                                headers=bearer).get_json()["data"]}
    assert plans == {"costCentre", "costUnit", "project"}


def test_a_removed_folder_is_not_found_until_restored(client, sandbox, bearer):
    sandbox.remove_administration(102)
    ids = [f["id"] for f in client.get("/api/v1/folders", headers=bearer).get_json()["data"]]
    assert ids == [101, 103]
    assert client.get("/api/v1/folders/102/accounts", headers=bearer).status_code == 404
    sandbox.restore_administration(102)
    assert client.get("/api/v1/folders/102/accounts", headers=bearer).status_code == 200


def test_the_rate_limit_counts_calls_per_installation():
    now = [1000.0]
    sandbox = HorusSandbox("smb", rate_limit=2, clock=lambda: now[0])
    client = create_app(sandbox).test_client()
    bearer = {"Authorization": f"Bearer {_tokens(client)['access_token']}"}
    first = client.get("/api/v1/folders", headers=bearer)
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == ("2", "1")
    assert client.get("/api/v1/folders", headers=bearer).headers["X-RateLimit-Remaining"] == "0"
    refused = client.get("/api/v1/folders", headers=bearer)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 60
    assert refused.get_json()["title"] == "Too Many Requests"
    now[0] += 60
    assert client.get("/api/v1/folders", headers=bearer).status_code == 200


def test_a_day_changes_and_deletes_lines_of_the_open_year(sandbox):
    books = sandbox.books(101)
    before = {line["id"]: line for line in books.account_histories(2026)}
    closed = books.account_histories(2025)
    sandbox.advance_to_day(1)
    after = {line["id"]: line for line in books.account_histories(2026)}
    assert set(before) - set(after)  # a memorial entry deleted, with its lines
    changed = [i for i in set(before) & set(after) if before[i] != after[i]]
    assert changed and all(after[i]["modifiedAt"].startswith("2026-11-21T18:00") for i in changed)
    assert books.account_histories(2025) == closed


def test_state_survives_a_restart(tmp_path):
    path = tmp_path / "horus_fiduciary.json"
    first = HorusSandbox("fiduciary", state_path=path, day=2)
    tokens = _tokens(create_app(first).test_client())
    again = HorusSandbox("fiduciary", state_path=path)
    assert again.day == 2
    client = create_app(again).test_client()
    status, body = _token(client, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert status == 200


def test_controls_and_injected_faults(sandbox, bearer):
    client = with_controls(create_app(sandbox), sandbox)
    from werkzeug.test import Client

    http = Client(client)
    assert http.post("/_sandbox/remove-administration?value=103").status_code == 200
    assert not sandbox.administration_visible(103)
    sandbox.inject_fault(r"/api/v1/folders/101/accounts", 429)
    answer = http.get("/api/v1/folders/101/accounts", headers=bearer)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "1"


def test_the_sandbox_serves_two_installations_on_their_own_ports():
    assert SANDBOX.environments == ("fiduciary", "smb")
    assert SANDBOX.demo_url("fiduciary") == "http://127.0.0.1:8785"
    assert SANDBOX.demo_url("smb") == "http://127.0.0.1:8786"
    assert SANDBOX.oauth_app == (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
