"""Quotas (minutely/daily, per division and per user) and injected faults."""

from __future__ import annotations

import json

import pytest

from monitr_sandbox.exact_online import ExactSandbox, create_app

COSTCENTERS = "/api/v1/131001/hrm/Costcenters?$select=ID"
MINUTELY = ("X-RateLimit-Minutely-Limit", "X-RateLimit-Minutely-Remaining", "X-RateLimit-Minutely-Reset")
DAILY = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.fixture
def limited():
    now = [1_790_000_010.0]  # 10 s into a minute
    sandbox = ExactSandbox("nl", minutely_limit=3, daily_limit=5, clock=lambda: now[0])
    client = create_app(sandbox).test_client()
    headers = {"Authorization": f"Bearer {sandbox.issue_tokens()['access_token']}",
               "Accept": "application/json"}
    return sandbox, client, headers, now


def test_minutely_quota_gives_429_with_retry_after(limited):
    sandbox, client, headers, now = limited
    remaining = []
    for _ in range(3):
        response = client.get(COSTCENTERS, headers=headers)
        assert response.status_code == 200
        assert all(name in response.headers for name in MINUTELY + DAILY)
        remaining.append(int(response.headers["X-RateLimit-Minutely-Remaining"]))
    assert remaining == [2, 1, 0]
    assert int(response.headers["X-RateLimit-Minutely-Reset"]) == 1_790_000_040_000

    refused = client.get(COSTCENTERS, headers=headers)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert all(name in refused.headers for name in MINUTELY)
    assert not any(name in refused.headers for name in DAILY)
    assert refused.json["error"]["message"]["value"]

    # Quotas are per division: another division still has its own.
    assert client.get("/api/v1/131002/hrm/Costcenters?$select=ID", headers=headers).status_code == 200
    now[0] += 30
    assert client.get(COSTCENTERS, headers=headers).status_code == 200


def test_daily_quota(limited):
    _, client, headers, now = limited
    for _ in range(5):
        assert client.get(COSTCENTERS, headers=headers).status_code == 200
        now[0] += 60
    refused = client.get(COSTCENTERS, headers=headers)
    assert refused.status_code == 429 and refused.headers["X-RateLimit-Remaining"] == "0"


def test_injected_faults_hit_the_next_matching_requests(exact, client, headers):
    exact.inject_fault(r"TransactionLines", 500, times=2)
    exact.inject_fault(r"hrm/Costcenters", 429, headers={"Retry-After": "7"})
    lines = "/api/v1/131001/sync/Financial/TransactionLines?$select=ID&$top=1"
    assert [client.get(lines, headers=headers).status_code for _ in range(3)] == [500, 500, 200]
    throttled = client.get(COSTCENTERS, headers=headers)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert throttled.headers["X-RateLimit-Minutely-Remaining"] == "0"
    assert "X-RateLimit-Remaining" not in throttled.headers
    assert client.get(COSTCENTERS, headers=headers).status_code == 200


def test_injected_malformed_body_and_request_log(exact, client, headers):
    truncated = '{"d": {"results": [{"ID": "abc"'
    exact.inject_fault(r"skiptoken", 200, body=truncated)
    first = client.get("/api/v1/131001/sync/Financial/TransactionLines?$select=ID&$filter=Timestamp gt 1L",
                       headers=headers)
    next_url = first.json["d"]["__next"]
    broken = client.get(next_url, headers=headers)
    assert broken.status_code == 200 and broken.data.decode() == truncated
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.data)
    paths = [path for _, path, _ in exact.request_log]
    assert paths == ["/api/v1/131001/sync/Financial/TransactionLines"] * 2
    assert "$skiptoken" in exact.request_log[1][2]


def test_faults_also_reach_the_token_endpoint(exact, client):
    exact.inject_fault(r"^/api/oauth2/token$", 503)
    assert client.post("/api/oauth2/token", data={}).status_code == 503
    assert client.post("/api/oauth2/token", data={}).status_code == 400


def test_request_log_holds_decoded_queries(exact, client, headers):
    client.get("/api/v1/131001/hrm/Costcenters?%24select=ID%2CCode&%24filter=Code+eq+%27100%27",
               headers=headers)
    assert exact.request_log == [("GET", "/api/v1/131001/hrm/Costcenters",
                                  "$select=ID,Code&$filter=Code eq '100'")]
