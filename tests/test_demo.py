"""The main job: a full import of the sandbox organisation, then an incremental one."""

from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.warehouse import query
from monitr_sandbox.demo import run_demo


def test_demo_runs_full_then_incremental(settings, control):
    first: list[str] = []
    assert run_demo(settings, echo=first.append, ports={})
    text = "\n".join(first)
    assert "full import" in text
    statuses = control.import_statuses()
    assert len(statuses) >= 4 and {s.status for s in statuses} == {"Succeeded"}
    full_rows = sum(s.rows_loaded for s in statuses)
    for status in statuses:
        assert status.entity_name[:34] in text
    accounting = [s for s in statuses
                  if adapter_for(s.provider).spec.connection_kind == "accounting"]
    assert len(accounting) < len(statuses)  # CRM, payroll, ... beside the accounting
    assert text.count("yes (") == len(accounting)  # every entity's entries balance
    # The figures beside the accounting, per entity, from their marts.
    assert "Beside the accounting" in text
    for heading in ("MRR (month)", "open pipeline (weighted)", "headcount (FTE)",
                    "annual accounts", "project hours"):
        assert heading in text
    # The reports per accounting entity: every account on a standard chart, the latest month's
    # result, the balance-sheet total, and a trial balance and balance sheet that tie out.
    reports = text.split("\nReports (")[1].split("\n\n")[0].splitlines()[3:]
    assert len(reports) == len(accounting)
    for row in reports:
        assert "100% of" in row and "EUR" in row and row.rstrip().endswith("yes"), row
    board = query(settings, "select partition_key, status from monitr.import_status")
    assert sorted(board) == sorted((s.partition_key, "Succeeded") for s in statuses)

    second: list[str] = []
    assert run_demo(settings, echo=second.append, ports={})
    text = "\n".join(second)
    assert "incremental import" in text
    statuses = control.import_statuses()
    assert {s.status for s in statuses} == {"Succeeded"}
    changed = sum(s.rows_loaded for s in statuses)
    assert 0 < changed < full_rows / 20
    assert f"{changed} rows changed" in text
