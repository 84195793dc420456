"""A page's JSON is parsed once per response, by orjson, whoever reads it (dlt's REST client for
the records, its paginator for the next link); what orjson refuses gets requests' own answer."""

import orjson
import pytest
import requests

from monitr_pipeline.ingestion.responses import ParsedOnceResponse, mount_parsed_once


def _response(body: bytes) -> ParsedOnceResponse:
    response = ParsedOnceResponse()
    response._content = body
    response.status_code = 200
    response.encoding = "utf-8"
    return response


def test_a_body_is_parsed_once(monkeypatch):
    calls = []
    real_loads = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda content: calls.append(1) or real_loads(content))
    response = _response(b'{"d": {"results": [{"ID": 1}], "__next": "page2"}}')
    records = response.json()["d"]["results"]
    next_link = response.json()["d"]["__next"]
    assert (records, next_link, len(calls)) == ([{"ID": 1}], "page2", 1)


def test_a_body_that_is_not_json_raises_requests_own_error():
    # The engine reports requests' JSONDecodeError (a ValueError) as a malformed page.
    for body in (b"<html>Service Unavailable</html>", b'{"Amount": NaN}', b""):
        with pytest.raises(requests.exceptions.JSONDecodeError):
            _response(body).json()


def test_a_mounted_session_builds_parsed_once_responses():
    session = mount_parsed_once(requests.Session())
    adapter = session.get_adapter("https://start.exactonline.nl/api/v1/")
    built = adapter.build_response(requests.Request("GET", "https://x.test/").prepare(),
                                   _raw_urllib3_response(b"{}"))
    assert isinstance(built, ParsedOnceResponse) and built.json() == {}


def _raw_urllib3_response(body: bytes):
    import io

    from urllib3 import HTTPResponse

    return HTTPResponse(body=io.BytesIO(body), status=200, headers={"Content-Type": "application/json"},
                        preload_content=False)
