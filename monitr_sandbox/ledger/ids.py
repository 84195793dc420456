"""Stable GUIDs for ledger objects: the same administration and key always give the same UUID."""

from __future__ import annotations

import hashlib
import uuid

# A fixed namespace so ids survive regeneration, restarts and machines (uuid5 = SHA-1 of name).
_NAMESPACE = uuid.UUID("6f1c7d5e-2b9a-4e63-9a41-0c8e5d2f7b10")
_NAMESPACE_BYTES = _NAMESPACE.bytes


def stable_id(admin_code: str, kind: str, *key: object) -> uuid.UUID:
    """uuid.uuid5(_NAMESPACE, "admin/kind/key...") computed as the standard library does, minus
    re-deriving the namespace's bytes for each of the few ids every booked line needs."""
    name = "/".join([admin_code, kind, *map(str, key)])
    return uuid.UUID(bytes=hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16], version=5)


def entry_id(admin_code: str, entry_number: int) -> uuid.UUID:
    return stable_id(admin_code, "entry", entry_number)


def line_id(admin_code: str, entry_number: int, line_number: int) -> uuid.UUID:
    return stable_id(admin_code, "line", entry_number, line_number)
