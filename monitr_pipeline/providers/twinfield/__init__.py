"""Twinfield (Wolters Kluwer): OpenID Connect, SOAP on the login's cluster, browse and finder."""

from monitr_pipeline.providers.twinfield.adapter import TwinfieldAdapter
from monitr_pipeline.providers.twinfield.spec import SPEC

# Not ADAPTER yet: exported under that name once the emulator, client and staging work end to end.
TWINFIELD_ADAPTER = TwinfieldAdapter()

__all__ = ["SPEC", "TWINFIELD_ADAPTER", "TwinfieldAdapter"]
