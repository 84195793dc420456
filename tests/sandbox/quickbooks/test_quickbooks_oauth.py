"""Intuit's OAuth2 rules as emulated: consent with realmId, Basic client auth, refresh token values
that change and must then be used, hourly access tokens bound to one company, persistence."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from monitr_sandbox.quickbooks import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    QuickBooksSandbox,
    create_app,
)

REDIRECT = "http://127.0.0.1:9999/callback"
SCOPE = "com.intuit.quickbooks.accounting"
BASIC = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)


def _consent(client, **overrides):
    return client.get("/connect/oauth2", query_string={
        "client_id": SANDBOX_CLIENT_ID, "response_type": "code", "scope": SCOPE,
        "redirect_uri": REDIRECT, "state": "xyz", **overrides})


def _token(client, auth=BASIC, **form):
    return client.post("/oauth2/v1/tokens/bearer", data=form, auth=auth)


def _grant(client) -> dict:
    code = parse_qs(urlsplit(_consent(client).headers["Location"]).query)["code"][0]
    response = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert response.status_code == 200, response.json
    return response.json


def _company_info(client, qbo, access_token: str):
    return client.get(f"/v3/company/{qbo.realm}/companyinfo/{qbo.realm}", headers={
        "Authorization": f"Bearer {access_token}", "Accept": "application/json"})


def test_consent_redirects_with_code_state_and_the_company(client, qbo):
    response = _consent(client)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"] and query["realmId"] == [qbo.realm] and query["code"]


@pytest.mark.parametrize("overrides, error", [
    ({"scope": "openid"}, "invalid_scope"),
    ({"state": ""}, "invalid_request"),
    ({"client_id": "someone-else"}, "invalid_client"),
])
def test_consent_refuses_bad_requests(client, overrides, error):
    response = _consent(client, **overrides)
    assert response.status_code >= 400 and response.json["error"] == error


def test_the_token_endpoint_takes_client_credentials_as_basic_only(client):
    code = parse_qs(urlsplit(_consent(client).headers["Location"]).query)["code"][0]
    in_body = _token(client, auth=None, grant_type="authorization_code", code=code,
                     redirect_uri=REDIRECT, client_id=SANDBOX_CLIENT_ID,
                     client_secret=SANDBOX_CLIENT_SECRET)
    assert in_body.status_code == 401 and in_body.json["error"] == "invalid_client"
    token = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT).json
    assert token["token_type"] == "bearer" and token["expires_in"] == 3600
    assert token["x_refresh_token_expires_in"] > 86 * 86400
    again = _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"  # codes are single use


def test_refresh_token_value_changes_at_most_daily_and_the_old_one_dies(client, qbo, clock):
    first = _grant(client)
    clock.now += 3600
    same = _token(client, grant_type="refresh_token", refresh_token=first["refresh_token"]).json
    assert same["refresh_token"] == first["refresh_token"] and same["access_token"] != first["access_token"]
    clock.now += 86_400
    rotated = _token(client, grant_type="refresh_token", refresh_token=first["refresh_token"]).json
    assert rotated["refresh_token"] != first["refresh_token"]
    stale = _token(client, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert stale.status_code == 400 and stale.json["error"] == "invalid_grant"
    assert _token(client, grant_type="refresh_token",
                  refresh_token=rotated["refresh_token"]).status_code == 200


def test_access_tokens_expire_after_an_hour_with_intuits_401(client, qbo, clock):
    token = _grant(client)["access_token"]
    assert _company_info(client, qbo, token).status_code == 200
    clock.now += 3600
    response = _company_info(client, qbo, token)
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]
    [error] = response.json["fault"]["error"]
    assert error["code"] == "3200" and "errorCode=003200; statusCode=401" in error["message"]


def test_a_token_reads_only_its_own_company(client, qbo):
    token = _grant(client)["access_token"]
    response = client.get("/v3/company/1234567890/companyinfo/1234567890", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json"})
    assert response.status_code == 403
    assert response.json["fault"]["error"][0]["code"] == "3100"


def test_revoked_consent_refuses_refresh_and_access(client, qbo):
    grant = _grant(client)
    qbo.revoke_all_tokens()
    assert _company_info(client, qbo, grant["access_token"]).status_code == 401
    refused = _token(client, grant_type="refresh_token", refresh_token=grant["refresh_token"])
    assert refused.status_code == 400 and refused.json["error"] == "invalid_grant"


def test_tokens_survive_a_restart(tmp_path, clock):
    path = tmp_path / "state.json"
    first = QuickBooksSandbox(path, clock=clock)
    grant = _grant(create_app(first).test_client())
    restarted = QuickBooksSandbox(path, clock=clock)
    client = create_app(restarted).test_client()
    assert _company_info(client, restarted, grant["access_token"]).status_code == 200
    assert _token(client, grant_type="refresh_token",
                  refresh_token=grant["refresh_token"]).status_code == 200


def test_a_company_that_is_gone_answers_3100_until_it_is_back(client, qbo, tmp_path):
    grant = _grant(client)
    qbo.remove_administration(qbo.realm)
    gone = _company_info(client, qbo, grant["access_token"])
    assert gone.status_code == 403
    assert gone.json["fault"]["error"][0]["code"] == "3100"
    # It stays gone across a restart of the emulator, and comes back when restored.
    again = QuickBooksSandbox(tmp_path / "quickbooks.json", clock=qbo.clock)
    assert not again.administration_visible(qbo.realm)
    qbo.restore_administration(qbo.realm)
    assert _company_info(client, qbo, grant["access_token"]).status_code == 200
