"""Session auth against the emulator over HTTP: lazy sessions, renewal, refused tokens, no leaks."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests

from monitr_pipeline.ingestion.http import provider_session
from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.eboekhouden import ADAPTER, ApiTokenRejected, SessionAuth
from monitr_sandbox.eboekhouden import ADMINISTRATION_GUID, EBoekhoudenSandbox, create_app
from monitr_sandbox.server import EmulatorServer


@pytest.fixture
def served() -> Iterator[tuple[EBoekhoudenSandbox, str]]:
    sandbox = EBoekhoudenSandbox()
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url


def _session_posts(sandbox: EBoekhoudenSandbox) -> int:
    return sum(1 for method, path, _ in sandbox.request_log if (method, path) == ("POST", "/v1/session"))


def test_session_opens_lazily_and_is_the_bare_authorization_header(served):
    sandbox, url = served
    auth = SessionAuth(sandbox.api_token, url)
    assert _session_posts(sandbox) == 0
    http = requests.Session()
    http.auth = auth
    assert http.get(f"{url}/v1/ledger", timeout=10).status_code == 200
    assert http.get(f"{url}/v1/relation", timeout=10).status_code == 200
    assert _session_posts(sandbox) == 1
    assert sandbox.session_valid(auth.session_token())
    auth.close()  # DELETE /v1/session
    assert ("DELETE", "/v1/session", "") in sandbox.request_log
    assert not sandbox.sessions.open_sessions


def test_expired_session_is_renewed_once_and_the_call_repeated(served):
    sandbox, url = served
    http = requests.Session()
    http.auth = SessionAuth(sandbox.api_token, url)
    assert http.get(f"{url}/v1/ledger", timeout=10).status_code == 200
    sandbox.expire_sessions()
    response = http.get(f"{url}/v1/ledger", timeout=10)
    assert response.status_code == 200 and response.history[0].status_code == 401
    assert _session_posts(sandbox) == 2
    # A 401 on the renewed session too is the provider's answer: no loop of new sessions.
    sandbox.inject_fault(r"^/v1/ledger$", 401, times=2)
    assert http.get(f"{url}/v1/ledger", timeout=10).status_code == 401
    assert _session_posts(sandbox) == 3


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.text += self.format(record) + "\n"


def test_refused_tokens_raise_in_e_boekhouden_words_without_the_token(served):
    sandbox, url = served
    token = sandbox.api_token
    sandbox.revoke_api_key()
    records, http_log = _Records(), logging.getLogger("urllib3")
    level = http_log.level
    http_log.setLevel(logging.DEBUG)
    http_log.addHandler(records)
    try:
        with pytest.raises(ApiTokenRejected) as refused:
            SessionAuth(token, url).session_token()
    finally:
        http_log.removeHandler(records)
        http_log.setLevel(level)
    assert refused.value.status == 401 and "Invalid access token" in refused.value.reason
    assert "reconnect" in str(refused.value) and token not in str(refused.value)
    assert "/v1/session" in records.text and token not in records.text
    assert token not in repr(SessionAuth(token, url))

    fresh = sandbox.issue_api_key()
    sandbox.expire_api_key()
    with pytest.raises(ApiTokenRejected, match="API_SESSION_004: Access token has expired"):
        SessionAuth(fresh, url).session_token()
    with pytest.raises(ApiTokenRejected):
        ADAPTER.check_api_token(url, "wrong")  # what the connect form does with a typo


def test_session_errors_that_are_not_the_token_are_not_a_reconnect(served):
    sandbox, url = served
    sandbox.inject_fault(r"^/v1/session$", 400, body='{"type":"validation","title":"Source does not '
                                                     'match pattern.","code":"API_SESSION_002",'
                                                     '"status":400}')
    with pytest.raises(ProviderError) as failed:
        SessionAuth(sandbox.api_token, url).session_token()
    assert not isinstance(failed.value, ApiTokenRejected) and failed.value.status == 400
    # 429 on the session call is waited out like any other call.
    sandbox.inject_fault(r"^/v1/session$", 429, times=1, headers={"Retry-After": "1"})
    assert SessionAuth(sandbox.api_token, url).session_token()


def test_discover_lists_the_token_administration(served):
    sandbox, url = served
    session = provider_session(ADAPTER, max_attempts=2)
    session.auth = ADAPTER.credentials_auth({"api_token": sandbox.api_token}, url)
    [administration] = ADAPTER.discover(session, url)
    assert administration.external_id == ADMINISTRATION_GUID
    assert administration.name == sandbox.profile.name and administration.currency == "EUR"
    assert not sandbox.sessions.open_sessions  # discovery ends its session
