"""HTTP pieces every emulator's Flask app speaks the same way: the consent redirect back to the
client, the client's id and secret on the token endpoint, and the faults and log of each request."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import unquote_plus, urlencode

from flask import Flask, Response, g, redirect, request

from monitr_sandbox.faults import Fault


def consent_redirect(redirect_uri: str, **params: str) -> Response:
    """302 back to the client with the code (and whatever the provider adds); the client's
    `state` goes back untouched when it sent one."""
    if "state" in request.args:
        params.setdefault("state", request.args["state"])
    separator = "&" if "?" in redirect_uri else "?"
    return redirect(f"{redirect_uri}{separator}{urlencode(params)}", code=302)


def client_credentials() -> tuple[str | None, str | None]:
    """The app's id and secret from HTTP Basic, else from the form (client_secret_post)."""
    if request.authorization and request.authorization.type == "basic":
        return request.authorization.username, request.authorization.password
    return request.form.get("client_id"), request.form.get("client_secret")


def request_target() -> tuple[str, str]:
    """What a request is logged and matched by: its path and its query, decoded, so `$select`
    reads the same whether or not a client escaped `$`."""
    return request.path, unquote_plus(request.query_string.decode("latin-1"))


def request_fault(sandbox, target: Callable[[], tuple[str, str]] = request_target  # noqa: ANN001
                  ) -> Fault | None:
    """Log the request and return the fault injected for it, if any."""
    path, query = target()
    return sandbox.take_fault(request.method, path, query)


def serve_faults(app: Flask, sandbox, answer: Callable[[Fault], Response],  # noqa: ANN001
                 target: Callable[[], tuple[str, str]] = request_target, *,
                 edit_text: bool = False) -> None:
    """Log every request and play the fault injected for it: `answer` renders a replaced answer
    in the provider's own shape; `target` says what a request is matched by (a protocol whose
    calls share one URL describes each call: Odoo's JSON-RPC); a delay, an action, and an edit of
    the usual answer (its JSON, or with `edit_text` its text: an XML protocol; its headers) are
    alike everywhere."""

    @app.before_request
    def log_and_inject() -> Response | None:
        fault = g.fault = request_fault(sandbox, target)
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if fault.action is not None:
            fault.action()
        return answer(fault) if fault.replaces_answer else None

    @app.after_request
    def edit_answer(response: Response) -> Response:
        fault = g.get("fault")
        if fault is None or fault.replaces_answer:
            return response
        if fault.edit is not None:
            body = response.get_data(as_text=True)
            response.set_data(fault.edit(body) if edit_text
                              else json.dumps(fault.edit(json.loads(body))))
        response.headers.update(fault.headers)
        return response
