"""The emulators' test controls over HTTP (/_sandbox on each emulator's port), as `monitr sandbox
control` uses them: they change the running emulator, refuse what it cannot do, and leave the
provider's own paths alone."""

import requests

from monitr_sandbox.moneybird import SANDBOX_ADMINISTRATIONS

STUDIO = SANDBOX_ADMINISTRATIONS[0].id


def _control(sandbox, provider, environment, name, value=None):
    url = f"{sandbox.urls[(provider, environment)]}/_sandbox/{name}"
    return requests.post(url, params={"value": value} if value else None, timeout=10)


def test_controls_act_on_the_running_emulator(sandbox):
    moneybird = sandbox.emulators[("moneybird", "default")]
    token = moneybird.issue_tokens()["access_token"]
    administrations = f"{sandbox.urls[('moneybird', 'default')]}/api/v2/administrations.json"

    def listed():
        answer = requests.get(administrations, timeout=10,
                              headers={"Authorization": f"Bearer {token}"})
        ids = [a["id"] for a in answer.json()] if answer.status_code == 200 else []
        return answer.status_code, ids

    assert _control(sandbox, "moneybird", "default", "remove-administration", STUDIO).json() == {
        "done": "remove-administration", "value": STUDIO}
    assert STUDIO not in listed()[1]
    assert _control(sandbox, "moneybird", "default", "restore-administration",
                    STUDIO).status_code == 200
    assert STUDIO in listed()[1]

    assert _control(sandbox, "moneybird", "default", "revoke-tokens").status_code == 200
    assert listed()[0] == 401

    eboekhouden = sandbox.emulators[("eboekhouden", "default")]
    assert _control(sandbox, "eboekhouden", "default", "advance-to-day", "2").status_code == 200
    assert eboekhouden.day == 2


def test_controls_refuse_what_the_emulator_cannot_do(sandbox):
    unknown = _control(sandbox, "eboekhouden", "default", "revoke-tokens")
    assert unknown.status_code == 404
    assert unknown.json()["error"].endswith("it has: advance-to-day, revoke-api-key")
    missing = _control(sandbox, "exact_online", "nl", "remove-administration")
    assert missing.status_code == 400 and "needs the administration" in missing.json()["error"]
    wrong = _control(sandbox, "exact_online", "nl", "remove-administration", "999")
    assert wrong.status_code == 400 and "no administration 999" in wrong.json()["error"]
    backwards = _control(sandbox, "exact_online", "nl", "advance-to-day", "-1")
    assert backwards.status_code == 400 and "cannot go back" in backwards.json()["error"]
