"""CSV import quirks: no HTTP at all. Pages come from the files of the administration folder
(the entity client's base_url), read and validated once per import; there are no credentials."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.providers.adapter import Administration, ProviderAdapter
from monitr_pipeline.providers.csv_import.spec import SPEC
from monitr_pipeline.providers.csv_import.upload import (
    LoadedAdministration,
    administration_folder,
    administrations,
    folder_path,
    load_administration,
)
from monitr_pipeline.providers.spec import Endpoint


class NoAuth(requests.auth.AuthBase):
    """Uploaded files need no credentials."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class CsvImportAdapter(ProviderAdapter):
    spec = SPEC

    def __init__(self) -> None:
        # One read of the folder per import (the client lives as long as the import), so every
        # table of it sees the same files and one bad file rejects the import before any table.
        self._loaded: weakref.WeakKeyDictionary[RESTClient, LoadedAdministration] = (
            weakref.WeakKeyDictionary())

    def base_url(self, environment: str | None, override: str | None) -> str:
        if not override:
            raise ValueError("a CSV import integration needs its upload folder as base_url")
        return str(folder_path(override))

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return str(administration_folder(folder_path(base_url), external_id))

    def credentials_auth(self, credentials: Any, base_url: str) -> requests.auth.AuthBase:
        return NoAuth()

    def pages(self, client: RESTClient, endpoint: Endpoint, params: dict[str, Any],
              hooks: dict[str, Any]) -> Iterator[list[Any]]:
        loaded = self._loaded.get(client)
        if loaded is None:
            folder = folder_path(client.base_url)
            loaded = self._loaded[client] = load_administration(folder.parent, folder.name)
        records = loaded.records[endpoint.table]
        for start in range(0, len(records), endpoint.page_size):
            yield records[start:start + endpoint.page_size]

    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The administration folders in the upload folder (the folder name is the identity)."""
        return [Administration(name, name) for name in administrations(folder_path(base_url))]
