"""Credentials at rest: Fernet-encrypted JSON, key from the environment or an owner-only key file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, MultiFernet


def load_or_create_key(key_path: Path) -> str:
    if key_path.exists():
        return key_path.read_text().strip()
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    # O_EXCL: two processes racing to create the key must not end up with different keys.
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class CredentialCipher:
    """Encrypts credential dicts; several comma-separated keys allow rotation (first one encrypts)."""

    def __init__(self, keys: str):
        self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])

    def encrypt(self, credentials: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(credentials, sort_keys=True).encode())

    def decrypt(self, token: bytes) -> dict[str, Any]:
        return json.loads(self._fernet.decrypt(token))

    def __repr__(self) -> str:
        return "CredentialCipher(<keys hidden>)"
