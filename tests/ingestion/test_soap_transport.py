"""The SOAP transport's envelope: the token in a SOAP header, or in the operation's parameters
under the name its service gives it; one token refresh after a fault that rejects it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from monitr_pipeline.ingestion.transports.soap import ENVELOPE_NS, SoapTransport, envelope

NS = "http://example.test/"


def test_an_envelope_without_header_entries_has_no_header():
    root = ET.fromstring(envelope(NS, "Ping", {"a": 1}, {}))
    assert [child.tag for child in root] == [f"{{{ENVELOPE_NS}}}Body"]


class _Answer:
    def __init__(self, status: int, body: str):
        self.status_code, self.content, self.text = status, body.encode(), body


class _Session:
    def __init__(self, answers: list[_Answer]):
        self.answers, self.sent = answers, []

    def post(self, url, data, headers):
        self.sent.append((url, data.decode()))
        return self.answers.pop(0)


def _fault(text: str) -> _Answer:
    return _Answer(500, f'<soap:Envelope xmlns:soap="{ENVELOPE_NS}"><soap:Body><soap:Fault>'
                        f"<faultcode>soap:Server</faultcode><faultstring>{text}</faultstring>"
                        "</soap:Fault></soap:Body></soap:Envelope>")


def _ok(operation: str) -> _Answer:
    return _Answer(200, f'<soap:Envelope xmlns:soap="{ENVELOPE_NS}"><soap:Body>'
                        f'<{operation}Response xmlns="{NS}"><{operation}Result>ok</{operation}Result>'
                        f"</{operation}Response></soap:Body></soap:Envelope>")


def test_the_token_travels_as_the_services_own_parameter_and_is_renewed_once():
    tokens = iter(["second"])
    transport = SoapTransport(
        NS, token_parameter=lambda path: "sessionId" if path == "/ws/Sales.asmx" else "sessionID",
        service_url=lambda client, run: "http://host", access_token=lambda client: "first",
        refresh_token=lambda client, rejected: next(tokens),
        token_rejected=lambda text: "session" in text, provider="Test")
    session = _Session([_fault("invalid session"), _ok("List")])
    answer = transport.call(SimpleNamespace(session=session), None, "/ws/Sales.asmx", "List",
                            {"administrationID": "A"}, {}, {}, "the list")
    assert answer.tag == f"{{{NS}}}ListResponse"
    bodies = [ET.fromstring(body) for _, body in session.sent]
    calls = [body.find(f"{{{ENVELOPE_NS}}}Body/{{{NS}}}List") for body in bodies]
    assert [[(child.tag.split("}")[1], child.text) for child in call] for call in calls] == [
        [("sessionId", "first"), ("administrationID", "A")],
        [("sessionId", "second"), ("administrationID", "A")]]
    assert all(body.find(f"{{{ENVELOPE_NS}}}Header") is None for body in bodies)


def test_the_token_goes_in_a_header_or_a_parameter_not_both():
    with pytest.raises(ValueError):
        SoapTransport(NS, token_header="AccessToken", token_parameter=lambda path: "sessionID",
                      service_url=lambda c, r: "", access_token=lambda c: "",
                      refresh_token=lambda c, t: "", token_rejected=lambda t: False,
                      provider="Test")
