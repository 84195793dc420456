"""The emulator's REST API: auth and scopes, administrations in the path, pages, filters, the
synchronization endpoints, rate limits and injected faults."""

from __future__ import annotations

import json

import pytest

from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS, MoneybirdSandbox, create_app

STUDIO = SANDBOX_ADMINISTRATIONS[0].id
SALES_SYNC = f"/api/v2/{STUDIO}/sales_invoices/synchronization.json"
EVERYTHING = {"filter": "period:20000101..20991231"}


def test_administrations_list_what_the_login_sees(client, headers):
    response = client.get("/api/v2/administrations.json", headers=headers)
    assert response.status_code == 200
    assert [(a["id"], a["currency"], a["period_start_date"]) for a in response.json] == [
        (a.id, "EUR", "2025-01-01") for a in SANDBOX_ADMINISTRATIONS]
    assert all(isinstance(a["id"], str) and len(a["id"]) == 18 for a in response.json)
    assert client.get("/api/v2/administrations", headers=headers).json == response.json  # no format


@pytest.mark.parametrize("authorization", [None, "Bearer nonsense", "Basic abc"])
def test_requests_without_a_valid_token_answer_401(client, authorization):
    response = client.get(f"/api/v2/{STUDIO}/ledger_accounts.json",
                          headers={"Authorization": authorization} if authorization else {})
    assert response.status_code == 401 and response.json["error"]
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_expired_and_revoked_tokens_answer_401(moneybird, client, headers):
    url = f"/api/v2/{STUDIO}/ledger_accounts.json"
    assert client.get(url, headers=headers).status_code == 200
    moneybird.expire_access_tokens()
    assert client.get(url, headers=headers).status_code == 401
    fresh = {"Authorization": f"Bearer {moneybird.issue_tokens()['access_token']}"}
    assert client.get(url, headers=fresh).status_code == 200
    moneybird.revoke_all_tokens()
    assert client.get(url, headers=fresh).status_code == 401


def test_a_missing_scope_answers_401_no_access(moneybird, client):
    token = moneybird.issue_tokens(["sales_invoices"])["access_token"]
    sales_only = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v2/{STUDIO}/financial_mutations/synchronization.json",
                          headers=sales_only)
    assert response.status_code == 401 and response.json == {"error": "No access to bank"}
    assert client.get(f"/api/v2/{STUDIO}/ledger_accounts.json", headers=sales_only).status_code == 200


def test_unknown_administration_and_path(client, headers):
    response = client.get("/api/v2/123456789012345678/ledger_accounts.json", headers=headers)
    assert response.status_code == 404 and response.json["error"] == "record not found"
    assert client.get(f"/api/v2/{STUDIO}/nothing_here.json", headers=headers).status_code == 404
    assert client.get(f"/api/v2/{STUDIO}/ledger_accounts.xml", headers=headers).status_code == 406


def test_pages_follow_link_headers(client, headers):
    url = f"/api/v2/{STUDIO}/projects.json?filter=state:all&per_page=4"
    names, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        names += [p["name"] for p in response.json]
        pages += 1
        assert response.headers["X-Total-Count"] == "6"
        links = {part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
                 for part in response.headers["Link"].split(", ")}
        url = links.get("next", "").replace("http://localhost", "")
    assert pages == 2 and len(names) == len(set(names)) == 6
    default = client.get(f"/api/v2/{STUDIO}/projects.json", headers=headers).json
    assert {p["state"] for p in default} == {"active"}  # the default filter is state:active
    too_many = client.get(f"/api/v2/{STUDIO}/projects.json?per_page=101", headers=headers)
    assert too_many.status_code == 400 and "per_page" in too_many.json["error"]


def test_ledger_accounts_are_one_page_and_carry_rgs(client, headers):
    response = client.get(f"/api/v2/{STUDIO}/ledger_accounts.json?per_page=2", headers=headers)
    assert len(response.json) > 2 and "Link" not in response.headers
    assert all(a["taxonomy_item"]["code"][0] in "BW" for a in response.json)


def test_assets_list_active_ones_unless_asked_for_inactive(client, headers):
    active = client.get(f"/api/v2/{STUDIO}/assets.json", headers=headers).json
    inactive = client.get(f"/api/v2/{STUDIO}/assets.json?active=false", headers=headers).json
    assert active and inactive == []  # no sandbox asset is disposed


