"""The Octopus emulator's API: OAuth (authorize, code exchange, refresh), the `Token` and
`dossierToken` headers and their 10-minute lives, the REST error body, book years, accounts,
bookings (balanced once signed; credit notes with a negative total and positive lines; the
year-opening journal), the `/modified` endpoints' 404, the daily call budget, lost dossiers."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from monitr_sandbox.ledger import closing_positions
from monitr_sandbox.octopus import SANDBOX_CLIENT_ID, OctopusSandbox, create_app
from monitr_sandbox.octopus.books import JOURNAL_KEYS, wire_timestamp

API = "/octopus-rest-api/v1"
DOSSIER = "410102"
REDIRECT = "https://app.example/callback"


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def world():
    clock = Clock()
    sandbox = OctopusSandbox(clock=clock)
    return sandbox, create_app(sandbox).test_client(), clock


def _consent(client) -> dict:
    answer = client.get("/octopus-oauth/authorize", query_string={
        "scope": "webservice", "response_type": "code", "client_id": SANDBOX_CLIENT_ID,
        "redirect_uri": REDIRECT, "state": "s1"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["s1"]
    tokens = client.post("/octopus-oauth/token", data={
        "grant_type": "authorization_code", "client_id": SANDBOX_CLIENT_ID,
        "code": query["code"][0], "redirect_uri": REDIRECT})
    assert tokens.status_code == 200
    return tokens.get_json()


def _dossier_token(client, access: str, dossier: str = DOSSIER) -> str:
    answer = client.post(f"{API}/dossiers", query_string={"dossierId": dossier, "localeId": 1},
                         headers={"Token": access})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["Dossiertoken"]


def _get(client, token: str, path: str, **params):
    return client.get(f"{API}/dossiers/{DOSSIER}{path}", query_string=params,
                      headers={"dossierToken": token})


def test_oauth_code_is_single_use_and_tokens_live_ten_minutes(world):
    sandbox, client, _ = world
    tokens = _consent(client)
    assert tokens["expires_in"] == 600 and tokens["refresh_token"]
    refreshed = client.post("/octopus-oauth/token", data={
        "grant_type": "refresh_token", "client_id": SANDBOX_CLIENT_ID,
        "refresh_token": tokens["refresh_token"]}).get_json()
    assert refreshed["access_token"] != tokens["access_token"]
    unknown = client.post("/octopus-oauth/token", data={
        "grant_type": "refresh_token", "client_id": "someone-else",
        "refresh_token": tokens["refresh_token"]})
    assert unknown.status_code == 400 and unknown.get_json()["error"] == "invalid_client"


def test_the_login_lists_its_dossiers_with_its_token(world):
    _, client, _ = world
    tokens = _consent(client)
    refused = client.get(f"{API}/dossiers")
    assert refused.status_code == 401
    assert set(refused.get_json()) == {"technicalInfo", "errorCode", "errorMessage"}
    dossiers = client.get(f"{API}/dossiers", headers={"Token": tokens["access_token"]}).get_json()
    assert [d["dossierKey"]["id"] for d in dossiers] == [410101, 410102, 410103]


def test_tokens_expire_after_ten_minutes(world):
    _, client, clock = world
    access = _consent(client)["access_token"]
    token = _dossier_token(client, access)
    assert _get(client, token, "/bookyears").status_code == 200
    unknown = _get(client, "not-a-token", "/bookyears")
    assert unknown.get_json()["errorMessage"] == "Invalid dossiertoken"
    other = _dossier_token(client, access, "410101")
    assert _get(client, other, "/bookyears").status_code == 401  # another dossier's token
    clock.now += 601
    expired = _get(client, token, "/bookyears")
    assert expired.status_code == 401
    assert expired.get_json()["errorMessage"] == "Dossiertoken expired"
    login = client.get(f"{API}/dossiers", headers={"Token": access})
    assert login.status_code == 401 and login.get_json()["errorMessage"] == "Token expired"


def test_book_years_and_accounts(world):
    _, client, _ = world
    token = _dossier_token(client, _consent(client)["access_token"])
    years = _get(client, token, "/bookyears").get_json()
    assert [(y["bookyearKey"]["id"], y["startDate"], y["closed"]) for y in years] == [
        (1, "2025-01-01", True), (2, "2026-01-01", False)]
    assert [p["bookyearPeriod"] for p in years[0]["periods"]] == list(range(1, 13))
    assert _get(client, token, "/accounts").status_code == 400  # bookyearId is required
    accounts = _get(client, token, "/accounts", bookyearId=2).get_json()
    assert {a["accountKey"]["bookyearKey"]["id"] for a in accounts} == {2}
    assert {"accountKey", "description", "costCentreType"} <= set(accounts[0])
    everything = _get(client, token, "/accounts/modified",
                      modifiedTimeStamp="2000-01-01 00:00:00.000")
    assert len(everything.get_json()) == 2 * len(accounts)
    nothing = _get(client, token, "/accounts/modified", modifiedTimeStamp="2030-01-01 00:00:00.000")
    assert nothing.status_code == 404
    bad = _get(client, token, "/accounts/modified", modifiedTimeStamp="yesterday")
    assert bad.status_code == 400


def _gl(booking: dict) -> list[Decimal]:
    """A booking's lines as GL amounts (debit positive), by the journal type's sign rule."""
    kind = booking["journalTypeId"]
    if kind not in (1, 2):
        return [Decimal(str(line["amount"])) for line in booking["bookingLines"]]
    total = Decimal(str(booking["amount"]))
    sign = -1 if total < 0 else 1
    natural = -1 if kind == 2 else 1
    return [total if kind == 2 else -total] + [
        natural * sign * Decimal(str(line["baseAmount"])) for line in booking["bookingLines"]]


def test_bookings_balance_and_credit_notes_have_a_negative_total(world):
    sandbox, client, _ = world
    token = _dossier_token(client, _consent(client)["access_token"])
    bookings = _get(client, token, "/bookyears/-1/bookings/modified",
                    modifiedTimeStamp="2000-01-01 00:00:00.000", journalTypeId=-1).get_json()
    ledger = sandbox.ledger(DOSSIER)
    assert len(bookings) == len(ledger.entries)
    assert all(sum(_gl(b)) == 0 for b in bookings)
    credit_notes = [b for b in bookings if b["journalTypeId"] == 2 and b["amount"] < 0]
    assert credit_notes
    assert all(line["baseAmount"] > 0 for b in credit_notes for line in b["bookingLines"])
    sales = _get(client, token, "/bookyears/1/bookings/modified",
                 modifiedTimeStamp="2000-01-01 00:00:00.000", journalTypeId=2).get_json()
    assert sales and {b["journalKey"] for b in sales} == {JOURNAL_KEYS["sales"]}
    assert {b["bookyearKey"]["id"] for b in sales} == {1}


def test_every_book_year_opens_with_the_previous_years_closing(world):
    sandbox, client, _ = world
    token = _dossier_token(client, _consent(client)["access_token"])
    ledger = sandbox.ledger(DOSSIER)
    opening = _get(client, token, "/bookyears/2/bookings/modified",
                   modifiedTimeStamp="2000-01-01 00:00:00.000", journalTypeId=5).get_json()
    assert len(opening) == 1 and opening[0]["journalKey"] == "OB"
    booked: dict[str, Decimal] = {}
    for line in opening[0]["bookingLines"]:
        code = str(line["accountKey"])
        booked[code] = booked.get(code, Decimal(0)) + Decimal(str(line["amount"]))
    closing: dict[str, Decimal] = {}
    for (code, _), amount in closing_positions(ledger, 2025).items():
        closing[code] = closing.get(code, Decimal(0)) + amount
    assert {k: v for k, v in booked.items() if v} == {k: v for k, v in closing.items() if v}


def test_changes_are_stamped_and_deletions_leave_no_trace(world):
    sandbox, client, clock = world
    ledger = sandbox.ledger(DOSSIER)
    before = set(ledger.entries)
    clock.now += 3600
    sandbox.advance_to_day(sandbox.day + 1)
    token = _dossier_token(client, _consent(client)["access_token"])
    since = wire_timestamp(clock.now - 1)
    answer = _get(client, token, "/bookyears/-1/bookings/modified", modifiedTimeStamp=since,
                  journalTypeId=-1)
    assert answer.status_code == 200
    changed = answer.get_json()
    # The day's new invoice, the receipt and the corrected booking; nothing else.
    assert len(changed) == 3 and all(b["modifiedTimeStamp"] > since for b in changed)
    gone = before - set(ledger.entries)
    assert gone
    year = _get(client, token, "/bookyears/2/bookings/modified",
                modifiedTimeStamp="2000-01-01 00:00:00.000", journalTypeId=-1).get_json()
    numbers = {(b["journalKey"], b["documentSequenceNr"]) for b in year}
    assert not {("D1", int(str(n)[4:])) for n in gone} & numbers


def test_the_daily_budget_is_a_429_until_tomorrow(world):
    sandbox, client, _ = world
    token = _dossier_token(client, _consent(client)["access_token"])
    sandbox.daily_calls = sandbox.budget.used
    try:
        refused = _get(client, token, "/costcentres")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 86_400
        assert refused.get_json()["errorMessage"] == "Daily limit of webservice calls reached"
    finally:
        sandbox.daily_calls = 1_000_000


def test_a_lost_dossier_is_refused(world):
    sandbox, client, _ = world
    access = _consent(client)["access_token"]
    token = _dossier_token(client, access)
    sandbox.remove_administration(DOSSIER)
    try:
        answer = client.post(f"{API}/dossiers", query_string={"dossierId": DOSSIER, "localeId": 1},
                             headers={"Token": access})
        assert answer.status_code == 403
        assert _get(client, token, "/bookyears").status_code == 403
        listed = client.get(f"{API}/dossiers", headers={"Token": access}).get_json()
        assert DOSSIER not in {str(d["dossierKey"]["id"]) for d in listed}
    finally:
        sandbox.restore_administration(DOSSIER)


def test_outstanding_items_cost_centres_and_fixed_assets(world):
    sandbox, client, _ = world
    token = _dossier_token(client, _consent(client)["access_token"])
    ledger = sandbox.ledger(DOSSIER)
    items = _get(client, token, "/outstandingitems").get_json()
    assert len(items) == len(ledger.open_items)
    assert {i["relationType"] for i in items} == {"customer", "supplier"}
    assert all(i["openAmount"] > 0 for i in items)
    centres = _get(client, token, "/costcentres").get_json()
    assert [c["costCentreKey"]["id"] for c in centres] == [c.code for c in ledger.cost_centres]
    assets = _get(client, token, "/fixedassets").get_json()
    assert len(assets) == len(ledger.fixed_assets)
    assert all(0 <= a["depreciatedValue"] <= a["purchaseValue"] for a in assets)
