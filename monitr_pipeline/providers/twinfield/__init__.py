"""Twinfield (Wolters Kluwer): OpenID Connect, SOAP on the login's cluster, browse and finder."""

from monitr_pipeline.providers.twinfield.adapter import TwinfieldAdapter
from monitr_pipeline.providers.twinfield.spec import SPEC

ADAPTER = TwinfieldAdapter()

__all__ = ["ADAPTER", "SPEC", "TwinfieldAdapter"]
