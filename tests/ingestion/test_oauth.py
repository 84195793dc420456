"""Rotating single-use refresh tokens: refreshed once under the lock, persisted at once."""

import threading
import time

from monitr_pipeline.ingestion.client import oauth_client
from monitr_pipeline.ingestion.oauth import RefreshingBearerAuth
from monitr_pipeline.providers.registry import adapter_for


def _expire_stored_token(control, integration_id):
    credentials = control.load_credentials(integration_id)
    credentials["token"]["expires_at"] = time.time() - 1
    control.save_credentials(integration_id, credentials)
    return credentials


def test_two_runs_refresh_once_and_keep_the_connection(seeded, control, sandbox):
    connection = next(c for c in control.connections("exact_online") if c.environment == "nl")
    emulator = sandbox.emulators[("exact_online", "nl")]
    emulator.expire_access_tokens()
    old = _expire_stored_token(control, connection.integration_id)
    base_url = sandbox.urls[("exact_online", "nl")]
    store = control.credential_store(connection.integration_id)
    adapter = adapter_for("exact_online")

    tokens, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        auth = RefreshingBearerAuth(store, oauth_client(adapter, base_url, old["client_id"],
                                                        old["client_secret"]))
        barrier.wait()
        try:
            tokens.append(auth.access_token())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(tokens)) == 1 and tokens[0] != old["token"]["access_token"]
    stored = control.load_credentials(connection.integration_id)["token"]
    assert stored["refresh_token"] != old["token"]["refresh_token"]
    assert stored["access_token"] == tokens[0]
    # The rotated refresh token is the one that works: a third refresh succeeds with it.
    _expire_stored_token(control, connection.integration_id)
    emulator.expire_access_tokens()
    auth = RefreshingBearerAuth(store, oauth_client(adapter, base_url, old["client_id"],
                                                    old["client_secret"]))
    assert auth.access_token() not in tokens
