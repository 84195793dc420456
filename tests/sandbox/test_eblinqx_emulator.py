"""The eBlinqx Fiscaal emulator on its own: the documented company list and linking call, the
annual accounts assumed beside them (figures that hang together, stages with their dates), its
ProblemDetails errors, the key's rate limit, the days it replays and what survives a restart."""

from __future__ import annotations

import json
import stat
import uuid
from datetime import date

import pytest

from monitr_sandbox.control_api import with_controls
from monitr_sandbox.eblinqx import SANDBOX, EBlinqxSandbox, create_app
from monitr_sandbox.eblinqx.companies import LAST_YEAR, VPB_BRACKET, day_date

API = "/api/accounting-package"
SMIT, VASTGOED, VISSER = "Installatiebedrijf Smit BV", "Smit Vastgoed B.V.", "Studio Visser Ontwerp"


@pytest.fixture
def sandbox() -> EBlinqxSandbox:
    return EBlinqxSandbox(rate_limit=1000)


@pytest.fixture
def client(sandbox):
    return create_app(sandbox).test_client()


def _headers(sandbox, **extra) -> dict[str, str]:
    return {"X-Api-Key": sandbox.api_key, "Accept-Language": "nl-NL", **extra}


def _accounts(client, sandbox, name: str) -> list[dict]:
    company_id = sandbox.company_named(name).company_id
    answer = client.get(f"{API}/companies/{company_id}/annual-accounts", headers=_headers(sandbox))
    assert answer.status_code == 200, answer.json
    return answer.json


def _assert_problem(answer, status: int) -> dict:
    assert answer.status_code == status
    assert answer.content_type == "application/problem+json"
    body = answer.json
    assert body["status"] == status and body["title"] and body["traceId"] and body["type"]
    return body


def test_the_company_list_has_the_documented_fields(client, sandbox):
    answer = client.get(f"{API}/companies", headers=_headers(sandbox))
    assert answer.status_code == 200 and isinstance(answer.json, list)
    for company in answer.json:
        assert set(company) == {"id", "name", "chamberOfCommerceNumber",
                                "legalFormApplyForAnnualAccount", "monitrClientId"}
        uuid.UUID(company["id"])
        assert len(company["chamberOfCommerceNumber"]) == 8
    names = {c["name"]: c for c in answer.json}
    assert {SMIT, VASTGOED, VISSER} <= set(names)
    assert names[SMIT]["legalFormApplyForAnnualAccount"] is True
    assert names[VISSER]["legalFormApplyForAnnualAccount"] is False  # a sole proprietorship


@pytest.mark.parametrize("key", [None, "fqx_unknown"])
def test_a_missing_or_unknown_key_is_a_401_in_dutch(client, key):
    headers = {"X-Api-Key": key} if key else {}
    body = _assert_problem(client.get(f"{API}/companies", headers=headers), 401)
    assert "API key" in body["detail"]


def test_linking_sets_and_clears_monitr_client_ids(client, sandbox):
    company = sandbox.company_named(SMIT)
    reference = str(uuid.uuid4())
    answer = client.post(f"{API}/companies", headers=_headers(sandbox),
                         json=[{"id": company.company_id, "monitrClientId": reference}])
    assert answer.status_code == 200
    assert answer.json == [{**company.summary(), "monitrClientId": reference}]
    listed = {c["id"]: c for c in client.get(f"{API}/companies", headers=_headers(sandbox)).json}
    assert listed[company.company_id]["monitrClientId"] == reference
    client.post(f"{API}/companies", headers=_headers(sandbox),
                json=[{"id": company.company_id, "monitrClientId": None}])
    assert company.monitr_client_id is None


def test_a_bad_link_links_none_of_the_batch(client, sandbox):
    good = sandbox.company_named(SMIT).company_id
    body = _assert_problem(client.post(f"{API}/companies", headers=_headers(sandbox), json=[
        {"id": good, "monitrClientId": str(uuid.uuid4())},
        {"id": str(uuid.uuid4()), "monitrClientId": "not-a-uuid"}]), 400)
    assert set(body["errors"]) == {"[1].id", "[1].monitrClientId"}
    assert sandbox.company_named(SMIT).monitr_client_id is None
    _assert_problem(client.post(f"{API}/companies", headers=_headers(sandbox),
                                json={"id": good}), 400)


