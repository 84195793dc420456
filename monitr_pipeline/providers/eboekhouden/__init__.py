"""e-Boekhouden.nl (NL): API token -> session token, limit/offset REST, mutation details read when new or
possibly changed."""

from monitr_pipeline.providers.eboekhouden.adapter import EBoekhoudenAdapter
from monitr_pipeline.providers.eboekhouden.session import ApiTokenRejected, SessionAuth
from monitr_pipeline.providers.eboekhouden.spec import SPEC

ADAPTER = EBoekhoudenAdapter()

__all__ = ["ADAPTER", "SPEC", "ApiTokenRejected", "EBoekhoudenAdapter", "SessionAuth"]
