"""The Nmbrs emulator over real HTTP: the identity service (consent, single-use refresh tokens),
the subscription key and bearer token on every call, paging {"data", "pagination"}, the history
shapes, {title, detail, code} errors, the rate limit, a company removed, and day 1's changes."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from monitr_sandbox.nmbrs import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_SUBSCRIPTION_KEY,
    NmbrsSandbox,
    create_app,
)
from monitr_sandbox.server import EmulatorServer

SCOPES = "offline_access openid company.info.read employee.info.read employee.employment.read"
REDIRECT = "http://127.0.0.1:8799/oauth/callback"
NAMES = ["Koffiebranderij Van Dijk B.V.", "Fietsenmakerij De Boer", "Banketbakkerij Smit B.V."]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[NmbrsSandbox, str]]:
    sandbox = NmbrsSandbox(rate_limit=1000)
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url


def _consent(url: str, scope: str = SCOPES) -> dict:
    answer = requests.get(f"{url}/connect/authorize", params={
        "client_id": SANDBOX_CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT,
        "scope": scope, "state": "s1"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["s1"]
    token = requests.post(f"{url}/connect/token", data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}, timeout=10)
    assert token.status_code == 200, token.text
    return token.json()


@pytest.fixture(scope="module")
def token(served) -> dict:
    return _consent(served[1])


def _get(url: str, path: str, token: dict | None, key: str | None = SANDBOX_SUBSCRIPTION_KEY,
         **params) -> requests.Response:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token['access_token']}"
    if key:
        headers["X-Subscription-Key"] = key
    return requests.get(f"{url}/api/{path}", headers=headers, params=params, timeout=10)


def test_the_login_sees_three_companies_named_after_the_sandbox_entities(served, token):
    sandbox, url = served
    body = _get(url, "companies", token).json()
    assert [c["name"] for c in body["data"]] == NAMES
    assert set(body["data"][0]) == {"companyId", "number", "name", "debtorId"}
    assert body["pagination"] == {"pageNumber": 1, "pageSize": 100, "totalPages": 1,
                                  "totalRecords": 3}
    debtors = _get(url, "debtors", token).json()["data"]
    by_debtor = _get(url, f"debtors/{debtors[0]['debtorId']}/companies", token).json()["data"]
    assert [c["name"] for c in by_debtor] == NAMES


def test_every_call_needs_the_subscription_key_and_a_bearer_token(served, token):
    _, url = served
    for answer, code in ((_get(url, "companies", token, key=None), "InvalidSubscriptionKey"),
                         (_get(url, "companies", token, key="wrong"), "InvalidSubscriptionKey"),
                         (_get(url, "companies", None), "InvalidToken"),
                         (_get(url, "companies", {"access_token": "nope"}), "InvalidToken")):
        assert answer.status_code == 401
        assert set(answer.json()) == {"title", "detail", "code"}
        assert answer.json()["code"] == code


def test_paging_and_history_shapes(served, token):
    sandbox, url = served
    company = sandbox.companies()[0]
    path = f"companies/{company.company_id}/employees"
    first = _get(url, path, token, pageNumber=1, pageSize=5).json()
    second = _get(url, path, token, pageNumber=3, pageSize=5).json()
    assert first["pagination"] == {"pageNumber": 1, "pageSize": 5, "totalPages": 3,
                                   "totalRecords": 12}
    assert len(first["data"]) == 5 and len(second["data"]) == 2
    assert set(first["data"][0]["employeeBasicInfo"]) >= {"employeeNumber", "firstName",
                                                          "lastName", "employeeType"}
    fields = {"employments": {"employmentId", "startDate", "endDate", "seniorityDate",
                              "changedDate"},
              "contracts": {"contractId", "startDate", "endDate", "indefinite",
                            "hoursPerWeek", "createdAt"},
              "schedules": {"scheduleId", "startDate", "parttimePercentage", "hoursPerWeek",
                            "daysPerWeek", "createdAt"},
              "departments": {"departmentId", "code", "description", "createdAt", "period"}}
    for resource, wanted in fields.items():
        rows = _get(url, f"{path}/{resource}", token).json()["data"]
        assert len(rows) == 12 and set(rows[0]) == {"employeeId", resource}
        assert set(rows[0][resource][0]) == wanted, resource
    one = company.employees[3].employee_id
    only = _get(url, f"{path}/employments", token, employeeId=one).json()["data"]
    assert [row["employeeId"] for row in only] == [one]
    bad = _get(url, path, token, pageSize=500)
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidPaging"


def test_salaries_need_the_payment_scope(served, token):
    sandbox, url = served
    company = sandbox.companies()[0]
    refused = _get(url, f"companies/{company.company_id}/employees/salaries", token)
    assert refused.status_code == 403 and refused.json()["code"] == "InsufficientScope"
    paid = _consent(url, SCOPES + " employee.payment.read")
    rows = _get(url, f"companies/{company.company_id}/employees/salaries", paid).json()["data"]
    assert set(rows[0]["salaries"][0]) == {"salaryId", "startDate", "type", "value",
                                           "createdAt"}
    assert {s["type"] for row in rows for s in row["salaries"]} <= {"monthly", "hourly"}


def test_refresh_tokens_are_single_use_and_expired_tokens_refused(served):
    sandbox, url = served
    first = _consent(url)
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
            "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET}
    renewed = requests.post(f"{url}/connect/token", data=form, timeout=10)
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] != form["refresh_token"]
    again = requests.post(f"{url}/connect/token", data=form, timeout=10)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}
    sandbox.expire_access_tokens()
    assert _get(url, "companies", renewed.json()).json()["code"] == "InvalidToken"


def test_the_rate_limit_answers_429_with_retry_after(served):
    sandbox, url = served
    token = _consent(url)
    sandbox.rate_limit = 2
    try:
        sandbox._calls.clear()
        answers = [_get(url, "companies", token) for _ in range(3)]
    finally:
        sandbox.rate_limit = 1000
        sandbox._calls.clear()
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "RateLimitExceeded"
    assert int(answers[2].headers["Retry-After"]) >= 1


def test_a_removed_company_is_refused(served):
    sandbox, url = served
    token = _consent(url)
    company = sandbox.companies()[1]
    sandbox.remove_administration(company.company_id)
    try:
        names = [c["name"] for c in _get(url, "companies", token).json()["data"]]
        refused = _get(url, f"companies/{company.company_id}/employees", token)
    finally:
        sandbox.restore_administration(company.company_id)
    assert company.name not in names
    assert refused.status_code == 403 and refused.json()["code"] == "CompanyAccessDenied"


def test_histories_are_deterministic_and_day_one_changes_them(tmp_path):
    one, two = NmbrsSandbox(), NmbrsSandbox()
    shape = [(e.employee_id, e.salaries, e.departments) for c in one.companies()
             for e in c.employees]
    assert shape == [(e.employee_id, e.salaries, e.departments) for c in two.companies()
                     for e in c.employees]
    company = one.companies()[0]
    employments = sum(len(e.employments) for e in company.employees)
    salaries = sum(len(e.salaries) for e in company.employees)
    one.advance_to_day(1)
    assert sum(len(e.employments) for e in company.employees) == employments - 1
    assert any(s["startDate"] == "2026-11-01T00:00:00" for e in company.employees
               for s in e.salaries)
    assert sum(len(e.salaries) for e in company.employees) < salaries + 1
    # State persists the day: a restarted emulator replays to it.
    path = tmp_path / "nmbrs.json"
    NmbrsSandbox(path).advance_to_day(1)
    restarted = NmbrsSandbox(path)
    assert restarted.day == 1
    assert sum(len(e.employments) for e in restarted.companies()[0].employees) == \
        employments - 1
