"""The HubSpot emulator over real HTTP: every deals and pipelines answer validated against
HubSpot's own OpenAPI descriptions (/work/shared/providers/specs/hubspot/), the install and
token endpoints (30-minute tokens, refresh tokens that do not rotate), token info, `after`
paging of lists and search, search filters and its result cap, rate-limit headers and 429s,
error shapes, missing scopes, and a day's changes and archived deal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import requests
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

from monitr_sandbox.hubspot import (
    PORTALS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    HubSpotSandbox,
    create_app,
)
from monitr_sandbox.hubspot.deals import epoch_ms
from monitr_sandbox.server import EmulatorServer

SPECS = Path("/work/shared/providers/specs/hubspot")
REAL_HOST = "https://api.hubapi.com"
REDIRECT = "http://127.0.0.1:8799/oauth/callback"
A, B = PORTALS


@pytest.fixture(scope="module")
def specs() -> dict[str, OpenAPI]:
    config = Config(spec_validator_cls=None)
    return {"/crm/v3/objects/": OpenAPI.from_file_path(SPECS / "deals.v3.json", config=config),
            "/crm/v3/pipelines/": OpenAPI.from_file_path(SPECS / "pipelines.v3.json",
                                                         config=config)}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[HubSpotSandbox, str]]:
    state = tmp_path_factory.mktemp("hubspot_emulator") / "hubspot.json"
    sandbox = HubSpotSandbox(state, ten_secondly=10_000, search_secondly=10_000)
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url


@pytest.fixture(scope="module")
def tokens(served) -> dict[int, dict]:
    sandbox, _ = served
    return {p.hub_id: sandbox.issue_tokens(p.hub_id) for p in PORTALS}


def _validate_error(response: requests.Response) -> None:
    """An error answer against the descriptions' Error schema. Their default answer is typed
    `*/*`, which openapi-core does not read as JSON, so the schema is applied to the JSON here."""
    document = json.loads((SPECS / "deals.v3.json").read_text())
    schema = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    OAS30Validator(schema).validate(response.json())


def _validate(specs: dict[str, OpenAPI], response: requests.Response) -> None:
    """Validate an answer as if api.hubapi.com had given it (deals under their object type id,
    0-3, as the description writes the paths)."""
    if response.status_code >= 400:
        _validate_error(response)
        return
    url = urlsplit(response.request.url)
    for prefix, spec in specs.items():
        if url.path.startswith(prefix):
            break
    else:
        raise AssertionError(f"no OpenAPI description covers {url.path}")
    path = url.path.replace("/crm/v3/objects/deals", "/crm/v3/objects/0-3")
    request = MockRequest(REAL_HOST, response.request.method.lower(), path,
                          args=dict(parse_qsl(url.query)))
    content_type = response.headers["Content-Type"].split(";")[0]
    spec.validate_response(request, MockResponse(response.content,
                                                 status_code=response.status_code,
                                                 content_type=content_type))


def _get(served, tokens, path: str, hub_id: int = A.hub_id, **params) -> requests.Response:
    _, url = served
    return requests.get(f"{url}{path}", params=params, timeout=10, headers={
        "Authorization": f"Bearer {tokens[hub_id]['access_token']}"})


def _search(served, tokens, body: dict, hub_id: int = A.hub_id) -> requests.Response:
    _, url = served
    return requests.post(f"{url}/crm/v3/objects/deals/search", json=body, timeout=10, headers={
        "Authorization": f"Bearer {tokens[hub_id]['access_token']}"})


def _since(moment_ms: int, operator: str = "GTE") -> list[dict]:
    return [{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": operator,
                          "value": str(moment_ms)}]}]


def test_every_deals_and_pipelines_answer_validates(specs, served, tokens):
    sandbox, _ = served
    answers = []
    for portal in PORTALS:
        answers.append(_get(served, tokens, "/crm/v3/pipelines/deals", portal.hub_id))
        after = None
        while True:  # the whole list, page by page, and the archived list
            page = _get(served, tokens, "/crm/v3/objects/deals", portal.hub_id, limit=100,
                        properties="dealname,amount,deal_currency_code", **(
                            {"after": after} if after else {}))
            answers.append(page)
            after = page.json().get("paging", {}).get("next", {}).get("after")
            if not after:
                break
        answers.append(_get(served, tokens, "/crm/v3/objects/deals", portal.hub_id,
                            archived="true", limit=100))
        answers.append(_search(served, tokens, {
            "filterGroups": _since(0), "limit": 200, "after": "0",
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": ["dealname", "amount", "closedate", "dealstage", "pipeline"]},
            portal.hub_id))
    # Errors too: the Error shape of the descriptions' default answer.
    answers.append(_search(served, tokens, {"limit": 500}))
    _, url = served
    answers.append(requests.get(f"{url}/crm/v3/objects/deals", timeout=10))
    for answer in answers:
        _validate(specs, answer)
    assert {a.status_code for a in answers} == {200, 400, 401}
    first_archived = next(a for a in answers if "archived=true" in a.request.url).json()
    assert first_archived["results"] and all(r["archived"] and r["archivedAt"]
                                             for r in first_archived["results"])


def test_deals_shapes_and_list_paging(served, tokens):
    sandbox, _ = served
    page = _get(served, tokens, "/crm/v3/objects/deals", limit=7).json()
    assert len(page["results"]) == 7 and page["paging"]["next"]["link"].startswith("?after=")
    deal = page["results"][0]
    # Default properties, all text; the always-given three are there.
    assert set(deal["properties"]) == {"amount", "closedate", "createdate", "dealname",
                                       "dealstage", "hs_lastmodifieddate", "hs_object_id",
                                       "pipeline"}
    assert all(isinstance(v, str) for v in deal["properties"].values())
    assert deal["updatedAt"] == deal["properties"]["hs_lastmodifieddate"]
    seen, after = [], None
    while True:
        answer = _get(served, tokens, "/crm/v3/objects/deals", limit=100,
                      **({"after": after} if after else {})).json()
        seen += [r["id"] for r in answer["results"]]
        after = answer.get("paging", {}).get("next", {}).get("after")
        if not after:
            break
    assert seen == [str(d.id) for d in sandbox.book(A.hub_id).live()]
    assert _get(served, tokens, "/crm/v3/objects/deals", limit=101).status_code == 400


def test_search_filters_sorts_pages_and_caps(specs, served, tokens):
    sandbox, _ = served
    book = sandbox.book(A.hub_id)
    live = book.live()
    middle = sorted(d.modified for d in live)[len(live) // 2]
    body = {"filterGroups": _since(epoch_ms(middle)), "limit": 20, "properties": ["dealname"],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}]}
    first = _search(served, tokens, body).json()
    wanted = [d for d in live if d.modified >= middle]
    assert first["total"] == len(wanted)
    stamps = [r["properties"]["hs_lastmodifieddate"] for r in first["results"]]
    assert stamps == sorted(stamps) and len(stamps) == 20
    assert "X-HubSpot-RateLimit-Remaining" not in _search(served, tokens, body).headers
    # The cap: paging up to it works, past it is a 400 in HubSpot's error shape.
    sandbox.search_cap = 30
    try:
        second = _search(served, tokens, {**body, "after": first["paging"]["next"]["after"]})
        assert len(second.json()["results"]) == 10
        past = _search(served, tokens, {**body, "after": "40"})
        assert past.status_code == 400
        error = past.json()
        assert error["status"] == "error" and error["category"] == "VALIDATION_ERROR"
        assert error["correlationId"] and "limited to 30" in error["message"]
        _validate_error(past)
    finally:
        sandbox.search_cap = 10_000
    # EQ on a millisecond and GT on the object id: one millisecond read in id order.
    batch = [d for d in live if d.modified == live[20].modified]
    assert len(batch) > 10  # the deals imported in one millisecond
    tied_answer = _search(served, tokens, {"filterGroups": [{"filters": [
        {"propertyName": "hs_lastmodifieddate", "operator": "EQ",
         "value": str(epoch_ms(batch[0].modified))},
        {"propertyName": "hs_object_id", "operator": "GT", "value": str(batch[0].id)}]}],
        "sorts": ["hs_object_id"], "limit": 200})
    tied = tied_answer.json()
    assert [r["id"] for r in tied["results"]] == [str(d.id) for d in batch[1:]]
    _validate(specs, tied_answer)
    assert _search(served, tokens, {"limit": 201}).status_code == 400


def test_install_token_refresh_and_token_info(served):
    sandbox, url = served
    consent = requests.get(f"{url}/oauth/authorize", allow_redirects=False, timeout=10, params={
        "client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT, "state": "s1",
        "scope": "oauth crm.objects.deals.read", "sandbox_login": "portal_b"})
    assert consent.status_code == 302
    query = parse_qs(urlsplit(consent.headers["Location"]).query)
    assert query["state"] == ["s1"]
    form = {"grant_type": "authorization_code", "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET, "redirect_uri": REDIRECT,
            "code": query["code"][0]}
    token = requests.post(f"{url}/oauth/v1/token", data=form, timeout=10).json()
    assert token["expires_in"] == 1800 and token["token_type"] == "bearer"
    again = requests.post(f"{url}/oauth/v1/token", data=form, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    info = requests.get(f"{url}/oauth/v1/access-tokens/{token['access_token']}",
                        timeout=10).json()
    assert (info["hub_id"], info["hub_domain"]) == (B.hub_id, "Banketbakkerij Smit B.V.")
    assert 0 < info["expires_in"] <= 1800 and "crm.objects.deals.read" in info["scopes"]
    refreshed = requests.post(f"{url}/oauth/v1/token", timeout=10, data={
        "grant_type": "refresh_token", "client_id": SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET, "refresh_token": token["refresh_token"]}).json()
    assert refreshed["refresh_token"] == token["refresh_token"]  # not rotated
    assert refreshed["access_token"] != token["access_token"]
    wrong = requests.post(f"{url}/oauth/v1/token", timeout=10, data={
        "grant_type": "refresh_token", "client_id": SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET, "refresh_token": "eu1-nope"})
    assert wrong.status_code == 400 and wrong.json()["status"] == "BAD_REFRESH_TOKEN"
    details = requests.get(f"{url}/account-info/v3/details", timeout=10, headers={
        "Authorization": f"Bearer {refreshed['access_token']}"}).json()
    assert details["portalId"] == B.hub_id and details["companyCurrency"] == "EUR"
    assert details["additionalCurrencies"] == ["USD"]


def test_auth_errors_and_missing_scopes(served, tokens):
    sandbox, url = served
    missing = requests.get(f"{url}/crm/v3/objects/deals", timeout=10)
    assert missing.status_code == 401 and missing.json()["category"] == "INVALID_AUTHENTICATION"
    narrow = sandbox.issue_tokens(A.hub_id, scopes=("oauth",))
    refused = requests.get(f"{url}/crm/v3/pipelines/deals", timeout=10,
                           headers={"Authorization": f"Bearer {narrow['access_token']}"})
    assert refused.status_code == 403 and refused.json()["category"] == "MISSING_SCOPES"
    assert refused.json()["errors"][0]["context"]["requiredGranularScopes"] == [
        "crm.objects.deals.read"]
    old = sandbox.issue_tokens(A.hub_id)
    sandbox.expire_access_tokens()
    expired = requests.get(f"{url}/crm/v3/objects/deals", timeout=10,
                           headers={"Authorization": f"Bearer {old['access_token']}"})
    assert expired.status_code == 401 and expired.json()["category"] == "EXPIRED_AUTHENTICATION"
    for error in (missing, refused, expired):
        _validate_error(error)
    # The module's tokens again, as new.
    tokens.update({p.hub_id: sandbox.issue_tokens(p.hub_id) for p in PORTALS})


def test_rate_limit_headers_and_429(served, tokens):
    sandbox, _ = served
    limits = sandbox.rate_limits
    limits.reset()
    before = (limits.ten_secondly, limits.search_secondly)
    limits.ten_secondly, limits.search_secondly = 3, 2
    try:
        answers = [_get(served, tokens, "/crm/v3/pipelines/deals") for _ in range(4)]
        assert [a.headers.get("X-HubSpot-RateLimit-Remaining") for a in answers] == \
            ["2", "1", "0", "0"]
        assert answers[0].headers["X-HubSpot-RateLimit-Max"] == "3"
        assert answers[0].headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
        refused = answers[3]
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        body = refused.json()
        assert (body["errorType"], body["policyName"]) == ("RATE_LIMIT", "TEN_SECONDLY_ROLLING")
        searches = [_search(served, tokens, {"limit": 1}) for _ in range(3)]
        assert [s.status_code for s in searches] == [200, 200, 429]
        assert searches[2].headers["Retry-After"] == "1"
        _validate_error(refused)
        _validate_error(searches[2])
        # Another portal has its own budget.
        assert _get(served, tokens, "/crm/v3/pipelines/deals", B.hub_id).status_code == 200
    finally:
        limits.ten_secondly, limits.search_secondly = before
        limits.reset()


def test_a_day_changes_three_archives_one_and_adds_two(served, tokens):
    sandbox, _ = served
    book = sandbox.book(A.hub_id)
    before = {d.id: d for d in book.deals.values()}
    day_start = max(d.modified for d in before.values())
    sandbox.advance_to_day(sandbox.day + 1)
    changed = _search(served, tokens, {"filterGroups": _since(epoch_ms(day_start), "GT"),
                                       "limit": 200}).json()
    archived_now = [d for d in book.archived() if before[d.id].archived_at is None]
    new = [d for d in book.deals.values() if d.id not in before]
    assert len(archived_now) == 1 and len(new) == 2
    assert changed["total"] == len([d for d in book.live() if d.modified > day_start])
    assert 4 <= changed["total"] <= 5  # three moved on (one may be the archived one) + two new
    listed = _get(served, tokens, "/crm/v3/objects/deals", archived="true", limit=100).json()
    assert str(archived_now[0].id) in {r["id"] for r in listed["results"]}


def test_state_survives_a_restart(served, tokens, tmp_path):
    sandbox, _ = served
    restarted = HubSpotSandbox(sandbox._state.path)
    assert restarted.day == sandbox.day
    grant, _ = restarted.tokens.token_record(tokens[A.hub_id]["access_token"])
    assert grant is not None and grant["hub_id"] == A.hub_id
    assert [d.id for d in restarted.book(A.hub_id).live()] == \
        [d.id for d in sandbox.book(A.hub_id).live()]
    assert json.loads(sandbox._state.path.read_text())["day"] == sandbox.day
