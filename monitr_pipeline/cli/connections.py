"""`monitr connect`, `monitr integrations ...`, `monitr entities ...`: the life of an integration.

Secrets never reach the terminal: API keys are read from MONITR_<FIELD> environment variables or
typed at a hidden prompt, app registrations come from MONITR_<PROVIDER>_CLIENT_ID/_SECRET (or the
sandbox's), and nothing printed here includes a token, key or client secret.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from monitr_pipeline.connections.callback import DEFAULT_CALLBACK_PORT, OAuthCallbackReceiver
from monitr_pipeline.connections.lifecycle import (
    AppRegistration,
    CredentialsRejected,
    begin_oauth,
    connect_file_upload,
    connect_with_credentials,
    finish_oauth,
    select,
)
from monitr_pipeline.control.rules import ConnectionRuleError
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, IntegrationInfo
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.settings import Settings

DEFAULT_ORGANISATION = "demo"
# What a user types for an API-key or credentials provider, by auth kind, unless the provider's
# adapter names its own fields (e.g. Odoo: url, database, username, api_key).
_CREDENTIAL_FIELDS = {"api_key": ("api_token",),
                      "api_credentials": ("url", "database", "username", "api_key")}
_PUBLIC_FIELDS = frozenset({"url", "database", "username"})


class CliError(Exception):
    """A refusal or failure the user can act on; printed without a traceback."""


# --- shared plumbing ----------------------------------------------------------------------------

def _control() -> ControlPlane:
    return ControlPlane.from_settings(Settings.from_env())


def _adapter(provider: str) -> ProviderAdapter:
    from monitr_pipeline.providers.registry import adapter_for, adapters

    if provider not in adapters():
        raise CliError(f"unknown provider {provider!r}; known: {', '.join(sorted(adapters()))}")
    return adapter_for(provider)


def _organisation_id(control: ControlPlane, slug: str, name: str | None) -> int:
    return control.ensure_organisation(slug, name or slug)


def _sandbox_base_url(adapter: ProviderAdapter, environment: str | None) -> str:
    """Where `monitr sandbox` serves this provider (its fixed demo port), or its upload folder."""
    from monitr_pipeline.sandbox.provider import sandbox_providers

    provider = sandbox_providers()[adapter.spec.slug]
    if adapter.spec.auth_kind == "file_upload":
        from monitr_pipeline.sandbox.csv_import.provider import UPLOAD_FOLDER_NAME

        return str(Settings.from_env().sandbox_dir / UPLOAD_FOLDER_NAME)
    env = environment or next(iter(provider.environments))
    try:
        return f"http://127.0.0.1:{provider.default_ports[env]}"
    except KeyError:
        raise CliError(f"the sandbox has no {adapter.spec.name} environment {env!r}") from None


def _app_registration(adapter: ProviderAdapter, sandbox: bool) -> AppRegistration:
    prefix = f"MONITR_{adapter.spec.slug.upper()}"
    client_id, secret = os.environ.get(f"{prefix}_CLIENT_ID"), os.environ.get(f"{prefix}_CLIENT_SECRET")
    if client_id and secret:
        return AppRegistration(client_id, secret)
    if sandbox:
        from monitr_pipeline.sandbox.provider import sandbox_providers

        app = sandbox_providers()[adapter.spec.slug].oauth_app
        if app:
            return AppRegistration(*app)
    raise CliError(f"set {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET to our app's registration at "
                   f"{adapter.spec.name} (or use --sandbox)")


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
        if receiver is not None:
            with receiver:
                callback_url = _receive_consent(pending.start.authorize_url, receiver,
                                                args.timeout, input)
        else:
            callback_url = _receive_consent(pending.start.authorize_url, None, args.timeout, input)
        return finish_oauth(control, adapter, pending, app, callback_url)
    except MismatchingStateError:
        raise CliError("refused: the redirect's state does not match this consent (it belongs to "
                       "another or an older attempt); run the command again") from None
    except OAuth2Error as exc:
        raise CliError(f"{adapter.spec.name} did not grant access: {exc.description or exc.error}"
                       ) from None


def _print_administrations(control: ControlPlane, integration_id: int, administrations) -> None:
    connected = {c.external_id: c for c in control.connections()
                 if c.integration_id == integration_id}
    print(f"The login sees {len(administrations)} administration(s):")
    for a in administrations:
        c = connected.get(a.external_id)
        where = f"imported into entity {c.entity_id} ({c.entity_name})" if c else "not imported"
        print(f"  {a.external_id:<16} {a.name:<40} {where}")
    visible = {a.external_id for a in administrations}
    for c in connected.values():
        if c.external_id not in visible:
            print(f"  {c.external_id:<16} {c.external_name:<40} NOT FOUND (entity {c.entity_id}, "
                  f"connection {c.connection_id})")


def _parse_selection(raw: str | None, administrations) -> list[str] | None:
    """None selects all; '' or 'none' selects nothing."""
    if raw is None or raw.strip().lower() == "all":
        return None
    if raw.strip().lower() in ("", "none"):
        return []
    return [part.strip() for part in raw.split(",") if part.strip()]


def _start_imports(control: ControlPlane, connections: Sequence[ConnectionInfo],
                   run_now: bool) -> None:
    """New partitions at once; each new entity's first import now (or by the sensor)."""
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import run_import, sync_partitions
    from monitr_pipeline.sensors.partition_sync import first_import_request_key

    instance = monitr_instance(Settings.from_env())
    sync_partitions(control, instance)
    if not run_now:
        if connections:
            print("First imports will start on the next tick of the entity_partitions_sync "
                  "sensor (monitr dev), or run `monitr import <partition>`.")
        return
    for connection in connections:
        outcome = run_import(defs, instance, control, connection, trigger="first-import",
                             request_key=first_import_request_key(connection), quiet=True)
        status = next(s for s in control.import_statuses(connection.provider)
                      if s.partition_key == connection.partition_key)
        print(f"  first import of {connection.entity_name} ({connection.partition_key}): "
              f"{status.status}, {status.rows_loaded or 0} rows, run {outcome.run_id}")
        if status.error:
            print(f"    error: {status.error}")


