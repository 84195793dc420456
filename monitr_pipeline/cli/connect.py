"""`monitr connect`: consent, a key or an upload folder; then discover, select and first imports.

`authorise` is also how `monitr integrations reconnect` renews an integration's access.

Secrets never reach the terminal: API keys are read from MONITR_<FIELD> environment variables or
typed at a hidden prompt, app registrations come from MONITR_<PROVIDER>_CLIENT_ID/_SECRET (or the
sandbox's), and nothing printed here includes a token, key or client secret.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from monitr_pipeline.cli.entities import select_and_import
from monitr_pipeline.cli.plumbing import CliError, control_plane, guarded, provider_adapter
from monitr_pipeline.cli.printing import print_administrations
from monitr_pipeline.connections.callback import DEFAULT_CALLBACK_PORT, OAuthCallbackReceiver
from monitr_pipeline.connections.lifecycle import (
    AppRegistration,
    begin_oauth,
    connect_file_upload,
    connect_with_credentials,
    finish_oauth,
)
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.settings import Settings

DEFAULT_ORGANISATION = "demo"
# What a user types for an API-key or credentials provider, by auth kind, unless the provider's
# adapter names its own fields (e.g. Odoo: url, database, username, api_key).
_CREDENTIAL_FIELDS = {"api_key": ("api_token",),
                      "api_credentials": ("url", "database", "username", "api_key")}
_PUBLIC_FIELDS = frozenset({"url", "database", "username"})


def _sandbox_base_url(adapter: ProviderAdapter, environment: str) -> str:
    """Where `monitr sandbox` serves this provider (its fixed demo port), or its upload folder."""
    from monitr_sandbox.provider import sandbox_providers

    if adapter.spec.auth_kind == "file_upload":
        from monitr_sandbox.csv_import.provider import UPLOAD_FOLDER_NAME

        return str(Settings.from_env().sandbox_dir / UPLOAD_FOLDER_NAME)
    return sandbox_providers()[adapter.spec.slug].demo_url(environment)


def _app_registration(adapter: ProviderAdapter, sandbox: bool) -> AppRegistration:
    prefix = f"MONITR_{adapter.spec.slug.upper()}"
    client_id, secret = os.environ.get(f"{prefix}_CLIENT_ID"), os.environ.get(f"{prefix}_CLIENT_SECRET")
    # Further settings of the registration wanted on every call (OAuth2Spec.app_headers).
    names = sorted(set(adapter.spec.oauth2.app_headers.values())) if adapter.spec.oauth2 else []
    settings = {name: os.environ.get(f"{prefix}_{name.upper()}") for name in names}
    if client_id and secret and all(settings.values()):
        return AppRegistration(client_id, secret, settings)
    if sandbox:
        from monitr_sandbox.provider import sandbox_providers

        provider = sandbox_providers()[adapter.spec.slug]
        if provider.oauth_app:
            return AppRegistration(*provider.oauth_app, dict(provider.oauth_app_settings))
    wanted = " and ".join([f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET",
                           *(f"{prefix}_{name.upper()}" for name in names)])
    raise CliError(f"set {wanted} to our app's registration at {adapter.spec.name} "
                   f"(or use --sandbox)")


def _ask_credentials(adapter: ProviderAdapter, prompt: Callable[[str], str],
                     secret_prompt: Callable[[str], str]) -> dict[str, str]:
    fields = getattr(adapter, "credential_fields", None) or _CREDENTIAL_FIELDS[adapter.spec.auth_kind]
    values = {}
    for name in fields:
        value = os.environ.get(f"MONITR_{name.upper()}")
        if not value:
            ask = prompt if name in _PUBLIC_FIELDS else secret_prompt
            value = ask(f"{adapter.spec.name} {name.replace('_', ' ')}: ").strip()
        if not value:
            raise CliError(f"no {name} given (type it, or set MONITR_{name.upper()})")
        values[name] = value
    return values


def _receive_consent(authorize_url: str, receiver: OAuthCallbackReceiver | None, timeout: float,
                     prompt: Callable[[str], str]) -> str:
    print("Open this address in a browser and approve access:")
    print(f"  {authorize_url}")
    if receiver is not None:
        print(f"Waiting for the provider to redirect to {receiver.redirect_uri} ...")
        return receiver.wait(timeout)
    return prompt("Paste the address the browser was sent to after approving: ").strip()


def _oauth_consent(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int, *,
                   environment: str | None, base_url: str | None, app: AppRegistration,
                   args: argparse.Namespace, integration_id: int | None = None) -> int:
    from oauthlib.oauth2.rfc6749.errors import MismatchingStateError, OAuth2Error

    receiver = None if args.paste else OAuthCallbackReceiver(args.callback_port)
    redirect_uri = (receiver.redirect_uri if receiver is not None
                    else f"http://127.0.0.1:{args.callback_port}/oauth/callback")
    pending = begin_oauth(control, adapter, organisation_id, environment=environment,
                          base_url_override=base_url, app=app, redirect_uri=redirect_uri,
                          integration_id=integration_id)
    try:
        with receiver if receiver is not None else contextlib.nullcontext():
            callback_url = _receive_consent(pending.start.authorize_url, receiver, args.timeout,
                                            input)
        return finish_oauth(control, adapter, pending, app, callback_url)
    except MismatchingStateError:
        raise CliError("refused: the redirect's state does not match this consent (it belongs to "
                       "another or an older attempt); run the command again") from None
    except OAuth2Error as exc:
        raise CliError(f"{adapter.spec.name} did not grant access: {exc.description or exc.error}"
                       ) from None


def authorise(control: ControlPlane, adapter: ProviderAdapter, organisation_id: int, *,
              environment: str | None, base_url: str | None, args: argparse.Namespace,
              integration_id: int | None = None) -> int | None:
    """Consent (OAuth2) or checked credentials (API key or credentials) for a new integration, or
    renewed ones for `integration_id`; its id, or None for a file upload, which has neither."""
    kind = adapter.spec.auth_kind
    if kind == "oauth2":
        app = _app_registration(adapter, args.sandbox)
        return _oauth_consent(control, adapter, organisation_id, environment=environment,
                              base_url=base_url, app=app, args=args, integration_id=integration_id)
    if kind in ("api_key", "api_credentials"):
        credentials = _ask_credentials(adapter, input, getpass.getpass)
        return connect_with_credentials(
            control, adapter, organisation_id, environment=environment,
            base_url_override=base_url, credentials=credentials, integration_id=integration_id)
    return None


def _parse_selection(raw: str | None) -> list[str] | None:
    """None selects all; '' or 'none' selects nothing."""
    if raw is None or raw.strip().lower() == "all":
        return None
    if raw.strip().lower() in ("", "none"):
        return []
    return [part.strip() for part in raw.split(",") if part.strip()]


def _discover_and_select(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
                         selection: str | None, no_import: bool) -> int:
    from monitr_pipeline.connections.connect import discover

    visible = discover(control, adapter, integration_id)
    print_administrations(control, integration_id, visible)
    if selection is None and sys.stdin.isatty():
        selection = input("Import which? (comma-separated ids, 'all' or 'none') [all]: ") or "all"
    chosen = _parse_selection(selection)
    if chosen == []:
        print("Nothing selected; select later with `monitr entities select "
              f"{integration_id} <id> ...`.")
        return 0
    select_and_import(control, adapter, integration_id, chosen, run_now=not no_import,
                      visible=visible)
    return 0


def cmd_connect(args: argparse.Namespace) -> int:
    control = control_plane()
    adapter = provider_adapter(args.provider)
    organisation_id = control.ensure_organisation(args.organisation,
                                                  args.organisation_name or args.organisation)
    environment = args.environment
    if args.sandbox:
        from monitr_sandbox.provider import sandbox_providers

        sandbox_environment = sandbox_providers()[adapter.spec.slug].demo_environment(
            args.environment)
        base_url = args.base_url or _sandbox_base_url(adapter, sandbox_environment)
        if sandbox_environment in adapter.spec.environments:
            environment = sandbox_environment
    else:
        base_url = args.base_url
        if not base_url and not adapter.spec.environments and adapter.spec.auth_kind != "file_upload":
            # No environments: the provider has no single host; every customer's installation
            # has its own address, which the integration keeps.
            raise CliError(f"{adapter.spec.name} has no single address: every customer's "
                           f"installation has its own. Give yours with --base-url "
                           f"https://<your installation's address> (or use --sandbox)")
    environment = environment or adapter.spec.default_environment
    integration_id = authorise(control, adapter, organisation_id, environment=environment,
                               base_url=base_url, args=args)
    if integration_id is None:
        if not base_url:
            raise CliError("give the upload folder with --base-url (or use --sandbox)")
        integration_id = connect_file_upload(control, adapter, organisation_id, base_url)
    integration = control.integration_info(integration_id)
    print(f"Connected {integration.name}: integration {integration_id} ({integration.status}).")
    return _discover_and_select(control, adapter, integration_id, args.select, args.no_import)


def consent_options(parser: argparse.ArgumentParser) -> None:
    """The flags of a command that may ask for consent: `connect` and `integrations reconnect`."""
    parser.add_argument("--sandbox", action="store_true",
                        help="the local emulators of `monitr sandbox` and their app registration")
    parser.add_argument("--paste", action="store_true",
                        help="paste the redirect address instead of receiving it on 127.0.0.1")
    parser.add_argument("--callback-port", type=int, default=DEFAULT_CALLBACK_PORT,
                        help="the 127.0.0.1 port of the registered redirect URI (default 8799)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for the consent (default 300)")


def add_commands(commands: Any) -> None:
    connect = commands.add_parser("connect", help="connect a provider, discover and select "
                                  "administrations, start their first imports")
    connect.add_argument("provider", help="e.g. exact_online, moneybird, xero, eboekhouden, csv_import")
    connect.add_argument("--organisation", default=DEFAULT_ORGANISATION,
                         help="the organisation's slug (created on first use)")
    connect.add_argument("--organisation-name", help="its display name, when creating it")
    connect.add_argument("--environment", help="e.g. nl, be or uk for Exact Online")
    connect.add_argument("--base-url", help="the provider's address (an emulator; required for a "
                         "provider every customer hosts apart, e.g. horus) or, for CSV, the "
                         "upload folder")
    connect.add_argument("--select", help="administrations to import: 'all', 'none' or "
                         "comma-separated ids (asked when interactive; default all)")
    connect.add_argument("--no-import", action="store_true",
                         help="leave the first imports to the partition-sync sensor")
    consent_options(connect)
    connect.set_defaults(func=guarded(cmd_connect))
