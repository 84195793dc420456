"""REST JSON: GET or POST a path, follow the paginator, select the records with the data selector
(dlt's RESTClient does all three)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dlt.common.jsonpath import find_values
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.endpoint_request import EndpointRequest
from monitr_pipeline.ingestion.run_context import ImportRunContext


class RestTransport:
    def pages(self, client: RESTClient, request: EndpointRequest, hooks: dict[str, Any],
              run: ImportRunContext) -> Iterator[list[Any]]:
        for page in client.paginate(request.path, method=request.method, params=request.params,
                                    json=request.json, headers=request.headers or None,
                                    paginator=request.paginator,
                                    data_selector=request.data_selector, hooks=hooks):
            if not page and request.data_selector not in (None, "$"):
                _require_selected(page.response, request.data_selector)
            yield list(page)


def _require_selected(response: Any, data_selector: str) -> None:
    """An empty page must still be the promised envelope: a broken body would otherwise read as
    'nothing changed' (and, for a snapshot, as 'everything was deleted')."""
    try:
        body = response.json()
    except ValueError:
        raise ValueError("the response is not JSON") from None
    if not find_values(data_selector, body):
        raise ValueError(f"the response has no {data_selector!r}")


REST = RestTransport()
