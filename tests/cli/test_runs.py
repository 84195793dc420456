"""`monitr import <entity>`: a manual import of one entity through the real Dagster job."""

from monitr_pipeline.cli import main
from monitr_pipeline.settings import Settings
from monitr_pipeline.warehouse import query


def test_manual_import_from_the_cli(seeded, control, capsys):
    connection = control.connections("exact_online")[2]
    assert main(["import", connection.partition_key]) == 0
    out = capsys.readouterr().out
    assert connection.entity_name in out and "Succeeded" in out
    statuses = {s.partition_key: s.status for s in control.import_statuses("exact_online")}
    assert statuses[connection.partition_key] == "Succeeded"
    assert [s for k, s in statuses.items() if k != connection.partition_key] == ["Waiting"] * 3

    assert main(["status", "--board"]) == 0
    assert "Succeeded" in capsys.readouterr().out
    board = dict(query(Settings.from_env(), "select partition_key, status from monitr.import_status"))
    assert board == {s.partition_key: s.status for s in control.import_statuses()}


def test_unknown_entity_is_refused(control, capsys):
    assert main(["import", "nope-1"]) == 2
    assert "No active entity connection" in capsys.readouterr().err
