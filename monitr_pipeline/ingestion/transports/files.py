"""Files: an entity's records come from its folder of uploaded files, read once per import.

The entity's client is its folder (ProviderAdapter.entity_client). The provider's own reader of a
folder (`read_folder`: folder -> table -> records) runs at the first table of an import; every
other table of it is served from that read, kept in the run's provider state, so all tables see
the same files and a bad file rejects the import before any table is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext

FolderReader = Callable[[Path], Mapping[str, list[Any]]]


class FilesTransport:
    def __init__(self, read_folder: FolderReader):
        self.read_folder = read_folder

    def pages(self, client: Path, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        key = f"files:{client}"
        if key not in run.provider_state:
            run.provider_state[key] = self.read_folder(Path(client))
        records = run.provider_state[key].get(request.endpoint.table, [])
        size = request.endpoint.page_size
        for start in range(0, len(records), size):
            yield records[start:start + size]
