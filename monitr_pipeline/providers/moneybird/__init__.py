"""Moneybird (NL): OAuth2, REST JSON v2 per administration, synchronization API for documents."""

from monitr_pipeline.providers.moneybird.adapter import MoneybirdAdapter
from monitr_pipeline.providers.moneybird.spec import SPEC

ADAPTER = MoneybirdAdapter()

__all__ = ["ADAPTER", "SPEC", "MoneybirdAdapter"]
