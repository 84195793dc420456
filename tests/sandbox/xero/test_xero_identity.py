"""Xero's identity rules as emulated: consent, PKCE, Basic client auth, rotation with a grace period,
expiry, revocation, persistence, /connections and disconnected organisations."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from monitr_pipeline.ingestion.oauth import new_pkce_pair
from monitr_sandbox.xero import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_TENANTS,
    XeroSandbox,
    create_app,
)
from monitr_sandbox.xero.identity import REFRESH_GRACE, REFRESH_TOKEN_TTL

REDIRECT = "http://127.0.0.1:9999/callback"
BASIC = (SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
SCOPES = "offline_access accounting.journals.read accounting.settings.read"


def _authorize(client, challenge: str | None = None, scope: str = SCOPES) -> str:
    params = {"client_id": SANDBOX_CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
              "scope": scope, "state": "s1"}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    response = client.get("/identity/connect/authorize", query_string=params)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def _token(client, auth=BASIC, **form):
    return client.post("/connect/token", data=form, auth=auth)


def _exchange(client, code: str, **extra):
    return _token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, **extra)


def _refresh(client, refresh_token: str):
    return _token(client, grant_type="refresh_token", refresh_token=refresh_token)


def _journals(client, access_token: str):
    return client.get("/api.xro/2.0/Journals", headers={
        "Authorization": f"Bearer {access_token}", "Accept": "application/json",
        "Xero-Tenant-Id": SANDBOX_TENANTS[0].tenant_id})


def test_consent_and_exchange_with_pkce_and_basic_auth(client):
    verifier, challenge = new_pkce_pair()
    code = _authorize(client, challenge)
    assert _exchange(client, code, auth=None, client_secret=SANDBOX_CLIENT_SECRET,
                     client_id=SANDBOX_CLIENT_ID).json == {"error": "invalid_client"}
    assert _exchange(client, code).json == {"error": "invalid_grant"}  # no verifier
    assert _exchange(client, code, code_verifier="x" * 50).json == {"error": "invalid_grant"}
    response = _exchange(client, code, code_verifier=verifier)
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1800
    assert body["scope"] == SCOPES and body["refresh_token"]
    assert body["access_token"].count(".") == 2  # a JWT
    assert _journals(client, body["access_token"]).status_code == 200
    # Codes are single use.
    assert _exchange(client, code, code_verifier=verifier).json == {"error": "invalid_grant"}


def test_no_refresh_token_without_offline_access(client):
    body = _exchange(client, _authorize(client, scope="accounting.journals.read")).json
    assert "refresh_token" not in body and body["access_token"]


def test_refresh_rotates_and_the_old_token_has_a_grace_period(client, clock):
    first = _exchange(client, _authorize(client)).json
    second = _refresh(client, first["refresh_token"]).json
    assert second["refresh_token"] != first["refresh_token"]
    # A lost response: retrying with the previous token works within 30 minutes ...
    clock.now += REFRESH_GRACE - 60
    retried = _refresh(client, first["refresh_token"])
    assert retried.status_code == 200
    # ... and not after it.
    clock.now += 120
    assert _refresh(client, first["refresh_token"]).json == {"error": "invalid_grant"}
    assert _refresh(client, retried.json["refresh_token"]).status_code == 200


def test_an_unused_refresh_token_expires_after_30_days(client, clock):
    body = _exchange(client, _authorize(client)).json
    clock.now += REFRESH_TOKEN_TTL + 1
    assert _refresh(client, body["refresh_token"]).json == {"error": "invalid_grant"}


def test_access_tokens_expire_after_30_minutes_with_xeros_401(client, clock):
    body = _exchange(client, _authorize(client)).json
    clock.now += 1799
    assert _journals(client, body["access_token"]).status_code == 200
    clock.now += 2
    expired = _journals(client, body["access_token"])
    assert expired.status_code == 401
    assert expired.json["Title"] == "Unauthorized"
    assert expired.json["Detail"].startswith("TokenExpired: token expired at ")
    assert _journals(client, "not-a-token").json["Detail"] == "AuthenticationUnsuccessful"


def test_revoked_consent_refuses_refresh_and_calls(client, xero):
    body = _exchange(client, _authorize(client)).json
    xero.revoke_all_tokens()
    assert _refresh(client, body["refresh_token"]).json == {"error": "invalid_grant"}
    assert _journals(client, body["access_token"]).status_code == 401


def test_a_restarted_emulator_honours_its_tokens(tmp_path, clock):
    state = tmp_path / "xero.json"
    first = create_app(XeroSandbox(state_path=state, clock=clock)).test_client()
    body = _exchange(first, _authorize(first)).json
    again = create_app(XeroSandbox(state_path=state, clock=clock)).test_client()
    assert _journals(again, body["access_token"]).status_code == 200
    assert _refresh(again, body["refresh_token"]).status_code == 200


def test_connections_list_the_consented_organisations_and_disconnect_one(client, xero):
    body = _exchange(client, _authorize(client)).json
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    connections = client.get("/connections", headers=auth).json
    assert {c["tenantId"] for c in connections} == {t.tenant_id for t in SANDBOX_TENANTS}
    assert {c["tenantType"] for c in connections} == {"ORGANISATION"}
    assert len({c["authEventId"] for c in connections}) == 1
    nl = next(c for c in connections if c["tenantId"] == SANDBOX_TENANTS[0].tenant_id)
    assert client.delete(f"/connections/{nl['id']}", headers=auth).status_code == 204
    assert [c["tenantId"] for c in client.get("/connections", headers=auth).json] == [
        SANDBOX_TENANTS[1].tenant_id]
    gone = _journals(client, body["access_token"])
    assert gone.status_code == 403 and gone.json["Detail"] == "AuthenticationUnsuccessful"