def test_synchronization_lists_this_year_unless_given_a_period(moneybird, client, headers):
    this_year = client.get(SALES_SYNC, headers=headers).json
    everything = client.get(SALES_SYNC, query_string=EVERYTHING, headers=headers).json
    books = moneybird.books(STUDIO)
    dates = {i: d.date for i, d in books.documents("sales_invoices").items()}
    assert {v["id"] for v in this_year} == {i for i, d in dates.items() if d.year == 2026}
    assert {v["id"] for v in everything} == set(dates)
    assert all(set(v) == {"id", "version"} and isinstance(v["version"], int) for v in everything)
    late = client.get(SALES_SYNC, query_string={"filter": "period:2025..2026,state:late|open"},
                      headers=headers)
    assert late.status_code == 400 and late.json == {"error": "Period is invalid"}
    open_items = client.get(SALES_SYNC, headers=headers,
                            query_string={"filter": "period:202501..202612,state:late|open"}).json
    assert {v["id"] for v in open_items} == {i for i, d in books.documents("sales_invoices").items()
                                             if d.state in ("late", "open")}


def test_synchronization_post_returns_at_most_100_known_documents(client, headers):
    ids = [v["id"] for v in client.get(SALES_SYNC, query_string=EVERYTHING, headers=headers).json]
    response = client.post(SALES_SYNC, json={"ids": ids[:120] + ["400000000000000000"]},
                           headers=headers)
    assert [d["id"] for d in response.json] == ids[:100]
    assert client.post(SALES_SYNC, json={"ids": []}, headers=headers).json == []
    missing = client.post(SALES_SYNC, json={"documents": ids[:2]}, headers=headers)
    assert missing.status_code == 400 and "ids" in missing.json["error"]


def test_rate_limit_headers_and_429(client):
    moneybird = MoneybirdSandbox(request_limit=3, clock=lambda: 1_800_000_123.0)
    client = create_app(moneybird).test_client()
    headers = {"Authorization": f"Bearer {moneybird.issue_tokens()['access_token']}"}
    remaining = [client.get("/api/v2/administrations.json", headers=headers)
                 .headers["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = client.get("/api/v2/administrations.json", headers=headers)
    assert refused.status_code == 429 and refused.json == "Retry later"
    assert refused.headers["RateLimit-Reset"] == str(1_800_000_300)  # the 5-minute window's end
    assert refused.headers["Retry-After"] == "177"
    moneybird.clock = lambda: 1_800_000_300.0
    assert client.get("/api/v2/administrations.json", headers=headers).status_code == 200


def test_injected_faults_are_logged_and_served(moneybird, client, headers):
    moneybird.inject_fault("sales_invoices/synchronization", 429, times=1)
    moneybird.inject_fault("ledger_accounts", 503, times=1, body="<html>down</html>",
                           headers={"Content-Type": "text/html"})
    refused = client.get(SALES_SYNC, query_string=EVERYTHING, headers=headers)
    assert refused.status_code == 429 and json.loads(refused.data) == "Retry later"
    assert refused.headers["Retry-After"] == "1" and refused.headers["RateLimit-Remaining"] == "0"
    assert client.get(SALES_SYNC, query_string=EVERYTHING, headers=headers).status_code == 200
    down = client.get(f"/api/v2/{STUDIO}/ledger_accounts.json", headers=headers)
    assert down.status_code == 503 and down.content_type == "text/html"
    assert ("GET", SALES_SYNC, "filter=period:20000101..20991231") in moneybird.request_log


def test_a_vanished_administration_is_unlisted_and_answers_404_until_it_is_back(
        moneybird, client, headers):
    url = f"/api/v2/{STUDIO}/ledger_accounts.json"
    moneybird.remove_administration(STUDIO)
    listed = client.get("/api/v2/administrations.json", headers=headers).json
    assert STUDIO not in {a["id"] for a in listed} and len(listed) == len(SANDBOX_ADMINISTRATIONS) - 1
    gone = client.get(url, headers=headers)
    assert gone.status_code == 404
    assert gone.json["symbolic"] == {"administration_id": "not_found"}
    moneybird.restore_administration(STUDIO)
    assert client.get(url, headers=headers).status_code == 200
