"""Integration health: what a failure says about the connection, how to fix it, and a check that
asks the provider directly (used by the health sensor and `monitr integrations check`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import requests

from monitr_pipeline.connections.connect import discover
from monitr_pipeline.control.models import Health
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane, IntegrationInfo
from monitr_pipeline.errors import first_cause
from monitr_pipeline.ingestion.credentials import ReconnectRequired
from monitr_pipeline.providers.adapter import ProviderAdapter, ProviderError
from monitr_pipeline.providers.registry import adapter_for

# Health states in which an import cannot succeed until a person acts: imports fail fast.
NEEDS_ACTION = frozenset({Health.TOKEN_EXPIRED, Health.CREDENTIALS_REJECTED})


@dataclass(frozen=True)
class HealthFinding:
    health: Health
    reason: str


def classify_failure(adapter: ProviderAdapter, cause: BaseException) -> HealthFinding | None:
    """What a failed call says about the integration, or None when it says nothing about it
    (bad data, a provider bug on one record, ...)."""
    name = adapter.spec.name
    if isinstance(cause, ReconnectRequired):
        return HealthFinding(Health.TOKEN_EXPIRED, f"{name}: {cause}")
    if isinstance(cause, ProviderError):
        if cause.status == 401 and adapter.spec.auth_kind != "oauth2":
            # API keys and passwords have no refresh: the user must enter new ones.
            return HealthFinding(Health.CREDENTIALS_REJECTED,
                                 f"{name} refused the stored credentials ({cause.reason}); "
                                 "enter new ones to reconnect")
        if cause.status == 401:
            return HealthFinding(Health.TOKEN_EXPIRED,
                                 f"{name} rejected the access token ({cause.reason}); "
                                 "reconnect the integration")
        if adapter.administration_gone(cause):
            return HealthFinding(Health.ADMINISTRATION_NOT_FOUND,
                                 f"{name} no longer grants access to the administration "
                                 f"({cause.reason}); reselect it or restore access")
        if cause.status is not None and cause.status >= 500:
            return HealthFinding(Health.PROVIDER_UNREACHABLE,
                                 f"{name} answered {cause.status} ({cause.reason})")
        return None
    if isinstance(cause, (requests.ConnectionError, requests.Timeout)):
        return HealthFinding(Health.PROVIDER_UNREACHABLE,
                             f"{name} could not be reached ({type(cause).__name__})")
    return None


def reconnect_steps(integration: IntegrationInfo,
                    missing: Sequence[ConnectionInfo] = ()) -> str:
    """The exact steps that make an unhealthy integration healthy again."""
    health, ref = Health(integration.health), integration.integration_id
    if health is Health.TOKEN_EXPIRED:
        return (f"Run `monitr integrations reconnect {ref}` and approve access again at "
                f"{integration.name}; the integration and its entities stay as they are and "
                "imports resume on the next run.")
    if health is Health.CREDENTIALS_REJECTED:
        return (f"Create a new API key in {integration.name}, then run `monitr integrations "
                f"reconnect {ref}` to enter it; imports resume on the next run.")
    if health is Health.ADMINISTRATION_NOT_FOUND:
        names = ", ".join(f"{c.external_name!r} (connection {c.connection_id}, entity "
                          f"{c.entity_id})" for c in missing) or "an administration"
        entity, connection = ((str(missing[0].entity_id), str(missing[0].connection_id))
                              if len(missing) == 1 else ("<entity id>", "<connection id>"))
        return (f"{names} is no longer visible to this login. If it was renamed or moved, run "
                f"`monitr integrations discover {ref}` and select it again into the same entity: "
                f"`monitr entities select {ref} <administration id> --entity {entity}`. If "
                f"access was withdrawn, restore it at {integration.name}. To stop importing it: "
                f"`monitr entities disconnect {connection}` (imported data is kept).")
    if health is Health.PROVIDER_UNREACHABLE:
        return ("Nothing to do for a passing outage: the next check and import try again. If it "
                f"lasts, check the integration's address ({integration.base_url or 'default'}) "
                "and the provider's status page.")
    return ""


def check_integration(control: ControlPlane, integration_id: int) -> IntegrationInfo:
    """Ask the provider which administrations the login sees; record the integration's health
    and which of its connected administrations are not found."""
    integration = control.integration_info(integration_id)
    if integration.is_deleted or integration.status == "pending_auth":
        return integration
    adapter = adapter_for(integration.provider)
    try:
        visible = {a.external_id: a.name for a in discover(control, adapter, integration_id)}
    except Exception as exc:  # noqa: BLE001 - classified below; anything else is re-raised
        finding = classify_failure(adapter, first_cause(
            exc, (ProviderError, ReconnectRequired, requests.RequestException)))
        if finding is None:
            raise
        if finding.health is Health.ADMINISTRATION_NOT_FOUND:
            # Discovery itself asked about the administration (QuickBooks: one company a
            # consent) and was told it is gone: none of the connected ones is visible.
            control.record_visible_administrations(integration_id, {})
        control.set_health(integration_id, finding.health.value, finding.reason)
        return control.integration_info(integration_id)
    return record_discovery(control, integration_id, visible)


def record_discovery(control: ControlPlane, integration_id: int, visible: Mapping[str, str]
                     ) -> IntegrationInfo:
    """What a successful discovery (id -> name) says: the login works, and each connected
    administration it no longer lists is not found."""
    missing = control.record_visible_administrations(integration_id, visible)
    if missing:
        names = ", ".join(repr(c.external_name) for c in missing)
        name = control.integration_info(integration_id).name
        control.set_health(integration_id, Health.ADMINISTRATION_NOT_FOUND.value,
                           f"{name} no longer lists {names} for this login")
    else:
        control.set_health(integration_id, Health.HEALTHY.value)
    return control.integration_info(integration_id)