def test_annual_accounts_hang_together(client, sandbox):
    for name in (SMIT, VASTGOED, VISSER):
        company = sandbox.company_named(name)
        accounts = _accounts(client, sandbox, name)
        years = [a["fiscalYear"] for a in accounts]
        assert years == list(range(years[0], LAST_YEAR + 1)) and len(years) >= 4
        for previous, account in zip(accounts, accounts[1:]):
            assert account["equity"] == previous["equity"] + account["resultAfterTax"]
        for account in accounts:
            assert account["companyId"] == company.company_id
            year = account["fiscalYear"]
            assert (account["periodStart"], account["periodEnd"]) == (f"{year}-01-01",
                                                                      f"{year}-12-31")
            assert account["balanceSheetTotal"] >= account["equity"]
            before, after = account["resultBeforeTax"], account["resultAfterTax"]
            if company.profile.files and before > 0:
                tax = round(min(before, VPB_BRACKET) * 0.19
                            + max(before - VPB_BRACKET, 0) * 0.258)
                assert before - after == tax
            else:
                assert before == after
            stages = [account["preparedDate"], account["adoptionDate"], account["filingDate"]]
            reached = {"concept": 1, "definitief": 2, "gedeponeerd": 3}[account["status"]]
            assert [s is not None for s in stages] == [n < reached for n in range(3)]
            dates = [date.fromisoformat(s) for s in stages if s]
            assert dates == sorted(dates) and dates[0] > date(year, 12, 31)
            assert account["modifiedAt"].startswith(dates[-1].isoformat())
        if not company.profile.files:
            assert all(a["status"] != "gedeponeerd" for a in accounts)
        assert accounts[-1]["status"] == "concept"


def test_the_data_is_deterministic():
    one, two = EBlinqxSandbox(day=4), EBlinqxSandbox(day=4)
    for company in one.companies():
        assert company.annual_accounts() == two.company_named(company.name).annual_accounts()


def test_days_file_adopt_withdraw_and_redraw(sandbox):
    def latest(name):
        return sandbox.company_named(name).accounts.get(LAST_YEAR)

    concept = dict(latest(VASTGOED))
    withdrawn = latest(VISSER)["id"]
    sandbox.advance_to_day(1)
    assert latest(SMIT)["status"] == "gedeponeerd"
    assert latest(SMIT)["filingDate"] == day_date(1).isoformat()
    sandbox.advance_to_day(2)
    adopted = latest(VASTGOED)
    assert adopted["id"] == concept["id"] and adopted["status"] == "definitief"
    assert adopted["adoptionDate"] == day_date(2).isoformat()
    assert adopted["revenue"] != concept["revenue"] and adopted["equity"] != concept["equity"]
    sandbox.advance_to_day(3)
    assert latest(VISSER) is None
    sandbox.advance_to_day(4)
    assert latest(VISSER)["id"] != withdrawn and latest(VISSER)["status"] == "concept"


def test_unknown_and_removed_companies_are_404(client, sandbox):
    _assert_problem(client.get(f"{API}/companies/{uuid.uuid4()}/annual-accounts",
                               headers=_headers(sandbox)), 404)
    company_id = sandbox.company_named(VISSER).company_id
    sandbox.remove_administration(company_id)
    _assert_problem(client.get(f"{API}/companies/{company_id}/annual-accounts",
                               headers=_headers(sandbox)), 404)
    listed = client.get(f"{API}/companies", headers=_headers(sandbox)).json
    assert company_id not in {c["id"] for c in listed}


def test_the_keys_rate_limit_is_a_429_with_retry_after():
    moment = [1000.0]
    sandbox = EBlinqxSandbox(rate_limit=2, rate_window_seconds=60, clock=lambda: moment[0])
    client = create_app(sandbox).test_client()
    for _ in range(2):
        assert client.get(f"{API}/companies", headers=_headers(sandbox)).status_code == 200
    answer = client.get(f"{API}/companies", headers=_headers(sandbox))
    _assert_problem(answer, 429)
    assert answer.headers["Retry-After"] == "60"
    moment[0] += 61
    assert client.get(f"{API}/companies", headers=_headers(sandbox)).status_code == 200


def test_keys_links_and_the_day_survive_a_restart(tmp_path):
    path = tmp_path / "eblinqx.json"
    first = EBlinqxSandbox(path, day=2)
    key, company = first.api_key, first.company_named(SMIT)
    reference = str(uuid.uuid4())
    first.link(company.company_id, reference)
    again = EBlinqxSandbox(path)
    assert (again.day, again.api_key) == (2, key)
    assert again.company_named(SMIT).monitr_client_id == reference
    assert again.company_named(VASTGOED).annual_accounts() == \
        first.company_named(VASTGOED).annual_accounts()
    again.revoke_api_key()
    assert EBlinqxSandbox(path).api_key is None  # a deleted key stays deleted


def test_the_key_is_handed_out_in_a_private_file(sandbox, tmp_path):
    handout = SANDBOX.credentials_handout(sandbox, tmp_path)
    path = tmp_path / "eblinqx_api_key"
    assert path.read_text() == sandbox.api_key and sandbox.api_key not in handout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "monitr connect eblinqx --sandbox" in handout
    assert SANDBOX.default_ports == {"default": 8807}


def test_controls_revoke_the_key_and_advance_days(sandbox):
    from werkzeug.test import Client

    client = Client(with_controls(create_app(sandbox), sandbox))
    assert client.post("/_sandbox/advance-to-day?value=1").status_code == 200
    assert sandbox.day == 1
    assert client.post("/_sandbox/revoke-api-key").status_code == 200
    answer = client.get(f"{API}/companies", headers={"X-Api-Key": "anything"})
    assert answer.status_code == 401
    assert json.loads(answer.get_data())["status"] == 401
