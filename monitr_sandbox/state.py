"""What an emulator keeps across restarts: OAuth codes and tokens, the day, administrations removed.

The ledger is not stored: it is regenerated from its seed and replayed to the stored day.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

_VERSION = 1


class SandboxState:
    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self.data: dict[str, Any] = {"version": _VERSION, "day": 0, "oauth": {}}
        if self.path and self.path.exists():
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("version") != _VERSION:
                raise ValueError(f"{self.path}: unknown sandbox state version {stored.get('version')!r}")
            self.data.update(stored)

    @property
    def day(self) -> int:
        return self.data["day"]

    @day.setter
    def day(self, value: int) -> None:
        self.data["day"] = value

    @property
    def oauth(self) -> dict[str, Any]:
        return self.data["oauth"]

    def save(self) -> None:
        """Write atomically, so a crash mid-write never leaves a half file behind."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(self.data, file, indent=1, sort_keys=True)
        os.replace(temporary, self.path)
