"""An upload folder in tmp_path, written file by file as a test needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

ACCOUNTS = (
    "code;name;statement;normal_balance\r\n"
    "1100;Bank;balans;debet\r\n"
    "1300;Debiteuren;B;D\r\n"
    "1500;Te betalen btw;B;C\r\n"
    "4000;Personeelskosten;W;D\r\n"
    "8000;Omzet;W&V;Credit\r\n"
)


class Upload:
    """`<tmp>/uploads/<administration>/<file>`; files given as text are encoded as asked."""

    def __init__(self, root: Path):
        self.folder = root / "uploads"

    def write(self, name: str, content: str | bytes, encoding: str = "utf-8",
              administration: str = "Adm") -> Path:
        path = self.folder / administration / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path


@pytest.fixture
def upload(tmp_path: Path) -> Upload:
    return Upload(tmp_path)


@pytest.fixture
def with_accounts(upload: Upload) -> Upload:
    upload.write("accounts.csv", ACCOUNTS)
    return upload
