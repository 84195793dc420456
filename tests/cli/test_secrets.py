"""No secret ever leaves the encrypted store: not in logs (even at DEBUG), Dagster event logs, run
config and tags, CLI output, import errors, or the control database file; the embedded key file is
readable by its owner only."""

from __future__ import annotations

import logging
import stat

from dagster import DagsterRunStatus, RunsFilter
from dagster._serdes import serialize_value

from monitr_pipeline.cli import main
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import


def _secrets_of(control) -> set[str]:
    found = set()
    for integration in control.integrations():
        credentials = control.load_credentials(integration.integration_id)
        token = credentials.get("token") or {}
        found |= {credentials.get("client_secret"), credentials.get("api_token"),
                  token.get("access_token"), token.get("refresh_token")}
    return {s for s in found if s}


def _dagster_haystack(instance) -> str:
    parts = []
    for run in instance.get_runs(RunsFilter(statuses=list(DagsterRunStatus))):
        parts += [repr(run.run_config), repr(run.tags)]
        parts += [serialize_value(entry) for entry in instance.all_logs(run.run_id)]
    return "\n".join(parts)


def test_no_secret_appears_anywhere(sandbox, control, settings, instance, browser, capsys,
                                    caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    # Its own level too: a run executed earlier in this process may have set it (Dagster's
    # managed loggers), and the HTTP client's lines are what this test must see.
    caplog.set_level(logging.DEBUG, logger="urllib3")
    exact, url = sandbox.emulators[("exact_online", "nl")], sandbox.urls[("exact_online", "nl")]
    assert main(["connect", "exact_online", "--environment", "nl", "--base-url", url, "--sandbox",
                 "--callback-port", "0", "--select", "all", "--no-import"]) == 0
    eboekhouden = sandbox.emulators[("eboekhouden", "default")]
    monkeypatch.setenv("MONITR_API_TOKEN", "wrong-token-0123456789")
    assert main(["connect", "eboekhouden", "--base-url", sandbox.urls[("eboekhouden", "default")],
                 "--select", "all", "--no-import"]) == 2
    monkeypatch.setenv("MONITR_API_TOKEN", eboekhouden.api_token)
    assert main(["connect", "eboekhouden", "--base-url", sandbox.urls[("eboekhouden", "default")],
                 "--select", "all", "--no-import"]) == 0

    first, second = control.connections("exact_online")[:2]
    exact.expire_access_tokens()  # the import refreshes: a rotated refresh token is written
    assert run_import(defs, instance, control, first).success
    secrets = _secrets_of(control) | {"wrong-token-0123456789"}
    exact.revoke_all_tokens()
    exact.expire_access_tokens()
    assert not run_import(defs, instance, control, second).success  # refresh refused
    assert main(["integrations", "list"]) == 0
    assert main(["entities", "list"]) == 0
    secrets |= _secrets_of(control)
    assert len(secrets) >= 5

    captured = capsys.readouterr()
    errors = "\n".join(s.error or "" for s in control.import_statuses())
    haystacks = {
        "CLI output": captured.out + captured.err,
        "python logs": caplog.text,
        "Dagster event logs, run config and tags": _dagster_haystack(instance),
        "import errors": errors,
        "control database file": (settings.home / "control.db").read_bytes().decode("latin-1"),
    }
    assert "reconnect" in errors  # the failure is explained, just without secrets
    # The scanned texts are the real thing: the runs' events, the HTTP calls at DEBUG, the listing.
    assert first.partition_key in haystacks["Dagster event logs, run config and tags"]
    assert "Starting new HTTP connection" in caplog.text and "token_expired" in captured.out
    for where, text in haystacks.items():
        leaked = [s[:6] + "..." for s in secrets if s in text]
        assert not leaked, f"secrets in {where}: {leaked}"

    assert "telemetry" not in caplog.text  # nothing about clients' pipelines leaves the machine
    mode = stat.S_IMODE(settings.secret_key_path.stat().st_mode)
    assert mode == 0o600
