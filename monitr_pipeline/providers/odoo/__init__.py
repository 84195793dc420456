"""Odoo (JSON-2 / JSON-RPC): companies of one database as administrations."""

from monitr_pipeline.providers.odoo.adapter import ODOO_ADAPTER, OdooAdapter
from monitr_pipeline.providers.odoo.spec import SPEC

# Exported as ADAPTER once the whole path (emulator, client, staging) works end to end.
__all__ = ["ODOO_ADAPTER", "SPEC", "OdooAdapter"]
