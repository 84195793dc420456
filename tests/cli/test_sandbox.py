"""`monitr sandbox control`: a user's doings at the provider, from another terminal."""

from monitr_pipeline.cli import main
from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS


def test_sandbox_control_changes_the_running_emulator(sandbox, capsys):
    moneybird = sandbox.emulators[("moneybird", "default")]
    url = sandbox.urls[("moneybird", "default")]
    studio = SANDBOX_ADMINISTRATIONS[0].id

    assert main(["sandbox", "control", "moneybird", "remove-administration", studio,
                 "--base-url", url]) == 0
    assert f"remove-administration {studio} done" in capsys.readouterr().out
    assert not moneybird.administration_visible(studio)

    assert main(["sandbox", "control", "moneybird", "remove-administration", "--base-url",
                 url]) == 2
    assert "needs the administration" in capsys.readouterr().err
    assert main(["sandbox", "control", "nobody", "revoke-tokens"]) == 2
    assert "no sandbox emulator 'nobody'" in capsys.readouterr().err
    assert main(["sandbox", "control", "moneybird", "revoke-api-key", "--base-url", url]) == 2
    assert "has no control 'revoke-api-key'" in capsys.readouterr().err
