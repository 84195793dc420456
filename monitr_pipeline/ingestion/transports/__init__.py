"""How an endpoint's pages travel: one small module per protocol.

A transport turns an EndpointRequest (the endpoint's declaration resolved for one entity and
cursor) into raw pages, lists of records as the provider sends them. Everything else (types,
required fields, cursors, deletions) is the engine's (ingestion/source.py), the same for every
protocol. Errors the provider returns (an HTTP status, or a fault inside a 200) are raised as
ProviderError; a body that is not what the protocol promises raises ValueError, which the engine
reports as a malformed page naming the entity, the endpoint and the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext


class Transport(Protocol):
    def pages(self, client: Any, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        """The endpoint's records, a page at a time. `client` is what the entity's import built
        for this transport (a RESTClient for HTTP; a folder for files); what a transport keeps
        for the rest of the run (a session, a parsed upload) goes in `run.provider_state`."""
        ...
