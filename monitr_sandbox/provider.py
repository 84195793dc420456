"""How the sandbox finds, starts and connects each provider's emulator: `sandbox/<slug>/` exports
SANDBOX, an instance of a SandboxProvider subclass. Adding a provider adds its package."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from monitr_pipeline.control.service import ControlPlane


class SandboxProvider:
    slug: str
    # One emulator per environment (e.g. Exact's NL and BE hosts); a single "default" otherwise.
    environments: tuple[str, ...] = ("default",)
    # Fixed ports for the demo and the Dagster UI, by environment; tests pass their own (0).
    default_ports: dict[str, int] = {}
    # The app registration (client id, secret) the emulator knows, for OAuth2 providers: what
    # `monitr connect --sandbox` uses instead of MONITR_<PROVIDER>_CLIENT_ID/_SECRET.
    oauth_app: tuple[str, str] | None = None
    # The registration's further settings the emulator wants on every call, by the names the
    # provider's OAuth2Spec.app_headers gives them (Nmbrs' subscription_key).
    oauth_app_settings: dict[str, str] = {}

    def demo_environment(self, environment: str | None) -> str:
        """The environment asked for, else the first this sandbox serves (QuickBooks': Intuit's
        sandbox, not production)."""
        return environment or self.environments[0]

    def demo_url(self, environment: str) -> str:
        """Where `monitr sandbox` serves this environment: its fixed demo port on 127.0.0.1."""
        port = self.default_ports.get(environment)
        if port is None:
            raise LookupError(f"the sandbox has no {self.slug} environment {environment!r}")
        return f"http://127.0.0.1:{port}"

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> Any:
        """The emulator's state object; `relaxed_limits` raises quotas so tests run at speed."""
        raise NotImplementedError

    def wsgi_app(self, emulator: Any) -> Any:
        """The emulator's WSGI app, served on 127.0.0.1; None for providers with no API (CSV)."""
        raise NotImplementedError

    def close(self, emulator: Any) -> None:
        """Stop what the emulator runs besides its WSGI app (Twinfield's cluster servers)."""

    def location(self, emulator: Any) -> str:
        """Where a provider without an API keeps its data (e.g. a folder of uploaded files)."""
        raise NotImplementedError

    def credentials_handout(self, emulator: Any, state_dir: Path) -> str | None:
        """For providers whose users paste a key: where the sandbox user finds the one to give
        `monitr connect` (a file only its owner can read: the key itself is never printed)."""
        return None

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: Any) -> int:
        """Connect the sandbox organisation the way a user would (OAuth consent, API key, upload)
        and return the integration id; discovery and selection follow generically."""
        raise NotImplementedError


@cache
def sandbox_providers() -> dict[str, SandboxProvider]:
    import monitr_sandbox as sandbox_package

    found = {}
    for module in pkgutil.iter_modules(sandbox_package.__path__):
        if module.ispkg:
            package = importlib.import_module(f"{sandbox_package.__name__}.{module.name}")
            provider = getattr(package, "SANDBOX", None)
            if provider is not None:
                found[provider.slug] = provider
    return dict(sorted(found.items()))