def _report_health(integrations: Sequence[IntegrationInfo]) -> None:
    """Record the integrations' health on the Dagster asset too, so the UI shows what we print."""
    from monitr_pipeline.assets.integration_health import health_events, missing_administrations
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.partitions import INTEGRATION_PARTITIONS

    control = _control()
    instance = monitr_instance(Settings.from_env())
    known = set(instance.get_dynamic_partitions(INTEGRATION_PARTITIONS.name))
    new = sorted({i.partition_key for i in integrations} - known)
    if new:
        instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name, new)
    for integration in integrations:
        for event in health_events(integration,
                                   missing_administrations(control, integration.integration_id)):
            instance.report_runless_asset_event(event)


def _print_integration(control: ControlPlane, integration: IntegrationInfo) -> None:
    from monitr_pipeline.assets.integration_health import missing_administrations
    from monitr_pipeline.connections.health import reconnect_steps

    checked = (integration.health_checked_at.isoformat(timespec="seconds")
               if integration.health_checked_at else "never")
    print(f"{integration.integration_id:>4}  {integration.provider:<14} {integration.name:<26} "
          f"{integration.organisation_slug:<10} {integration.status:<13} {integration.health:<25} "
          f"{integration.active_connections:>3} entities  checked {checked}")
    if integration.is_deleted:
        return
    if integration.health_reason:
        print(f"      reason: {integration.health_reason}")
    steps = reconnect_steps(integration, missing_administrations(control, integration.integration_id))
    if steps and integration.health != "healthy":
        print(f"      to fix: {steps}")


# --- commands -----------------------------------------------------------------------------------

def cmd_connect(args: argparse.Namespace) -> int:
    control = _control()
    adapter = _adapter(args.provider)
    organisation_id = _organisation_id(control, args.organisation, args.organisation_name)
    base_url = args.base_url or (_sandbox_base_url(adapter, args.environment) if args.sandbox
                                 else None)
    environment = args.environment or adapter.spec.default_environment
    kind = adapter.spec.auth_kind
    if kind == "oauth2":
        app = _app_registration(adapter, args.sandbox)
        integration_id = _oauth_consent(control, adapter, organisation_id, environment=environment,
                                        base_url=base_url, app=app, args=args)
    elif kind in ("api_key", "api_credentials"):
        credentials = _ask_credentials(adapter, input, getpass.getpass)
        integration_id = connect_with_credentials(
            control, adapter, organisation_id, environment=environment,
            base_url_override=base_url, credentials=credentials)
    else:
        if not base_url:
            raise CliError("give the upload folder with --base-url (or use --sandbox)")
        integration_id = connect_file_upload(control, adapter, organisation_id, base_url)
    integration = control.integration_info(integration_id)
    print(f"Connected {integration.name}: integration {integration_id} ({integration.status}).")
    return _discover_and_select(control, adapter, integration_id, args.select, args.no_import)


