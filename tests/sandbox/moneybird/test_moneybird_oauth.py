"""Moneybird's OAuth2 over real HTTP: the code flow, tokens without expiry, rotating refresh tokens."""

from __future__ import annotations

import pytest
import requests
from requests_oauthlib import OAuth2Session

from monitr_sandbox.moneybird import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, MoneybirdSandbox

REDIRECT = "http://127.0.0.1:1/callback"  # never contacted: the code is read from the redirect
SCOPES = ["sales_invoices", "documents", "bank", "settings"]


def _consent(base: str) -> tuple[OAuth2Session, str]:
    oauth = OAuth2Session(SANDBOX_CLIENT_ID, redirect_uri=REDIRECT, scope=SCOPES)
    authorize_url, _ = oauth.authorization_url(f"{base}/oauth/authorize")
    consent = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert consent.status_code == 302 and consent.headers["Location"].startswith(REDIRECT)
    return oauth, consent.headers["Location"]


def _token_request(base: str, **form) -> requests.Response:
    return requests.post(f"{base}/oauth/token", timeout=10,
                         data={"client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET,
                               **form})


def test_code_flow_gives_tokens_without_expiry_and_the_granted_scopes(served):
    oauth, callback = _consent(served)
    token = oauth.fetch_token(f"{served}/oauth/token", authorization_response=callback,
                              client_secret=SANDBOX_CLIENT_SECRET, include_client_id=True)
    assert token["token_type"].lower() == "bearer" and token["refresh_token"]
    assert "expires_in" not in token and token["scope"] == SCOPES
    administrations = oauth.get(f"{served}/api/v2/administrations.json", timeout=10)
    assert administrations.status_code == 200 and len(administrations.json()) == 2


def test_a_code_works_once(served):
    _, callback = _consent(served)
    code = callback.split("code=")[1].split("&")[0]
    first = _token_request(served, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    again = _token_request(served, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first.status_code == 200
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_refresh_tokens_rotate(moneybird, served):
    refresh_token = moneybird.issue_tokens()["refresh_token"]
    renewed = _token_request(served, grant_type="refresh_token", refresh_token=refresh_token)
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] != refresh_token
    reused = _token_request(served, grant_type="refresh_token", refresh_token=refresh_token)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    moneybird.revoke_all_tokens()
    revoked = _token_request(served, grant_type="refresh_token",
                             refresh_token=renewed.json()["refresh_token"])
    assert revoked.status_code == 400 and revoked.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("secret", ["wrong", None])
def test_unknown_clients_are_refused(served, secret):
    response = requests.post(f"{served}/oauth/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": "x", "client_id": SANDBOX_CLIENT_ID,
        **({"client_secret": secret} if secret else {})})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_unknown_scopes_and_clients_get_no_consent(served):
    bad_scope = requests.get(f"{served}/oauth/authorize", allow_redirects=False, timeout=10, params={
        "client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "sales_invoices everything"})
    assert bad_scope.status_code == 400
    bad_client = requests.get(f"{served}/oauth/authorize", allow_redirects=False, timeout=10, params={
        "client_id": "someone-else", "redirect_uri": REDIRECT, "response_type": "code"})
    assert bad_client.status_code == 400


def test_tokens_survive_a_restart(tmp_path):
    state = tmp_path / "moneybird.json"
    token = MoneybirdSandbox(state_path=state).issue_tokens()
    restarted = MoneybirdSandbox(state_path=state)
    assert restarted.tokens.grant_of(token["access_token"]) is not None
    assert restarted.tokens.refresh(token["refresh_token"])["access_token"]
