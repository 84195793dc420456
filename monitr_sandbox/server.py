"""Serves an emulator's WSGI app over real HTTP on 127.0.0.1, in a background thread."""

from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietRequestHandler(WSGIRequestHandler):
    # Access logs of every emulated call would bury the demo's output; the emulators keep their
    # own request_log for tests.
    def log_request(self, *args, **kwargs) -> None:
        pass


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
