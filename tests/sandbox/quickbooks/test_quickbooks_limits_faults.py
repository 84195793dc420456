"""Intuit's throttles (500 requests a minute, 10 at once per company) and scripted faults."""

from __future__ import annotations

from xml.etree import ElementTree

from monitr_sandbox.quickbooks import QuickBooksSandbox, create_app
from monitr_sandbox.quickbooks.sandbox import Throttle


def test_the_minutely_limit_answers_intuits_xml_429(clock):
    qbo = QuickBooksSandbox(clock=clock, per_minute_limit=3)
    client = create_app(qbo).test_client()
    headers = {"Authorization": f"Bearer {qbo.issue_tokens()['access_token']}",
               "Accept": "application/json"}
    url = f"/v3/company/{qbo.realm}/preferences"
    assert [client.get(url, headers=headers).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = client.get(url, headers=headers)
    # XML although JSON was asked for, and no Retry-After: as QBO does.
    assert refused.content_type.startswith("application/xml") and "Retry-After" not in refused.headers
    error = ElementTree.fromstring(refused.get_data()).find(".//{*}Error")
    assert error.get("code") == "3001" and "ThrottleExceeded" in error.find("{*}Message").text
    clock.now += 60
    assert client.get(url, headers=headers).status_code == 200  # a new minute


def test_at_most_ten_requests_run_at_once(clock):
    throttle = Throttle(per_minute=500, concurrent=2, clock=clock)
    with throttle.slot() as first, throttle.slot() as second, throttle.slot() as third:
        assert (first, second, third) == (True, True, False)
    with throttle.slot() as again:
        assert again  # finished requests free their slot


def test_injected_faults_are_logged_and_used_up(client, headers, qbo):
    qbo.inject_fault(r"/query\?.*FROM Account", 503, times=1)
    url = f"/v3/company/{qbo.realm}/query"
    failed = client.get(url, query_string={"query": "SELECT * FROM Account"}, headers=headers)
    assert failed.status_code == 503 and failed.json["Fault"]["type"] == "SystemFault"
    assert client.get(url, query_string={"query": "SELECT * FROM Account"},
                      headers=headers).status_code == 200
    other = client.get(url, query_string={"query": "SELECT * FROM Class"}, headers=headers)
    assert other.status_code == 200
    assert [q for _, _, q in qbo.request_log if "FROM Account" in q] == \
        ["query=SELECT * FROM Account"] * 2
