"""Serves an emulator's WSGI app over real HTTP on 127.0.0.1, in a background thread."""

from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietRequestHandler(WSGIRequestHandler):
    # Access logs of every emulated call would bury the demo's output; the emulators keep their
    # own request_log for tests.
    def log_request(self, *args, **kwargs) -> None:
        pass

    # An emulator whose clock is its own (Stripe's Date header is the time clients measure its
    # event retention against) sends its own Date; the server's is added only when the app sent
    # none, so an answer never carries two.
    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", self.version_string())
        self._date_pending = True

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "date":
            if not getattr(self, "_date_pending", False):
                return  # the app's Date was sent already
            self._date_pending = False
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        if getattr(self, "_date_pending", False):
            self._date_pending = False
            super().send_header("Date", self.date_time_string())
        super().end_headers()


class EmulatorServer:
    def __init__(self, app, port: int = 0):
        self._server = make_server("127.0.0.1", port, app, threaded=True,
                                   request_handler=_QuietRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=f"emulator:{self._server.server_port}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> EmulatorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
