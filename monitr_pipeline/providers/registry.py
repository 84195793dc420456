"""Every provider the pipeline knows, by slug (the slug is the name of its spec package)."""

from __future__ import annotations

from functools import cache

from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.exact_online import ExactOnlineAdapter


@cache
def adapters() -> dict[str, ProviderAdapter]:
    instances = [ExactOnlineAdapter()]
    return {adapter.spec.slug: adapter for adapter in instances}


def adapter_for(slug: str) -> ProviderAdapter:
    try:
        return adapters()[slug]
    except KeyError:
        raise KeyError(f"unknown provider {slug!r}; known: {', '.join(sorted(adapters()))}") from None