def _discover_and_select(control: ControlPlane, adapter: ProviderAdapter, integration_id: int,
                         selection: str | None, no_import: bool) -> int:
    from monitr_pipeline.connect import discover

    administrations = discover(control, adapter, integration_id)
    _print_administrations(control, integration_id, administrations)
    if selection is None and sys.stdin.isatty():
        selection = input("Import which? (comma-separated ids, 'all' or 'none') [all]: ") or "all"
    chosen = _parse_selection(selection, administrations)
    if chosen == []:
        print("Nothing selected; select later with `monitr entities select "
              f"{integration_id} <id> ...`.")
        return 0
    connections = select(control, adapter, integration_id, chosen)
    for c in connections:
        print(f"Entity {c.entity_id} ({c.entity_name}) imports {c.external_id} as partition "
              f"{c.partition_key} (connection {c.connection_id}).")
    _start_imports(control, connections, run_now=not no_import)
    return 0


def cmd_integrations_list(args: argparse.Namespace) -> int:
    control = _control()
    organisation_id = control.organisation_id(args.organisation) if args.organisation else None
    integrations = control.integrations(organisation_id)
    if not integrations:
        print("No integrations yet: `monitr connect <provider>`.")
    for integration in integrations:
        _print_integration(control, integration)
    return 0


def cmd_integrations_check(args: argparse.Namespace) -> int:
    from monitr_pipeline.connections.health import check_integration

    control = _control()
    targets = ([args.integration] if args.integration else
               [i.integration_id for i in control.integrations(include_deleted=False)])
    checked = [check_integration(control, integration_id) for integration_id in targets]
    _report_health(checked)
    for integration in checked:
        _print_integration(control, integration)
    return 0 if all(i.health == "healthy" for i in checked if i.status != "pending_auth") else 1


def cmd_integrations_discover(args: argparse.Namespace) -> int:
    from monitr_pipeline.connect import discover

    control = _control()
    integration = _live_integration(control, args.integration)
    adapter = _adapter(integration.provider)
    _print_administrations(control, integration.integration_id,
                           discover(control, adapter, integration.integration_id))
    return 0


def cmd_integrations_reconnect(args: argparse.Namespace) -> int:
    from monitr_pipeline.connections.health import check_integration

    control = _control()
    integration = _live_integration(control, args.integration)
    adapter = _adapter(integration.provider)
    if adapter.spec.auth_kind == "oauth2":
        app = _app_registration(adapter, args.sandbox)
        _oauth_consent(control, adapter, integration.organisation_id,
                       environment=integration.environment, base_url=integration.base_url,
                       app=app, args=args, integration_id=integration.integration_id)
    elif adapter.spec.auth_kind in ("api_key", "api_credentials"):
        connect_with_credentials(
            control, adapter, integration.organisation_id, environment=integration.environment,
            base_url_override=integration.base_url,
            credentials=_ask_credentials(adapter, input, getpass.getpass),
            integration_id=integration.integration_id)
    else:
        raise CliError(f"{integration.name} has no credentials to renew")
    checked = check_integration(control, integration.integration_id)
    _report_health([checked])
    print(f"Reconnected {checked.name} (integration {checked.integration_id}); its "
          f"{checked.active_connections} entities import again on the next run.")
    _print_integration(control, checked)
    return 0


def cmd_integrations_delete(args: argparse.Namespace) -> int:
    control = _control()
    integration = _live_integration(control, args.integration)
    stopped = control.delete_integration(integration.integration_id)
    _start_imports(control, [], run_now=False)  # removes the partitions of the stopped entities
    _report_health([control.integration_info(integration.integration_id)])
    print(f"Deleted {integration.name} (integration {integration.integration_id}): stopped "
          f"imports of {len(stopped)} entities; all imported data is kept.")
    for c in stopped:
        print(f"  {c.entity_name} ({c.partition_key})")
    return 0


def cmd_entities_list(args: argparse.Namespace) -> int:
    control = _control()
    statuses = {(s.provider, s.partition_key): s for s in control.import_statuses()}
    connections = control.connections(active_only=False)
    if not connections:
        print("No entities yet: `monitr connect <provider>`.")
    for c in connections:
        state = ("disconnected" if not c.is_active else
                 "NOT FOUND" if c.not_found_since else "active")
        status = statuses.get((c.provider, c.partition_key))
        last = ""
        if status is not None:
            when = status.finished_at.isoformat(timespec="seconds") if status.finished_at else "-"
            last = f"{status.status} {when}" + (f"  error: {status.error}" if status.error else "")
        print(f"entity {c.entity_id:>3} {c.entity_name:<32} connection {c.connection_id:>3} "
              f"{c.provider:<14} {c.external_id:<14} {c.partition_key:<24} {state:<12} {last}")
    return 0


