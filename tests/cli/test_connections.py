"""The life of an integration from the CLI, against the sandbox, as a new user tries it: connect
(OAuth2 with the callback on 127.0.0.1 or a pasted address, API key, CSV), discover and select,
health and fail-fast imports, reconnect, administrations that disappear, and deletion."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from monitr_pipeline.cli import main
from monitr_pipeline.definitions import defs
from monitr_pipeline.partitions import connection_partitions
from monitr_pipeline.runner import run_import
from monitr_pipeline.warehouse import query

EXACT = "exact_online"


def _exact(sandbox):
    return sandbox.emulators[(EXACT, "nl")], sandbox.urls[(EXACT, "nl")]


def _connect_exact(sandbox, *extra: str) -> int:
    _, url = _exact(sandbox)
    return main(["connect", EXACT, "--environment", "nl", "--base-url", url, "--sandbox",
                 "--callback-port", "0", *extra])


def _only_integration(control, provider: str = EXACT):
    integrations = [i for i in control.integrations() if i.provider == provider]
    assert len(integrations) == 1
    return integrations[0]


def test_oauth_connect_discovers_selects_and_starts_the_first_import(
        sandbox, control, settings, instance, browser, capsys):
    exact, _ = _exact(sandbox)
    chosen = exact.divisions[0]
    assert _connect_exact(sandbox, "--select", str(chosen.code)) == 0
    out = capsys.readouterr().out

    # The user saw the provider's authorise address, with state and the registered redirect URI.
    assert browser and browser[0] in out
    query_string = parse_qs(urlsplit(browser[0]).query)
    assert query_string["state"] and query_string["redirect_uri"][0].startswith("http://127.0.0.1:")
    # Discovery listed every division the login sees, asking Exact once; only the chosen one
    # became an entity.
    assert all(str(d.code) in out for d in exact.divisions)
    assert [path for _, path, _ in exact.request_log].count("/api/v1/current/Me") == 1
    integration = _only_integration(control)
    assert (integration.status, integration.health) == ("connected", "healthy")
    [connection] = control.connections(EXACT)
    assert connection.external_id == str(chosen.code) and connection.entity_name == chosen.name
    # Its partition exists and its first import ran at once, into the warehouse.
    assert instance.get_dynamic_partitions(connection_partitions(EXACT).name) == [
        connection.partition_key]
    [status] = control.import_statuses(EXACT)
    assert status.status == "Succeeded" and status.rows_loaded > 0
    rows = query(settings, "select count(*) from raw_exact_online.gl_transaction_lines "
                           "where _monitr_entity_id = ?", (connection.entity_id,))[0][0]
    assert rows > 0

    assert main(["integrations", "list"]) == 0
    listing = capsys.readouterr().out
    header, row = listing.splitlines()[:2]
    assert header.split() == ["id", "provider", "name", "organisation", "status", "health",
                              "entities", "checked"]
    assert {"connected", "healthy", "exact_online"} <= set(row.split())
    assert row[header.index("entities"):].split()[0] == "1"


def test_a_pasted_redirect_with_another_state_is_refused(sandbox, control, monkeypatch, capsys):
    exact, url = _exact(sandbox)

    def paste_a_forged_redirect(prompt: str) -> str:
        # The consent happens, but the address pasted back carries a state of another attempt.
        authorize_url = capsys.readouterr().out.split("\n  ", 1)[1].split("\n", 1)[0]
        consent = requests.get(authorize_url, allow_redirects=False, timeout=10)
        redirect = urlsplit(consent.headers["Location"])
        params = {k: v[0] for k, v in parse_qs(redirect.query).items()}
        params["state"] = "forged-state"
        return redirect._replace(query=urlencode(params)).geturl()

    monkeypatch.setattr("builtins.input", paste_a_forged_redirect)
    assert main(["connect", EXACT, "--environment", "nl", "--base-url", url, "--sandbox",
                 "--paste", "--select", "all", "--no-import"]) == 2
    assert "state does not match" in capsys.readouterr().err
    integration = _only_integration(control)
    assert integration.status == "pending_auth"  # no tokens were stored
    assert control.integration(integration.integration_id).credentials_encrypted is None
    assert control.connections() == []


def test_api_key_is_checked_before_it_is_stored(sandbox, control, monkeypatch, capsys):
    emulator = sandbox.emulators[("eboekhouden", "default")]
    url = sandbox.urls[("eboekhouden", "default")]
    args = ["connect", "eboekhouden", "--base-url", url, "--select", "all", "--no-import"]

    monkeypatch.setenv("MONITR_API_TOKEN", "not-the-token")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "refused the credentials: Invalid access token" in err and "not-the-token" not in err
    assert control.integrations() == []  # nothing stored

    monkeypatch.setenv("MONITR_API_TOKEN", emulator.api_token)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert emulator.api_token not in out
    integration = _only_integration(control, "eboekhouden")
    assert (integration.status, integration.auth_kind) == ("connected", "api_key")
    assert len(control.connections("eboekhouden")) == 1


def test_csv_cannot_be_the_first_integration_but_can_come_after(sandbox, control, browser,
                                                                capsys):
    folder = sandbox.urls[("csv_import", "default")]
    csv_args = ["connect", "csv_import", "--base-url", folder, "--select", "all", "--no-import"]
    assert main(csv_args) == 2
    assert "cannot be an organisation's first integration" in capsys.readouterr().err
    assert control.integrations() == []

    assert _connect_exact(sandbox, "--select", "none") == 0
    assert main(csv_args) == 0
    assert [i.provider for i in control.integrations()] == [EXACT, "csv_import"]
    assert control.connections("csv_import")


def test_revoked_consent_flags_fails_fast_and_reconnect_resumes(
        sandbox, control, settings, instance, browser, capsys):
    exact, _ = _exact(sandbox)
    assert _connect_exact(sandbox, "--select", "all", "--no-import") == 0
    integration = _only_integration(control)
    connections = control.connections(EXACT)
    capsys.readouterr()

    exact.revoke_all_tokens()
    exact.expire_access_tokens()
    assert not run_import(defs, instance, control, connections[0], quiet=True).success
    flagged = control.integration_info(integration.integration_id)
    assert (flagged.health, flagged.status) == ("token_expired", "error")
    assert main(["integrations", "list"]) == 0
    listing = capsys.readouterr().out
    assert "token_expired" in listing and f"monitr integrations reconnect {integration.integration_id}" in listing

    # The next import of any entity of that integration fails at once, without calling Exact.
    calls_before = len(exact.request_log)
    assert not run_import(defs, instance, control, connections[1], quiet=True).success
    assert len(exact.request_log) == calls_before
    status = next(s for s in control.import_statuses(EXACT)
                  if s.partition_key == connections[1].partition_key)
    assert status.status == "Failed" and "token_expired" in status.error
    assert "monitr integrations reconnect" in status.error

    # Reconnect: same integration, same entities, healthy; imports resume.
    assert main(["integrations", "reconnect", str(integration.integration_id), "--sandbox",
                 "--callback-port", "0"]) == 0
    assert [i.integration_id for i in control.integrations()] == [integration.integration_id]
    assert control.connections(EXACT) == connections
    assert control.integration_info(integration.integration_id).health == "healthy"
    assert run_import(defs, instance, control, connections[1], quiet=True).success


def test_a_removed_administration_shows_not_found_and_how_to_reselect(
        sandbox, control, instance, browser, capsys):
    exact, _ = _exact(sandbox)
    assert _connect_exact(sandbox, "--select", "all", "--no-import") == 0
    integration = _only_integration(control)
    gone, kept = control.connections(EXACT)[:2]
    exact.remove_administration(int(gone.external_id))
    capsys.readouterr()

    assert main(["integrations", "check", str(integration.integration_id)]) == 1
    out = capsys.readouterr().out
    assert "administration_not_found" in out and gone.external_name in out
    assert f"monitr entities select {integration.integration_id}" in out
    assert main(["entities", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("NOT FOUND") == 1 and gone.partition_key in listing

    # Its imports fail fast with the steps; the other entities of the login still import.
    assert not run_import(defs, instance, control, gone, quiet=True).success
    status = next(s for s in control.import_statuses(EXACT) if s.partition_key == gone.partition_key)
    assert "not found" in status.error and "monitr entities select" in status.error
    assert run_import(defs, instance, control, kept, quiet=True).success

    exact.restore_administration(int(gone.external_id))
    assert main(["integrations", "check", str(integration.integration_id)]) == 0
    assert control.integration_info(integration.integration_id).health == "healthy"
    assert run_import(defs, instance, control, gone, quiet=True).success


def test_a_renamed_administration_is_reselected_into_its_entity_without_duplicates(
        sandbox, control, settings, instance, browser, capsys):
    folder = Path(sandbox.urls[("csv_import", "default")])
    assert _connect_exact(sandbox, "--select", "none") == 0
    assert main(["connect", "csv_import", "--base-url", str(folder), "--select", "all"]) == 0
    integration = _only_integration(control, "csv_import")
    old, other = control.connections("csv_import")
    count = ("select count(*), count(distinct id) from raw_csv_import.gl_lines "
             "where _monitr_entity_id = ?")
    [(lines, distinct)] = query(settings, count, (old.entity_id,))
    assert lines == distinct > 0

    (folder / old.external_id).rename(folder / f"{old.external_id} & Zn")  # renamed upload
    capsys.readouterr()
    assert main(["integrations", "check", str(integration.integration_id)]) == 1
    out = capsys.readouterr().out
    assert "administration_not_found" in out
    assert f"--entity {old.entity_id}" in out  # the fix names the entity to reselect into

    assert main(["entities", "select", str(integration.integration_id),
                 f"{old.external_id} & Zn", "--entity", str(old.entity_id)]) == 0
    [new] = [c for c in control.connections("csv_import") if c.entity_id == old.entity_id]
    assert new.external_id == f"{old.external_id} & Zn" and new.connection_id != old.connection_id
    assert control.integration_info(integration.integration_id).health == "healthy"
    # Its first import merged into the entity's rows: nothing duplicated, nothing lost.
    assert query(settings, count, (old.entity_id,)) == [(lines, distinct)]
    # The old partition went with its connection; the new one imports from now on.
    assert set(instance.get_dynamic_partitions(connection_partitions("csv_import").name)) == {
        other.partition_key, new.partition_key}


def test_deleting_stops_imports_and_keeps_the_data(sandbox, control, settings, instance, browser,
                                                    capsys):
    assert _connect_exact(sandbox, "--select", "all", "--no-import") == 0
    integration = _only_integration(control)
    first, *others = control.connections(EXACT)
    assert run_import(defs, instance, control, first, quiet=True).success
    count = "select count(*) from raw_exact_online.gl_transaction_lines where _monitr_entity_id = ?"
    imported = query(settings, count, (first.entity_id,))[0][0]
    partitions = connection_partitions(EXACT).name

    assert main(["entities", "disconnect", str(first.connection_id)]) == 0
    assert first.partition_key not in instance.get_dynamic_partitions(partitions)
    assert query(settings, count, (first.entity_id,))[0][0] == imported
    assert main(["entities", "list"]) == 0
    assert "disconnected" in capsys.readouterr().out

    assert main(["integrations", "delete", str(integration.integration_id)]) == 0
    out = capsys.readouterr().out
    assert f"stopped imports of {len(others)} entities" in out and "data is kept" in out
    assert instance.get_dynamic_partitions(partitions) == []
    deleted = control.integration_info(integration.integration_id)
    assert deleted.status == "disconnected" and deleted.is_deleted
    assert control.integration(integration.integration_id).credentials_encrypted is None
    assert query(settings, count, (first.entity_id,))[0][0] == imported
    assert main(["integrations", "list"]) == 0
    assert "disconnected" in capsys.readouterr().out


@pytest.mark.parametrize("command, refusal", [
    (["integrations", "reconnect", "99"], "no integration 99"),
    (["integrations", "delete", "99"], "no integration 99"),
    (["integrations", "check", "99"], "no integration 99"),
    (["integrations", "discover", "99"], "no integration 99"),
    (["entities", "select", "99", "--all"], "no integration 99"),
    (["entities", "disconnect", "99"], "no entity connection 99"),
])
def test_unknown_ids_are_refused_clearly(control, command, refusal, capsys):
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"monitr: {refusal}") and "Traceback" not in err


def test_an_unreachable_provider_is_refused_in_one_line_and_nothing_is_stored(
        control, monkeypatch, capsys):
    monkeypatch.setenv("MONITR_API_TOKEN", "a-key-that-never-leaves")
    assert main(["connect", "eboekhouden", "--base-url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "could not be reached at http://127.0.0.1:9/v1/session" in err
    assert "a-key-that-never-leaves" not in err and "Traceback" not in err
    assert control.integrations() == []
