"""Xero: OAuth2 with PKCE, a tenant header on every call, immutable journals read by offset."""

from monitr_pipeline.providers.xero.adapter import XeroAdapter
from monitr_pipeline.providers.xero.spec import SPEC

ADAPTER = XeroAdapter()

__all__ = ["ADAPTER", "SPEC", "XeroAdapter"]
