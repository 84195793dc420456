"""The Teamleader emulator over real HTTP: every list answer we import validated against
Teamleader's API Blueprint (/work/shared/providers/specs/teamleader/; read by
test_teamleader_blueprint.py), the consent and token endpoint (hour-long tokens, single-use
rotating refresh tokens, kept across a restart), body paging, filters (updated_since inclusive,
department_id, pipeline), the sliding-minute rate limit and its headers, error shapes, and a
day's changes and deletions."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.teamleader import (
    DEPARTMENTS,
    PIPELINES,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    TeamleaderSandbox,
    create_app,
)
from monitr_sandbox.teamleader.book import iso

sys.path.insert(0, str(Path(__file__).parent))
from test_teamleader_blueprint import TRANSCRIBED, problems, response_schema  # noqa: E402

REDIRECT = "http://127.0.0.1:8799/oauth/callback"
# The Blueprint files and actions of the lists the client reads.
DOCUMENTED = {
    "deals.list": ("03-deals_deals.apib", "deals.list"),
    "dealPhases.list": ("03-deals_deal-phases.apib", "dealPhases.list"),
    "dealPipelines.list": ("03-deals_deal-pipelines.apib", "dealPipelines.list"),
    "subscriptions.list": ("05-invoicing_subscriptions.apib", "subscriptions.list"),
    "projects-v2/projects.list": ("12-nextgen-projects_projects.apib", "projects.list"),
}
# Where the emulator answers null although the Blueprint's attributes type a string: an open
# deal has not closed (Teamleader's answers give null there; the Blueprint's one example is a
# closed deal). Everything else is exactly as documented.
NULL_IN_PRACTICE = {"deals.list": ("closed_at",)}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[TeamleaderSandbox, str, Path]]:
    state = tmp_path_factory.mktemp("teamleader_emulator") / "teamleader.json"
    sandbox = TeamleaderSandbox(state, per_minute=100_000)
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url, state


@pytest.fixture(scope="module")
def token(served) -> dict:
    return served[0].issue_tokens()


def _call(url: str, token: dict, action: str, body: dict | None = None) -> requests.Response:
    return requests.post(f"{url}/{action}", json=body or {}, timeout=10,
                         headers={"Authorization": f"Bearer {token['access_token']}"})


def _validate(action: str, answer: dict) -> None:
    schema = TRANSCRIBED[action] if action in TRANSCRIBED else response_schema(*DOCUMENTED[action])
    allowed = NULL_IN_PRACTICE.get(action, ())
    found = [p for p in problems(answer, schema)
             if not any(p.endswith(f".{field}: null, documented string") for field in allowed)]
    assert found == [], found[:10]


def _all(url: str, token: dict, action: str, body: dict | None = None) -> list[dict]:
    rows, number = [], 1
    while True:
        answer = _call(url, token, action, {**(body or {}), "page": {"size": 100,
                                                                       "number": number}})
        assert answer.status_code == 200, answer.text
        _validate(action, answer.json())
        rows += answer.json()["data"]
        if len(answer.json()["data"]) < 100:
            return rows
        number += 1


@pytest.mark.parametrize("action", sorted(DOCUMENTED))
def test_every_list_answer_is_as_the_blueprint_documents(served, token, action):
    sandbox, url, _ = served
    rows = _all(url, token, action)
    assert rows
    if action in ("dealPipelines.list", "projects-v2/projects.list"):
        # meta (page, matches) is documented "only with includes=pagination" for these.
        counted = _call(url, token, action, {"includes": "pagination",
                                             "page": {"size": 5, "number": 2}}).json()
        _validate(action, counted)
        assert counted["meta"]["page"] == {"size": 5, "number": 2}
        assert counted["meta"]["matches"] == len(rows)


@pytest.mark.parametrize("action", sorted(TRANSCRIBED))
def test_the_other_answers_are_as_teamleaders_blueprint_documents_them(served, token, action):
    sandbox, url, _ = served
    body = {"id": DEPARTMENTS[0].id} if action == "departments.info" else {
        "includes": "relates_to"} if action == "timeTracking.list" else {}
    answer = _call(url, token, action, body)
    assert answer.status_code == 200, answer.text
    _validate(action, answer.json())
    if action == "timeTracking.list":
        assert all(e["relates_to"] for e in answer.json()["data"])


def test_deal_phases_per_pipeline_in_flow_order(served, token):
    _, url, _ = served
    for pipeline in PIPELINES:
        answer = _call(url, token, "dealPhases.list",
                       {"filter": {"deal_pipeline_id": pipeline.id}}).json()
        assert [(p["id"], p["probability"]) for p in answer["data"]] == [
            (p.id, float(p.probability)) for p in pipeline.phases]


def test_the_account_and_its_departments(served, token):
    sandbox, url, _ = served
    me = _call(url, token, "users.me").json()["data"]
    assert me["account"]["type"] == "account" and me["account"]["id"]
    departments = _call(url, token, "departments.list").json()["data"]
    assert [(d["name"], d["currency"]) for d in departments] == [
        ("Brasserie Janssens BV", "EUR"), ("Frituur Peeters BV", "EUR")]
    info = _call(url, token, "departments.info", {"id": DEPARTMENTS[1].id})
    assert info.json()["data"]["name"] == "Frituur Peeters BV"
    assert info.headers["Date"].endswith("GMT")
    missing = _call(url, token, "departments.info", {"id": "nope"})
    assert missing.status_code == 404 and missing.json()["errors"][0]["status"] == 404


def test_paging_is_in_the_body_and_stable(served, token):
    sandbox, url, _ = served
    body = {"sort": [{"field": "created_at", "order": "asc"}]}
    everything = _all(url, token, "deals.list", body)
    assert [d["id"] for d in everything] == [
        d.id for d in sorted(sandbox.book.deals.values(), key=lambda d: (d.created_at, d.id))]
    second = _call(url, token, "deals.list", {**body, "page": {"size": 7, "number": 2}})
    assert [d["id"] for d in second.json()["data"]] == [d["id"] for d in everything[7:14]]
    assert "meta" not in second.json()
    counted = _call(url, token, "deals.list", {"includes": "pagination",
                                               "page": {"size": 7, "number": 2}}).json()
    assert counted["meta"] == {"page": {"size": 7, "number": 2}, "matches": len(everything)}
    too_big = _call(url, token, "deals.list", {"page": {"size": 101}})
    assert too_big.status_code == 400 and "page.size" in too_big.json()["errors"][0]["title"]


def test_updated_since_is_inclusive_and_needs_an_offset(served, token):
    sandbox, url, _ = served
    moments = sorted({d.updated_at for d in sandbox.book.deals.values()})
    since = moments[-5]
    answer = _all(url, token, "deals.list", {"filter": {"updated_since": iso(since)}})
    assert {d["id"] for d in answer} == {
        d.id for d in sandbox.book.deals.values() if d.updated_at >= since}
    assert min(datetime.fromisoformat(d["updated_at"]) for d in answer) == since
    naive = _call(url, token, "deals.list", {"filter": {"updated_since": "2026-01-01T00:00:00"}})
    assert naive.status_code == 400 and "updated_since" in naive.json()["errors"][0]["title"]


def test_subscriptions_filter_on_their_department(served, token):
    sandbox, url, _ = served
    for department in DEPARTMENTS:
        rows = _all(url, token, "subscriptions.list",
                    {"filter": {"department_id": department.id}})
        assert {r["id"] for r in rows} == {s.id for s in sandbox.book.subscriptions.values()
                                           if s.department == department.id}
        assert {r["billing_cycle"]["periodicity"]["unit"] for r in rows} == {"week", "month",
                                                                            "year"}
        assert {r["status"] for r in rows} == {"active", "deactivated"}


def test_time_tracking_relates_to_projects(served, token):
    sandbox, url, _ = served
    answer = _call(url, token, "timeTracking.list", {"includes": "relates_to",
                                                     "page": {"size": 100}}).json()["data"]
    assert all({"type": "project", "id": sandbox.book.time_entries[e["id"]].project}
               in e["relates_to"] for e in answer)
    plain = _call(url, token, "timeTracking.list", {"page": {"size": 3}}).json()["data"]
    assert all("relates_to" not in e for e in plain)


def test_consent_code_and_rotating_refresh_tokens(served):
    sandbox, url, state = served
    consent = requests.get(f"{url}/oauth2/authorize", allow_redirects=False, timeout=10, params={
        "client_id": SANDBOX_CLIENT_ID, "response_type": "code", "state": "xyz",
        "redirect_uri": REDIRECT})
    assert consent.status_code == 302
    query = parse_qs(urlsplit(consent.headers["Location"]).query)
    assert query["state"] == ["xyz"]
    form = {"client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET,
            "code": query["code"][0], "grant_type": "authorization_code",
            "redirect_uri": REDIRECT}
    first = requests.post(f"{url}/oauth2/access_token", data=form, timeout=10)
    # authentication.apib: {token_type: Bearer, expires_in: 3600, access_token, refresh_token}
    assert first.status_code == 200 and set(first.json()) == {
        "token_type", "expires_in", "access_token", "refresh_token"}
    assert (first.json()["token_type"], first.json()["expires_in"]) == ("Bearer", 3600)
    again = requests.post(f"{url}/oauth2/access_token", data=form, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    refresh = {"client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET,
               "grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]}
    second = requests.post(f"{url}/oauth2/access_token", json=refresh, timeout=10)  # JSON too
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first.json()["refresh_token"]
    spent = requests.post(f"{url}/oauth2/access_token", data=refresh, timeout=10)
    assert spent.status_code == 400 and spent.json()["error"] == "invalid_grant"
    # A restarted emulator honours the refresh token it issued last.
    restarted = TeamleaderSandbox(state)
    assert restarted.tokens.refresh(second.json()["refresh_token"])["access_token"]


def test_expired_and_unknown_tokens_are_401_in_teamleaders_error_shape(served):
    sandbox, url, _ = served
    fresh = sandbox.issue_tokens()
    sandbox.expire_access_tokens()
    expired = _call(url, fresh, "deals.list")
    assert expired.status_code == 401
    assert expired.json() == {"errors": [{"title": "Access token has expired", "status": 401}]}
    unknown = _call(url, {"access_token": "nope"}, "deals.list")
    assert unknown.status_code == 401 and unknown.json()["errors"][0]["title"]


def test_a_sliding_minute_of_calls_then_429(served):
    sandbox, url, _ = served
    token = sandbox.issue_tokens()
    sandbox.rate_limit.limit = 3
    sandbox.rate_limit.reset()
    try:
        answers = [_call(url, token, "dealPipelines.list") for _ in range(4)]
    finally:
        sandbox.rate_limit.limit = 100_000
        sandbox.rate_limit.reset()
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"3"}
    reset = datetime.fromisoformat(answers[3].headers["X-RateLimit-Reset"])
    assert 55 < (reset - datetime.fromisoformat(answers[0].headers["X-RateLimit-Reset"])
                 ).total_seconds() + 60 <= 61
    assert answers[3].json() == {"errors": [{"title": "Too Many Requests", "status": 429}]}


def test_a_day_changes_and_deletes_records(served):
    sandbox, url, _ = served
    token = sandbox.issue_tokens()
    before = {d["id"]: d for d in _all(url, token, "deals.list")}
    subs = {s["id"]: s for s in _all(url, token, "subscriptions.list")}
    entries = set(sandbox.book.time_entries)
    sandbox.advance_to_day(sandbox.day + 1)
    after = {d["id"]: d for d in _all(url, token, "deals.list")}
    assert len(before.keys() - after.keys()) == 2  # one deleted per department, never listed
    assert len(after.keys() - before.keys()) == 2
    moved = [k for k in before.keys() & after.keys() if before[k] != after[k]]
    assert len(moved) == 4 and all(after[k]["updated_at"] > before[k]["updated_at"]
                                   for k in moved)
    now = {s["id"]: s for s in _all(url, token, "subscriptions.list")}
    assert sum(now[k]["status"] != subs[k]["status"] for k in subs) == 2
    assert len(entries - set(sandbox.book.time_entries)) == 2


def test_the_blueprint_check_refuses_what_the_blueprint_does_not_document(served):
    sandbox, url, _ = served
    token = sandbox.issue_tokens()
    answer = _call(url, token, "deals.list", {"page": {"size": 1}}).json()
    answer["data"][0]["estimated_value"]["amount"] = "12.50"
    answer["data"][0]["status"] = "pending"
    answer["data"][0]["extra"] = 1
    del answer["data"][0]["pipeline"]
    found = [p for p in problems(answer, response_schema(*DOCUMENTED["deals.list"]))
             if not p.endswith("closed_at: null, documented string")]
    assert sorted(found) == sorted([
        "$.data[0].estimated_value.amount: '12.50' is not a number",
        "$.data[0].status: 'pending' is not one of ['new', 'open', 'won', 'lost']",
        "$.data[0].extra: not documented", "$.data[0].pipeline: missing"])
