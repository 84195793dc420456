"""`monitr dev`: `dagster dev` (the UI and the daemon) on the demo's state, with the sandbox
emulators beside it, and all of it gone when it stops.

`dagster dev` runs in its own session and process group: Ctrl-C, SIGTERM or a closed terminal
(SIGHUP) is forwarded to the whole group (webserver, daemon, code servers), which gets
`--grace` seconds to shut down before what is left is killed; a second Ctrl-C kills at once.
Ports are checked first: a busy one is named with the process holding it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from typing import Any

from monitr_pipeline.cli.plumbing import CliError, guarded
from monitr_pipeline.cli.processes import ProcessGroup, describe_busy_port, port_in_use
from monitr_pipeline.settings import PROJECT_ROOT, Settings

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _check_ports(port: int, with_sandbox: bool) -> None:
    if port_in_use(port):
        raise CliError(f"the Dagster UI's {describe_busy_port(port)}")
    if not with_sandbox:
        return
    from monitr_sandbox.provider import sandbox_providers

    for slug, provider in sorted(sandbox_providers().items()):
        for environment, emulator_port in sorted(provider.default_ports.items()):
            if port_in_use(emulator_port):
                raise CliError(
                    f"the {slug} ({environment}) emulator's "
                    + describe_busy_port(emulator_port, alternative=(
                        "if it is a `monitr sandbox` already serving the emulators, run "
                        "`monitr dev --no-sandbox` beside it")))


def serve(command: list[str], env: dict[str, str], grace: float) -> int:
    """Run `command` in its own process group until it ends or a stop signal comes; then make
    sure nothing of it is left. 0 when stopped by a signal, else the command's exit code."""
    received: list[int] = []
    group: ProcessGroup | None = None
    stop_started = 0.0

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stop_started
        received.append(signum)
        if group is None:
            return  # not started yet: it is stopped as soon as it is
        if len(received) == 1:
            stop_started = time.monotonic()
            print(f"\nmonitr dev: stopping the Dagster UI and daemon (up to {grace:.0f} s; "
                  "Ctrl-C again kills them now) ...", file=sys.stderr, flush=True)
            # A closed terminal asks for an orderly stop, like SIGTERM.
            group.send(signal.SIGTERM if signum == signal.SIGHUP else signum)
        else:
            group.send(signal.SIGKILL)

    previous = {signum: signal.signal(signum, on_signal) for signum in _STOP_SIGNALS}
    returncode = 0
    try:
        group = ProcessGroup(command, env=env, cwd=PROJECT_ROOT)
        if received:
            on_signal(received.pop(), None)
        while True:
            try:
                returncode = group.process.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if received and time.monotonic() - stop_started > grace:
                    break
    finally:
        if group is not None:
            if not received:  # it ended by itself, or this process is failing: end its children
                stop_started = time.monotonic()
                group.send(signal.SIGTERM)
            remaining = max(0.0, grace - (time.monotonic() - stop_started))
            if not group.wait_gone(remaining):
                left = group.members()
                print(f"monitr dev: killing what did not stop within {grace:.0f} s: pids "
                      + ", ".join(map(str, left)), file=sys.stderr, flush=True)
                group.send(signal.SIGKILL)
                group.wait_gone(5.0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        print("monitr dev: stopped.", file=sys.stderr, flush=True)
        return 0
    return returncode


def cmd_dev(args: argparse.Namespace) -> int:
    from monitr_pipeline.instance import write_instance_config

    settings = Settings.from_env()
    _check_ports(args.port, with_sandbox=not args.no_sandbox)
    env = {**os.environ, "DAGSTER_HOME": str(write_instance_config(settings))}
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"),
               "-p", str(args.port)]
    with ExitStack() as stack:
        if not args.no_sandbox:
            from monitr_sandbox.demo import current_demo_day
            from monitr_sandbox.organisation import start_sandbox

            day = current_demo_day(settings) if args.day is None else args.day
            stack.enter_context(start_sandbox(settings.sandbox_dir, day=day))
        print(f"monitr dev: the Dagster UI on http://127.0.0.1:{args.port}"
              + ("" if args.no_sandbox else ", the sandbox emulators on their demo ports")
              + "; Ctrl-C stops all of it.", file=sys.stderr, flush=True)
        return serve(command, env, args.grace)


def add_commands(commands: Any) -> None:
    dev = commands.add_parser("dev", help="open the Dagster UI on the demo's state",
                              description=__doc__)
    dev.add_argument("--port", type=int, default=3000, help="the UI's port (default 3000)")
    dev.add_argument("--day", type=int, default=None,
                     help="days of bookkeeping the emulators replay (default: the last demo's)")
    dev.add_argument("--no-sandbox", action="store_true",
                     help="without the emulators (e.g. beside a running `monitr sandbox`)")
    dev.add_argument("--grace", type=float, default=30.0,
                     help="seconds the UI and daemon get to stop before they are killed (30)")
    dev.set_defaults(func=guarded(cmd_dev))
