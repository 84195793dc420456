"""The interface ingestion needs from wherever credentials are kept (the control plane)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol


class CredentialStore(Protocol):
    def load(self) -> dict[str, Any]:
        """The integration's current credentials (decrypted)."""

    def save(self, credentials: dict[str, Any]) -> None:
        """Persist new credentials at once (a rotated refresh token is lost if this is late)."""

    def lock(self) -> AbstractContextManager[None]:
        """Serialises credential refreshes of one integration across threads and processes."""

    def mark_unhealthy(self, health: str, reason: str) -> None:
        """Record that the integration needs attention (e.g. reconnecting)."""


class ReconnectRequired(RuntimeError):
    """The provider refused the stored credentials; only a new consent (reconnect) can fix it."""
