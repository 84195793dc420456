"""What every connections command stands on: the control plane, a provider's adapter, a live
integration, Dagster's entity partitions kept in step, and refusals turned into one line and exit 2.

Kept apart from the commands so that `connect`, `integrations` and `entities` share one of each.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import requests

from monitr_pipeline.connections.lifecycle import CredentialsRejected
from monitr_pipeline.control.rules import ConnectionRuleError
from monitr_pipeline.control.service import (
    ConnectionInfo,
    ControlPlane,
    IntegrationInfo,
    UnknownRecord,
)
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.settings import Settings


class CliError(Exception):
    """A refusal or failure the user can act on; printed without a traceback."""


def control_plane() -> ControlPlane:
    return ControlPlane.from_settings(Settings.from_env())


def provider_adapter(provider: str) -> ProviderAdapter:
    from monitr_pipeline.providers.registry import adapter_for, adapters

    if provider not in adapters():
        raise CliError(f"unknown provider {provider!r}; known: {', '.join(sorted(adapters()))}")
    return adapter_for(provider)


def live_integration(control: ControlPlane, integration_id: int) -> IntegrationInfo:
    try:
        integration = control.integration_info(integration_id)
    except UnknownRecord:
        raise CliError(f"no integration {integration_id}; see `monitr integrations list`") from None
    if integration.is_deleted:
        raise CliError(f"integration {integration_id} was deleted; connect the provider again")
    return integration


def start_imports(control: ControlPlane, connections: Sequence[ConnectionInfo],
                  run_now: bool) -> None:
    """New partitions at once; each new entity's first import now (or by the sensor)."""
    from monitr_pipeline.cli.runs import import_now, print_findings
    from monitr_pipeline.instance import monitr_instance
    from monitr_pipeline.runner import sync_partitions
    from monitr_pipeline.sensors.partition_sync import (
        first_import_request_key,
        first_import_requests,
    )

    instance = monitr_instance(Settings.from_env())
    plan = sync_partitions(control, instance)
    if not run_now:
        # Recorded here: with the partitions added, the sensor sees nothing new to start.
        control.request_imports(first_import_requests(plan))
        if connections:
            print("First imports will start on the next tick of the import_queue sensor "
                  "(monitr dev), or run `monitr import <partition>`.")
        return
    for connection in connections:
        outcome = import_now(instance, control, connection, trigger="first-import",
                             request_key=first_import_request_key(connection))
        print(f"  first import of {connection.entity_name} ({connection.partition_key}): "
              f"{outcome.status.status}, {outcome.status.rows_loaded or 0} rows, "
              f"run {outcome.run_id}")
        print_findings(outcome.status, indent="    ")


def guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Refusals print one clear line and exit 2; nothing secret is in any of them."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (CliError, ConnectionRuleError, CredentialsRejected, LookupError, ValueError,
                TimeoutError) as exc:
            print(f"monitr: {exc}", file=sys.stderr)
            return 2
        except (requests.ConnectionError, requests.Timeout) as exc:
            print(f"monitr: {unreachable(exc)}", file=sys.stderr)
            return 2

    return run


def unreachable(exc: requests.RequestException) -> str:
    """Where the provider could not be reached; the address without its query string, which
    might carry a secret."""
    url = exc.request.url if exc.request is not None else None
    where = urlsplit(url)._replace(query="", fragment="").geturl() if url else "its address"
    return (f"the provider could not be reached at {where} ({type(exc).__name__}); check the "
            "address (--base-url) and that the service is up")
