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

from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest


class Transport(Protocol):
    def pages(self, client: RESTClient, request: EndpointRequest,
              hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The endpoint's records, a page at a time."""
        ...
