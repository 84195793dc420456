"""`monitr dev`: stopping it stops everything it started (UI, daemon, code servers), even what
will not stop by itself; a busy port is named with the process holding it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from monitr_pipeline.cli import main
from monitr_pipeline.cli.dev import serve
from monitr_pipeline.cli.processes import alive, descendants, group_members

MONITR = Path(sys.executable).parent / "monitr"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_sigterm_stops_the_ui_the_daemon_and_their_code_servers(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONITR_", "DAGSTER_"))}
    env["MONITR_HOME"] = str(tmp_path / "monitr")
    log = open(tmp_path / "dev.log", "wb")
    dev = subprocess.Popen([str(MONITR), "dev", "--port", str(port), "--no-sandbox"],
                           stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until(lambda: _answers(port) or dev.poll() is not None, 240, "the Dagster UI")
        assert dev.poll() is None, (tmp_path / "dev.log").read_text()
        started = descendants(dev.pid)
        commands = {pid: (Path("/proc") / str(pid) / "cmdline").read_bytes() for pid in started}
        assert any(b"dagster_webserver" in c for c in commands.values())
        _wait_until(lambda: any(b"dagster._daemon" in (Path("/proc") / str(pid) / "cmdline")
                                .read_bytes() for pid in descendants(dev.pid)), 60, "the daemon")
        started = descendants(dev.pid)
        groups = {os.getpgid(pid) for pid in started}
        assert dev.pid not in groups  # dagster dev runs in its own group, apart from monitr's

        dev.send_signal(signal.SIGTERM)
        assert dev.wait(timeout=90) == 0
    finally:
        if dev.poll() is None:
            dev.kill()
        log.close()
    output = (tmp_path / "dev.log").read_text()
    assert "monitr dev: stopped." in output
    assert [pid for pid in started if alive(pid)] == []
    assert [pid for group in groups for pid in group_members(group)] == []
    assert not _answers(port)


def test_a_busy_port_is_named_with_its_holder(monitr_home, capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["dev", "--port", str(port), "--no-sandbox"]) == 2
    err = capsys.readouterr().err
    assert f"port {port} is already in use by pid {os.getpid()} (" in err
    assert "pytest" in err or sys.executable in err  # its command line
    assert f"kill {os.getpid()}" in err and "--port N" in err


STUBBORN = """
import signal, subprocess, sys, time
stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", stubborn])
escaped = subprocess.Popen([sys.executable, "-c", stubborn], start_new_session=True)
time.sleep(1)
open(sys.argv[1], "w").write(f"{child.pid} {escaped.pid}")
time.sleep(600)
"""


def test_what_ignores_the_stop_is_killed_after_the_grace_period(tmp_path: Path, capsys):
    pids_file = tmp_path / "pids"

    def stop_when_started() -> None:
        _wait_until(pids_file.exists, 30, "the stubborn processes")
        os.kill(os.getpid(), signal.SIGTERM)  # what `kill <monitr dev>` does

    threading.Thread(target=stop_when_started, daemon=True).start()
    started = time.monotonic()
    assert serve([sys.executable, "-c", STUBBORN, str(pids_file)], dict(os.environ),
                 grace=1.0) == 0
    assert time.monotonic() - started < 30
    pids = [int(pid) for pid in pids_file.read_text().split()]
    assert [pid for pid in pids if alive(pid)] == []
    assert "killing what did not stop within 1 s" in capsys.readouterr().err


def test_a_command_that_ends_by_itself_gives_its_exit_code_and_the_handlers_back():
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    assert serve([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ), grace=1.0) == 3
    assert {signum: signal.getsignal(signum) for signum in before} == before
