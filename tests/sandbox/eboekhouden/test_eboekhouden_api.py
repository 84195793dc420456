"""The emulator's HTTP surface: sessions, paging, filters, error bodies, quota and faults."""

from __future__ import annotations

import pytest

from monitr_sandbox.eboekhouden import ADMINISTRATION_GUID, EBoekhoudenSandbox, create_app


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"accessToken": "x"}, 400, "API_SESSION_001"),
    ({"accessToken": "x", "source": "MONITR-PIPELINE"}, 400, "API_SESSION_002"),
    ({"source": "MONITR"}, 400, "API_SESSION_003"),
    (None, 400, "DATA_01"),
])
def test_session_request_is_validated(client, body, status, code):
    response = client.post("/v1/session", json=body) if body else client.post("/v1/session")
    assert response.status_code == status
    assert response.json["code"] == code and response.json["type"] == "validation"
    assert response.json["status"] == status and response.json["title"]


def test_unknown_revoked_and_expired_api_tokens_are_refused(client, eboekhouden):
    unknown = client.post("/v1/session", json={"accessToken": "f" * 64, "source": "MONITR"})
    assert unknown.status_code == 403 and unknown.json["type"] == "security"
    assert "securityType" in unknown.json
    token = eboekhouden.api_token
    eboekhouden.expire_api_key()
    expired = client.post("/v1/session", json={"accessToken": token, "source": "MONITR"})
    assert expired.status_code == 400 and expired.json["code"] == "API_SESSION_004"
    assert eboekhouden.api_token is None
    fresh = eboekhouden.issue_api_key()
    assert client.post("/v1/session", json={"accessToken": fresh, "source": "MONITR"}).status_code == 200
    eboekhouden.revoke_api_key()
    revoked = client.post("/v1/session", json={"accessToken": fresh, "source": "MONITR"})
    assert revoked.status_code == 403


def test_session_token_is_the_whole_authorization_header(client, headers):
    assert client.get("/v1/ledger", headers=headers).status_code == 200
    bearer = client.get("/v1/ledger", headers={"Authorization": f"Bearer {headers['Authorization']}"})
    assert bearer.status_code == 401 and bearer.json["code"] == "SECURITY_010"
    assert client.get("/v1/ledger").status_code == 401


def test_sessions_expire_and_end(client, headers, eboekhouden):
    clock = [1000.0]
    eboekhouden.clock = lambda: clock[0]
    response = client.post("/v1/session", json={"accessToken": eboekhouden.api_token,
                                                 "source": "MONITR"})
    assert response.json["expiresIn"] == 3600
    session = {"Authorization": response.json["token"]}
    clock[0] += 3599
    assert client.get("/v1/costcenter", headers=session).status_code == 200
    clock[0] += 1
    assert client.get("/v1/costcenter", headers=session).status_code == 401

    other = client.post("/v1/session", json={"accessToken": eboekhouden.api_token, "source": "MONITR"})
    session = {"Authorization": other.json["token"]}
    assert client.delete("/v1/session", headers=session).status_code == 200
    assert client.get("/v1/costcenter", headers=session).status_code == 401
    assert client.delete("/v1/session", headers=session).status_code == 401


def test_expire_sessions_after_a_number_of_calls(client, headers, eboekhouden):
    eboekhouden.expire_sessions_after(2)
    assert client.get("/v1/relation", headers=headers).status_code == 200
    assert client.get("/v1/relation", headers=headers).status_code == 200
    assert client.get("/v1/relation", headers=headers).status_code == 401


def test_paging_uses_limit_and_offset_up_to_2000(client, headers, eboekhouden):
    everything = client.get("/v1/mutation?limit=2000", headers=headers).json
    assert everything["count"] == len(everything["items"]) == len(eboekhouden.books.list_items())
    assert client.get("/v1/mutation", headers=headers).json["items"] == everything["items"][:100]
    page = client.get("/v1/mutation?limit=50&offset=120", headers=headers).json
    assert page["items"] == everything["items"][120:170] and page["count"] == everything["count"]
    for query, code in (("limit=0", "PAGE_001"), ("limit=2001", "PAGE_001"),
                        ("offset=-1", "PAGE_002"), ("limit=ten", "ERR_002")):
        response = client.get(f"/v1/ledger?{query}", headers=headers)
        assert response.status_code == 400 and response.json["code"] == code, query


