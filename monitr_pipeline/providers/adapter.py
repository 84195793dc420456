"""What a provider needs beyond its spec: its error shapes, quotas, credentials and discovery,
and readers for the few endpoints no declaration can describe."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.ingestion.transports import Transport
from monitr_pipeline.ingestion.transports.rest import REST
from monitr_pipeline.providers.spec import Endpoint, ProviderSpec


class Reader(Protocol):
    """An adapter method named by `Endpoint.reader`: the endpoint's raw pages, for one entity
    from `cursor_value` on, when they are not one declared request followed page by page
    (QuickBooks' ledger report a month at a time, Twinfield's browse windows)."""

    def __call__(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                 run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]: ...


class Windows(Protocol):
    """An adapter method named by `Endpoint.windows` (WINDOWED): the windows to read in this run,
    given those earlier imports read (`read_before`): typically every window not read yet (a new
    fiscal year) and those that can still change (open years). Names are the adapter's own
    ("2025", "2025-01"); the engine only keeps and compares them."""

    def __call__(self, client: Any, endpoint: Endpoint, read_before: Sequence[str],
                 run: ImportRunContext, hooks: dict[str, Any]) -> Sequence[str]: ...


class WindowReader(Protocol):
    """An adapter method named by `Endpoint.reader` of a WINDOWED endpoint: the raw pages of
    one window, whole (every record the provider holds in it now)."""

    def __call__(self, client: Any, endpoint: Endpoint, window: str,
                 run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]: ...


@dataclass(frozen=True)
class Administration:
    """An administration (division, tenant, dossier, ...) a login can see at the provider."""

    external_id: str
    name: str
    country: str | None = None
    currency: str | None = None
    # The entity the provider says the administration belongs to, for providers that keep such a
    # link (ProviderAdapter.links_entities): the reference (ControlPlane.entity_reference) stored
    # there when it was linked. Selection joins that entity without asking.
    entity_hint: str | None = None


class ProviderError(requests.HTTPError):
    """The provider answered with an error; `reason` is its own words, parsed from its error shape.

    An HTTPError carrying its response, so dlt's retry policy still sees a 429's status and
    Retry-After (and a 5xx's status) and retries; other statuses fail at once.
    """

    def __init__(self, message: str, *, status: int | None = None, reason: str | None = None,
                 response: requests.Response | None = None):
        super().__init__(message, response=response)
        self.status = status
        self.reason = reason


class ProviderAdapter:
    """Base class of a provider's quirks. Subclasses override only what no declaration in the
    spec can say (its error shapes, quotas, discovery); how it writes values is its spec's
    `wire`."""

    spec: ProviderSpec
    # How the provider's pages travel (ingestion/transports): REST JSON unless it says otherwise.
    transport: Transport = REST
    default_headers: Mapping[str, str] = {"Accept": "application/json"}

    def base_url(self, environment: str | None, override: str | None) -> str:
        """The provider's host for an environment, or the integration's override (e.g. an emulator)."""
        if override:
            return override.rstrip("/")
        env = environment or self.spec.default_environment
        try:
            return self.spec.environments[env].rstrip("/")
        except KeyError as exc:
            known = ", ".join(sorted(self.spec.environments))
            raise ValueError(f"{self.spec.name} has no environment {env!r} (known: {known})") from exc

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        raise NotImplementedError

    def tenant_headers(self, external_id: str) -> dict[str, str]:
        """Headers that name the administration on every call (Xero's tenant id header)."""
        return {}

    def entity_auth(self, auth: requests.auth.AuthBase, base_url: str, external_id: str
                    ) -> requests.auth.AuthBase:
        """The auth of one entity's calls, given the integration's (`auth`): the integration's
        own unless the provider also wants a token per administration (obtained with the
        integration's token, and sent beside or instead of it on that administration's calls)."""
        return auth

    def entity_client(self, base_url: str, external_id: str) -> Any | None:
        """What the transport reads an entity through, when it is not the authenticated REST
        client the import builds by default (None): an upload's folder for the files transport."""
        return None

    def initial_cursor(self, endpoint: Endpoint) -> Any:
        """The cursor's first value: declared, or computed when the import starts (a date
        relative to today)."""
        value = endpoint.initial_value
        return value() if callable(value) else value

    def callback_credentials(self, callback_url: str) -> dict[str, Any]:
        """What an OAuth2 consent redirect carries besides the code that must be kept with the
        tokens (QuickBooks names the company consented for: `realmId`)."""
        return {}

    # Credentials other than OAuth2 (API keys, session tokens) -------------------------------------
    def credentials_auth(self, credentials: Mapping[str, Any], base_url: str
                         ) -> requests.auth.AuthBase:
        """requests auth for an integration whose auth kind is not oauth2."""
        raise NotImplementedError(f"{self.spec.name} has no credentials auth")

    def seconds_to_wait(self, response: requests.Response) -> float:
        """How long to pause, after a successful answer, before the next call so the provider's
        quota is not exceeded (its remaining-calls headers say the budget is spent)."""
        return 0.0

    def retryable(self, response: requests.Response) -> bool:
        """Whether a 429 or 5xx answer may succeed when asked again; False for a provider's
        answer that says the same however often it is asked (a SOAP client fault sent as a 500)."""
        return True

    def retry_wait(self, response: requests.Response) -> float | None:
        """How long to wait before retrying a retryable answer that has no Retry-After, when the
        provider's own rules say (a throttle window); None for the shared backoff."""
        return None

    def error_reason(self, response: requests.Response) -> str:
        """The provider's own error message from its error body."""
        return response.text[:300]

    def administration_gone(self, error: ProviderError) -> bool:
        """Whether the error says the login no longer sees the administration (removed, or access
        withdrawn), as opposed to a broken token or a bad request."""
        return False

    def endpoint_unreadable(self, error: ProviderError) -> bool:
        """Whether the error says this connection may not read this one endpoint (a scope not
        granted, a module not licensed), so an optional endpoint is skipped and the rest loads."""
        return error.status in (403, 404) and not self.administration_gone(error)

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        raise NotImplementedError

    # Links to our entities, kept at the provider ----------------------------------------------------
    # Whether the provider stores, per administration, which of our entities it belongs to
    # (discovery reports it as Administration.entity_hint).
    links_entities: bool = False

    def link_entities(self, session: requests.Session, base_url: str,
                      links: Sequence[tuple[Administration, str]]) -> None:
        """Store at the provider the entity reference of each administration (links_entities)."""
        raise NotImplementedError(f"{self.spec.name} keeps no links to our entities")