def cmd_entities_select(args: argparse.Namespace) -> int:
    control = _control()
    integration = _live_integration(control, args.integration)
    adapter = _adapter(integration.provider)
    if not args.all and not args.administrations:
        raise CliError("name the administration ids to import (see `monitr integrations "
                       f"discover {args.integration}`) or pass --all")
    connections = select(control, adapter, integration.integration_id,
                         None if args.all else args.administrations, entity_id=args.entity)
    for c in connections:
        print(f"Entity {c.entity_id} ({c.entity_name}) imports {c.external_id} as partition "
              f"{c.partition_key} (connection {c.connection_id}).")
    _start_imports(control, connections, run_now=not args.no_import)
    return 0


def cmd_entities_disconnect(args: argparse.Namespace) -> int:
    control = _control()
    connection = control.delete_connection(args.connection)
    _start_imports(control, [], run_now=False)  # removes its partition
    print(f"Disconnected {connection.entity_name} from {connection.provider} (connection "
          f"{connection.connection_id}); future imports stop, imported data is kept.")
    return 0


def _live_integration(control: ControlPlane, integration_id: int) -> IntegrationInfo:
    try:
        integration = control.integration_info(integration_id)
    except Exception:  # noqa: BLE001 - sqlalchemy's NoResultFound
        raise CliError(f"no integration {integration_id}; see `monitr integrations list`") from None
    if integration.is_deleted:
        raise CliError(f"integration {integration_id} was deleted; connect the provider again")
    return integration


# --- wiring -------------------------------------------------------------------------------------

def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Refusals print one clear line and exit 2; nothing secret is in any of them."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (CliError, ConnectionRuleError, CredentialsRejected, LookupError, ValueError,
                TimeoutError) as exc:
            print(f"monitr: {exc}", file=sys.stderr)
            return 2

    return run


def _consent_options(parser: argparse.ArgumentParser) -> None:
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
    connect.add_argument("--base-url", help="the provider's address (an emulator) or, for CSV, the "
                         "upload folder")
    connect.add_argument("--select", help="administrations to import: 'all', 'none' or "
                         "comma-separated ids (asked when interactive; default all)")
    connect.add_argument("--no-import", action="store_true",
                         help="leave the first imports to the partition-sync sensor")
    _consent_options(connect)
    connect.set_defaults(func=_guarded(cmd_connect))

    integrations = commands.add_parser("integrations", help="list, check, reconnect or delete "
                                       "integrations").add_subparsers(dest="action", required=True)
    listing = integrations.add_parser("list", help="every integration with its status and health")
    listing.add_argument("--organisation", help="only this organisation's")
    listing.set_defaults(func=_guarded(cmd_integrations_list))
    check = integrations.add_parser("check", help="ask the providers now (what the sensor does)")
    check.add_argument("integration", type=int, nargs="?")
    check.set_defaults(func=_guarded(cmd_integrations_check))
    discover = integrations.add_parser("discover", help="the administrations its login sees")
    discover.add_argument("integration", type=int)
    discover.set_defaults(func=_guarded(cmd_integrations_discover))
    reconnect = integrations.add_parser("reconnect", help="renew consent or credentials; keeps "
                                        "the integration and its entities")
    reconnect.add_argument("integration", type=int)
    _consent_options(reconnect)
    reconnect.set_defaults(func=_guarded(cmd_integrations_reconnect))
    delete = integrations.add_parser("delete", help="stop all its imports; data is kept")
    delete.add_argument("integration", type=int)
    delete.set_defaults(func=_guarded(cmd_integrations_delete))

    entities = commands.add_parser("entities", help="list, select or disconnect entities"
                                   ).add_subparsers(dest="action", required=True)
    entities.add_parser("list", help="entity connections with their last import"
                        ).set_defaults(func=_guarded(cmd_entities_list))
    choose = entities.add_parser("select", help="import administrations of an integration")
    choose.add_argument("integration", type=int)
    choose.add_argument("administrations", nargs="*", help="administration ids (see discover)")
    choose.add_argument("--all", action="store_true", help="every administration it sees")
    choose.add_argument("--entity", type=int, help="into this existing entity (reselect after a "
                        "rename, or switch after disconnecting the old one)")
    choose.add_argument("--no-import", action="store_true")
    choose.set_defaults(func=_guarded(cmd_entities_select))
    disconnect = entities.add_parser("disconnect", help="stop an entity's imports from one "
                                     "integration; data is kept")
    disconnect.add_argument("connection", type=int)
    disconnect.set_defaults(func=_guarded(cmd_entities_disconnect))
