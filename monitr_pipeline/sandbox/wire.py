"""HTTP pieces every emulator's Flask app speaks the same way: the consent redirect back to the
client, the client's id and secret on the token endpoint, and the faults and log of each request."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlencode

from flask import Response, redirect, request

from monitr_pipeline.sandbox.faults import Fault


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


def request_fault(sandbox) -> Fault | None:  # noqa: ANN001 - any FaultsAndRequestLog emulator
    """Log the request and return the fault injected for it, if any. The query is logged and
    matched decoded, so `$select` reads the same whether or not a client escaped `$`."""
    query = unquote_plus(request.query_string.decode("latin-1"))
    return sandbox.take_fault(request.method, request.path, query)
