"""CSV import quirks: no HTTP at all. The entity's client is its administration folder; the files
transport reads and validates the folder once per import (upload.py) and pages its records; there
are no credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from monitr_pipeline.ingestion.transports.files import FilesTransport
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter
from monitr_pipeline.providers.csv_import.spec import SPEC
from monitr_pipeline.providers.csv_import.upload import (
    administration_folder,
    administrations,
    folder_path,
    load_administration,
)


class NoAuth(requests.auth.AuthBase):
    """Uploaded files need no credentials."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


def read_folder(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table's records of one administration folder, validated together."""
    return load_administration(folder.parent, folder.name).records


class CsvImportAdapter(ProviderAdapter):
    spec = SPEC
    transport = FilesTransport(read_folder)

    def base_url(self, environment: str | None, override: str | None) -> str:
        if not override:
            raise ValueError("a CSV import integration needs its upload folder as base_url")
        return str(folder_path(override))

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return str(administration_folder(folder_path(base_url), external_id))

    def entity_client(self, base_url: str, external_id: str) -> Path:
        return Path(self.tenant_base_url(base_url, external_id))

    def credentials_auth(self, credentials: Any, base_url: str) -> requests.auth.AuthBase:
        return NoAuth()

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The administration folders in the upload folder (the folder name is the identity)."""
        return [Administration(name, name) for name in administrations(folder_path(base_url))]
