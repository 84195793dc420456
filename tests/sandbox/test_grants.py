"""The one rule every emulated OAuth server applies to authorization codes (single use, short-lived,
bound to the consent's redirect URI and PKCE challenge), refused in each provider's words."""

import pytest

from monitr_sandbox.grants import GrantStore, s256


class _Refused(Exception):
    def __init__(self, error: str, description: str | None = None):
        super().__init__(error)
        self.error, self.description = error, description


class _Store(GrantStore):
    code_ttl = 60
    oauth_error = _Refused
    code_refusals = {"expired": "too late"}

    def grant_for(self, consent):
        return {"granted": consent["scopes"]}


@pytest.fixture
def store():
    clock = {"now": 1000.0}
    grants = _Store({}, clock=lambda: clock["now"], access_ttl=lambda: 3600,
                    on_change=lambda: None)
    grants.clock = clock
    return grants


def _refusal(store, code, redirect_uri="https://app/cb", verifier=None):
    with pytest.raises(_Refused) as refused:
        store.exchange_code(code, redirect_uri, verifier)
    return refused.value.error, refused.value.description


def test_a_code_gives_its_consent_once(store):
    code = store.issue_code("https://app/cb", scopes=["read"])
    assert store.exchange_code(code, "https://app/cb") == {"granted": ["read"]}
    assert _refusal(store, code) == ("invalid_grant", None)
    assert _refusal(store, "never-issued") == ("invalid_grant", None)


def test_a_code_is_refused_after_its_lifetime_and_for_another_redirect(store):
    late, elsewhere = (store.issue_code("https://app/cb", scopes=[]) for _ in range(2))
    assert _refusal(store, elsewhere, "https://evil/cb") == ("invalid_grant", None)
    store.clock["now"] += 61
    assert _refusal(store, late) == ("invalid_grant", "too late")
    # Refused codes are not spent: only the exchange that succeeds uses a code up.
    assert store.data["codes"][elsewhere]["used"] is False


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_a_pkce_code_needs_its_verifier(store, method):
    verifier = "v" * 43
    challenge = s256(verifier) if method == "S256" else verifier
    code = store.issue_code("https://app/cb", scopes=["read"], challenge=challenge, method=method)
    assert _refusal(store, code) == ("invalid_grant", None)
    assert _refusal(store, code, verifier="w" * 43) == ("invalid_grant", None)
    assert store.exchange_code(code, "https://app/cb", verifier) == {"granted": ["read"]}


def test_long_expired_codes_are_forgotten(store):
    old = store.issue_code("https://app/cb", scopes=[])
    store.clock["now"] += 60 + 3601
    store.issue_code("https://app/cb", scopes=[])
    assert old not in store.data["codes"] and len(store.data["codes"]) == 1
