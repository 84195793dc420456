"""Every provider the pipeline knows, found by package: `providers/<slug>/` exporting ADAPTER.

Adding a provider adds its package; nothing here (or in the asset factory) changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import monitr_pipeline.providers as providers_package
from monitr_pipeline.providers.adapter import ProviderAdapter


@cache
def adapters() -> dict[str, ProviderAdapter]:
    found: dict[str, ProviderAdapter] = {}
    for module in pkgutil.iter_modules(providers_package.__path__):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"{providers_package.__name__}.{module.name}")
        adapter = getattr(package, "ADAPTER", None)
        if adapter is not None:
            if adapter.spec.slug != module.name:
                raise ValueError(f"provider package {module.name} declares slug {adapter.spec.slug}")
            found[module.name] = adapter
    return dict(sorted(found.items()))


def adapter_for(slug: str) -> ProviderAdapter:
    try:
        return adapters()[slug]
    except KeyError:
        raise KeyError(f"unknown provider {slug!r}; known: {', '.join(adapters())}") from None
