"""An endpoint's declaration, resolved for one entity and one cursor value: what is sent.

The placeholders are dlt rest_api's ({incremental.start_value}); see providers/spec.py.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from dlt.sources.helpers.rest_client.paginators import BasePaginator, SinglePagePaginator

from monitr_pipeline.providers.spec import Endpoint, ProviderSpec

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class EndpointRequest:
    endpoint: Endpoint
    path: str
    method: str
    params: dict[str, Any]
    headers: dict[str, Any]
    json: Any
    data_selector: str | None
    paginator: BasePaginator
    # The resolved `only` filter: field -> the value a kept record has.
    only: dict[str, str]


def placeholders(endpoint: Endpoint, external_id: Any, start_value: Any,
                 keys: Sequence[Any] | None = None) -> dict[str, Any]:
    if start_value is not None and endpoint.cursor_format is not None:
        start_value = endpoint.cursor_format(start_value)
    return {
        "incremental": SimpleNamespace(start_value=start_value),
        "external_id": external_id,
        "page_size": endpoint.page_size,
        "fields": ",".join(endpoint.columns),
        "keys": None if keys is None else list(keys),
    }


def resolve(value: Any, values: Mapping[str, Any]) -> Any:
    """Placeholders filled in throughout a nested value. A string that is one placeholder only
    becomes the placeholder's value itself, keeping its type (and None)."""
    if isinstance(value, str):
        parsed = list(_FORMATTER.parse(value))
        if len(parsed) == 1 and parsed[0][0] == "" and parsed[0][1]:
            literal, name, spec, conversion = parsed[0]
            if not spec and not conversion:
                return _FORMATTER.get_field(name, (), values)[0]
        if "{" not in value:
            return value
        return value.format_map(values)
    if isinstance(value, Mapping):
        return {key: resolve(item, values) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(item, values) for item in value]
    return value


def _present(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


def endpoint_request(spec: ProviderSpec, endpoint: Endpoint, external_id: str,
                     start_value: Any = None, first_import: bool = False,
                     param_overrides: Mapping[str, Any] | None = None) -> EndpointRequest:
    values = placeholders(endpoint, spec.external_id_type(external_id), start_value)
    params = {**spec.params, **endpoint.params,
              **(endpoint.first_params if first_import else {}), **(param_overrides or {})}
    paginator = endpoint.paginator or spec.paginator
    return EndpointRequest(
        endpoint=endpoint,
        path=resolve(endpoint.path, values),
        method=endpoint.method,
        params=_present(resolve(params, values)),
        headers=_present(resolve({**spec.headers, **endpoint.headers}, values)),
        json=resolve(endpoint.json, values),
        data_selector=endpoint.data_selector or spec.data_selector,
        paginator=paginator(endpoint) if paginator else SinglePagePaginator(),
        only={key: str(value) for key, value in resolve(endpoint.only, values).items()},
    )


def key_list_request(spec: ProviderSpec, endpoint: Endpoint, external_id: str,
                     keys: Sequence[Any]) -> EndpointRequest:
    """VERSIONED: the one call that reads the records of these keys (the endpoint's `by_keys`).
    The provider's defaults apply; the endpoint's own params and headers are its version list's."""
    by_keys = endpoint.by_keys
    if by_keys is None:
        raise ValueError(f"{spec.slug}.{endpoint.table} declares no by_keys to read records with")
    values = placeholders(endpoint, spec.external_id_type(external_id), None, keys)
    return EndpointRequest(
        endpoint=endpoint,
        path=resolve(by_keys.path or endpoint.path, values),
        method=by_keys.method,
        params=_present(resolve({**spec.params, **by_keys.params}, values)),
        headers=_present(resolve(dict(spec.headers), values)),
        json=resolve(by_keys.json, values),
        data_selector=by_keys.data_selector or spec.data_selector,
        paginator=SinglePagePaginator(),
        only={},
    )