def test_list_filters(client, headers):
    sent = client.get("/v1/mutation?type=2&limit=2000", headers=headers).json["items"]
    assert sent and {m["type"] for m in sent} == {2}
    june = client.get("/v1/mutation?date[range]=2025-06-01,2025-06-30&limit=2000",
                      headers=headers).json["items"]
    assert june and all("2025-06-01" <= m["date"] <= "2025-06-30" for m in june)
    later = client.get("/v1/mutation?id[gt]=600&limit=2000", headers=headers).json["items"]
    assert later and min(m["id"] for m in later) == 601
    number = sent[0]["invoiceNumber"]
    like = client.get(f"/v1/mutation?invoiceNumber[like]=%25{number[-4:]}", headers=headers).json
    assert number in {m["invoiceNumber"] for m in like["items"]}
    banks = client.get("/v1/ledger?category=FIN", headers=headers).json["items"]
    assert banks and {ledger["category"] for ledger in banks} == {"FIN"}
    bad = client.get("/v1/mutation?date[gte]=yesterday", headers=headers)
    assert bad.status_code == 400 and bad.json["code"] == "ERR_002"
    twice = client.get("/v1/mutation?type=2&type[gt]=1", headers=headers)
    assert twice.status_code == 400


def test_detail_endpoints_and_not_found(client, headers, eboekhouden):
    detail = client.get("/v1/mutation/5", headers=headers).json
    assert set(detail) == {"id", "type", "date", "description", "termOfPayment", "ledgerId",
                           "relationId", "inExVat", "invoiceNumber", "entryNumber", "rows", "vat"}
    assert set(detail["rows"][0]) == {"ledgerId", "vatCode", "vatAmount", "costCenterId", "amount",
                                      "description", "invoiceNumber", "relationId"}
    missing = client.get("/v1/mutation/999999", headers=headers)
    assert missing.status_code == 404 and missing.json["code"] == "MUT_300"
    ledger = eboekhouden.books.ledgers()[0]
    assert client.get(f"/v1/ledger/{ledger['id']}", headers=headers).json == ledger
    assert client.get("/v1/costcenter/1", headers=headers).json["code"] == "COST_001"


def test_administration_outstanding_and_read_only(client, headers, eboekhouden):
    [administration] = client.get("/v1/administration", headers=headers).json["items"]
    assert administration == {"guid": ADMINISTRATION_GUID, "company": eboekhouden.profile.name}
    assert client.get("/v1/administration/linked", headers=headers).json == {"items": [], "count": 0}
    debtors = client.get("/v1/mutation/invoice/outstanding?credDeb=D", headers=headers).json
    assert debtors["items"] == eboekhouden.books.outstanding("D")
    assert client.get("/v1/mutation/invoice/outstanding", headers=headers).status_code == 400
    assert client.post("/v1/mutation", json={}, headers=headers).status_code == 405


def test_quota_answers_429_with_retry_after():
    sandbox = EBoekhoudenSandbox(requests_per_minute=3)
    client = create_app(sandbox).test_client()
    session = client.post("/v1/session", json={"accessToken": sandbox.api_token, "source": "T"}).json
    headers = {"Authorization": session["token"]}
    assert [client.get("/v1/relation", headers=headers).status_code
            for _ in range(3)] == [200, 200, 429]
    refused = client.get("/v1/relation", headers=headers)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["status"] == 429


def test_injected_faults_are_logged_and_used_once(client, headers, eboekhouden):
    eboekhouden.inject_fault(r"^/v1/ledger\?", 503, headers={"Retry-After": "2"})
    first = client.get("/v1/ledger?limit=10", headers=headers)
    assert first.status_code == 503 and first.headers["Retry-After"] == "2"
    assert client.get("/v1/ledger?limit=10", headers=headers).status_code == 200
    assert ("GET", "/v1/ledger", "limit=10") in eboekhouden.request_log
