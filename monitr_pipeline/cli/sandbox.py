"""`monitr sandbox`: serve the provider emulators on 127.0.0.1, and `monitr sandbox control`: do
to a running emulator what a user does at the provider (withdraw consent, lose an administration,
delete an API key) or let days pass, to try health checks, fail-fast imports and reconnects."""

from __future__ import annotations

import argparse
import signal
from typing import Any

import requests

from monitr_pipeline.cli.plumbing import CliError, guarded
from monitr_pipeline.settings import Settings


def cmd_sandbox(args: argparse.Namespace) -> int:
    from monitr_sandbox.demo import current_demo_day
    from monitr_sandbox.organisation import start_sandbox
    from monitr_sandbox.provider import sandbox_providers

    settings = Settings.from_env()
    day = current_demo_day(settings) if args.day is None else args.day
    providers = sandbox_providers()
    with start_sandbox(settings.sandbox_dir, day=day) as sandbox:
        for (provider, environment), url in sorted(sandbox.urls.items()):
            print(f"{provider} ({environment}): {url}")
            handout = providers[provider].credentials_handout(
                sandbox.emulators[(provider, environment)], settings.sandbox_dir)
            if handout:
                print(f"  {handout}")
        print("Serving; Ctrl-C stops. Try failures from another terminal: monitr sandbox control")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


def cmd_sandbox_control(args: argparse.Namespace) -> int:
    from monitr_sandbox.control_api import CONTROLS, PREFIX
    from monitr_sandbox.provider import sandbox_providers

    provider = sandbox_providers().get(args.provider)
    if provider is None or not provider.default_ports:
        served = ", ".join(slug for slug, p in sandbox_providers().items() if p.default_ports)
        raise CliError(f"no sandbox emulator {args.provider!r}; emulators: {served}")
    environment = provider.demo_environment(args.environment)
    control = CONTROLS[args.action]
    if control.needs and args.value is None:
        raise CliError(f"{args.action} needs the {control.needs}")
    url = f"{args.base_url or provider.demo_url(environment)}{PREFIX}/{args.action}"
    answer = requests.post(url, params={"value": args.value} if args.value else None, timeout=30)
    if answer.status_code != 200:
        raise CliError(f"{args.provider} ({environment}): {answer.json().get('error')}")
    print(f"{args.provider} ({environment}): {args.action}"
          + (f" {args.value}" if args.value else "") + f" done ({control.help}).")
    return 0


def add_commands(commands: Any) -> None:
    try:
        from monitr_sandbox.control_api import CONTROLS
    except ModuleNotFoundError:  # a production install: the command says so when run
        CONTROLS = {}

    sandbox = commands.add_parser("sandbox", help="serve the provider emulators on 127.0.0.1")
    sandbox.add_argument("--day", type=int, default=None,
                         help="days of bookkeeping to replay (default: the last demo's)")
    sandbox.set_defaults(func=cmd_sandbox)
    actions = sandbox.add_subparsers(dest="sandbox_action")
    control = actions.add_parser(
        "control", help="act on a running emulator as its user would",
        description="Controls of the emulators `monitr sandbox` serves: "
                    + "; ".join(f"{name}: {c.help}" for name, c in CONTROLS.items()) + ".")
    control.add_argument("provider", help="e.g. exact_online, moneybird, xero, quickbooks")
    control.add_argument("action", choices=sorted(CONTROLS) or None)
    control.add_argument("value", nargs="?", help="the administration id, or the day")
    control.add_argument("--environment", help="e.g. nl or be for Exact (default: the first)")
    control.add_argument("--base-url", help="the emulator's address, if not its demo port")
    control.set_defaults(func=guarded(cmd_sandbox_control))
