"""A running emulator's test controls over HTTP, under /_sandbox on its own port: what a user does
at the provider (withdraw the app's access, lose or regain an administration, delete an API key)
and the passing of days. `monitr sandbox control` calls them from another terminal, so every
failure a connection can meet can be tried against `monitr sandbox` by hand.

/_sandbox is no provider's path; everything else goes to the emulator untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware

PREFIX = "/_sandbox"


@dataclass(frozen=True)
class Control:
    method: str  # the emulator's method (sandbox/controls.py and the emulators' own)
    needs: str | None = None  # what the value names: an administration id or a day
    help: str = ""


CONTROLS = {
    "revoke-tokens": Control("revoke_all_tokens", help="the user withdraws every OAuth consent"),
    "expire-tokens": Control("expire_access_tokens", help="every access token is past its life"),
    "remove-administration": Control("remove_administration", "administration",
                                     "the administration is deleted or the login loses access"),
    "restore-administration": Control("restore_administration", "administration",
                                      "the login sees the administration again"),
    "revoke-api-key": Control("revoke_api_key", help="the user deletes the API key"),
    "advance-to-day": Control("advance_to_day", "day", "book the days up to this one"),
}


def with_controls(app: Any, emulator: Any) -> Any:
    """The emulator's WSGI app with its controls mounted under /_sandbox."""
    controls = Flask(f"{type(emulator).__module__}.controls")

    @controls.post("/<name>")
    def act(name: str):
        control = CONTROLS.get(name)
        method = getattr(emulator, control.method, None) if control else None
        if method is None:
            offered = sorted(n for n, c in CONTROLS.items() if hasattr(emulator, c.method))
            return jsonify(error=f"this emulator has no control {name!r}; it has: "
                                 f"{', '.join(offered)}"), 404
        value = request.args.get("value")
        if control.needs and not value:
            return jsonify(error=f"{name} needs the {control.needs} (?value=...)"), 400
        try:
            if control.needs is None:
                method()
            else:
                method(int(value) if control.needs == "day" else value)
        except (KeyError, ValueError) as exc:
            return jsonify(error=str(exc).strip("'\"")), 400
        return jsonify(done=name, value=value)

    return DispatcherMiddleware(app, {PREFIX: controls})
