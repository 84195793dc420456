"""Receives an OAuth2 consent's redirect on 127.0.0.1, so the CLI can finish the flow by itself.

The provider sends the browser to the redirect URI registered for the app; for the CLI that is
http://127.0.0.1:<port>/oauth/callback. One request is awaited; the browser gets a short page.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CALLBACK_PATH = "/oauth/callback"
DEFAULT_CALLBACK_PORT = 8799

_DONE_PAGE = (b"<!doctype html><title>monitr</title><p>Consent received. You can close this "
              b"window and return to the terminal.</p>")
_DENIED_PAGE = (b"<!doctype html><title>monitr</title><p>The provider did not grant access. "
                b"Return to the terminal for details.</p>")


class CallbackTimeout(TimeoutError):
    """No consent arrived in time."""


class OAuthCallbackReceiver:
    """A one-shot HTTP server on 127.0.0.1 that keeps the first redirect to CALLBACK_PATH."""

    def __init__(self, port: int = DEFAULT_CALLBACK_PORT):
        self._received = threading.Event()
        self._callback_url: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if urlsplit(self.path).path != CALLBACK_PATH:
                    self.send_error(404)
                    return
                denied = "error" in parse_qs(urlsplit(self.path).query)
                body = _DENIED_PAGE if denied else _DONE_PAGE
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if not receiver._received.is_set():
                    host, port = self.server.server_address[:2]
                    receiver._callback_url = f"http://{host}:{port}{self.path}"
                    receiver._received.set()

            def log_message(self, *args: object) -> None:
                # The query string holds the authorisation code: never write it to a log.
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{CALLBACK_PATH}"

    def wait(self, timeout: float) -> str:
        """The full callback URL (with code and state) the provider redirected to."""
        if not self._received.wait(timeout):
            raise CallbackTimeout(f"no consent arrived at {self.redirect_uri} within {timeout:.0f} s")
        assert self._callback_url is not None
        return self._callback_url

    def __enter__(self) -> OAuthCallbackReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
