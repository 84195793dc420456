"""Exact's OAuth2 rules as emulated: consent, single-use codes, rotation, throttling, persistence."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from monitr_sandbox.exact_online import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    ExactSandbox,
    create_app,
)

REDIRECT = "http://127.0.0.1:9999/callback"


class Clock:
    def __init__(self, now: float = 1_790_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _authorize(client, state: str = "xyz") -> str:
    response = client.get("/api/oauth2/auth", query_string={
        "client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code", "state": state})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def _token(client, **form):
    return client.post("/api/oauth2/token", data={
        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET, **form})


def _exchange(client, code: str):
    return _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)


def _refresh(client, refresh_token: str):
    return _token(client, grant_type="refresh_token", refresh_token=refresh_token)


def _me(client, access_token: str) -> int:
    return client.get("/api/v1/current/Me", headers={
        "Authorization": f"Bearer {access_token}", "Accept": "application/json"}).status_code


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_client(clock):
    sandbox = ExactSandbox("nl", clock=clock)
    return sandbox, create_app(sandbox).test_client()


def test_code_flow_and_token_shape(app_client):
    _, client = app_client
    response = _exchange(client, _authorize(client))
    assert response.status_code == 200
    token = response.json
    assert token["token_type"] == "bearer" and token["expires_in"] == "600"
    assert token["access_token"] and token["refresh_token"]
    assert _me(client, token["access_token"]) == 200
    # Codes are single use.
    code = _authorize(client)
    assert _exchange(client, code).status_code == 200
    assert _exchange(client, code).json["error"] == "invalid_grant"


def test_consent_and_token_refuse_bad_clients(app_client, clock):
    _, client = app_client
    bad = client.get("/api/oauth2/auth", query_string={
        "client_id": "unknown", "redirect_uri": REDIRECT, "response_type": "code"})
    assert bad.status_code == 400
    code = _authorize(client)
    wrong_secret = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                          client_secret="nope")
    assert wrong_secret.status_code == 400 and wrong_secret.json["error"] == "invalid_client"
    wrong_redirect = _token(client, grant_type="authorization_code", code=code,
                            redirect_uri="http://elsewhere/cb")
    assert wrong_redirect.json["error"] == "invalid_grant"
    expired = _authorize(client)
    clock.now += 181
    assert _exchange(client, expired).json["error"] == "invalid_grant"


def test_refresh_rotates_and_old_tokens_die(app_client, clock):
    _, client = app_client
    first = _exchange(client, _authorize(client)).json
    clock.now += 571  # refreshing is allowed in the last 30 s of the access token
    second = _refresh(client, first["refresh_token"])
    assert second.status_code == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    reused = _refresh(client, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json == {"error": "invalid_grant", "error_description": "Old refresh token used."}
    assert _refresh(client, "made-up").json["error"] == "invalid_grant"


def test_refresh_is_throttled_while_the_access_token_is_young(app_client, clock):
    _, client = app_client
    token = _exchange(client, _authorize(client)).json
    clock.now += 300
    early = _refresh(client, token["refresh_token"])
    assert early.status_code == 400 and early.json["error"] == "invalid_request"
    clock.now += 270  # 570 s old: now allowed, and the refused attempt did not spend the token
    assert _refresh(client, token["refresh_token"]).status_code == 200


def test_access_tokens_expire_and_can_be_expired_or_revoked(app_client, clock):
    sandbox, client = app_client
    token = _exchange(client, _authorize(client)).json
    clock.now += 599
    assert _me(client, token["access_token"]) == 200
    clock.now += 1
    assert _me(client, token["access_token"]) == 401

    fresh = _refresh(client, token["refresh_token"]).json
    sandbox.expire_access_tokens()
    assert _me(client, fresh["access_token"]) == 401
    renewed = _refresh(client, fresh["refresh_token"])  # expiry lifts the throttle at once
    assert renewed.status_code == 200

    sandbox.revoke_all_tokens()
    assert _me(client, renewed.json["access_token"]) == 401
    assert _refresh(client, renewed.json["refresh_token"]).json["error"] == "invalid_grant"


def test_refresh_tokens_survive_a_restart(tmp_path, clock):
    state = tmp_path / "exact_nl.json"
    first = ExactSandbox("nl", state_path=state, clock=clock)
    client = create_app(first).test_client()
    token = _exchange(client, _authorize(client)).json

    restarted = ExactSandbox("nl", state_path=state, clock=clock)
    client = create_app(restarted).test_client()
    assert _me(client, token["access_token"]) == 200  # access tokens are kept too
    clock.now += 600
    refreshed = _refresh(client, token["refresh_token"])
    assert refreshed.status_code == 200
    assert _me(client, refreshed.json["access_token"]) == 200

    again = create_app(ExactSandbox("nl", state_path=state, clock=clock)).test_client()
    assert _refresh(again, token["refresh_token"]).json["error_description"] == "Old refresh token used."
    clock.now += 600
    assert _refresh(again, refreshed.json["refresh_token"]).status_code == 200
