"""QuickBooks Online (Intuit): OAuth2 per company (realm), the v3 query language, change data capture."""

from monitr_pipeline.providers.quickbooks.adapter import QuickBooksAdapter
from monitr_pipeline.providers.quickbooks.spec import SPEC

ADAPTER = QuickBooksAdapter()

__all__ = ["ADAPTER", "SPEC", "QuickBooksAdapter"]
