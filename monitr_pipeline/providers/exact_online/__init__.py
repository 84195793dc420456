"""Exact Online (NL, BE, UK, ...): OAuth2, OData v2 REST, sync API with Timestamps and deletions."""

from monitr_pipeline.providers.exact_online.adapter import ExactOnlineAdapter
from monitr_pipeline.providers.exact_online.spec import SPEC

ADAPTER = ExactOnlineAdapter()

__all__ = ["ADAPTER", "SPEC", "ExactOnlineAdapter"]
