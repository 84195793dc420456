"""Odoo (JSON-2 / JSON-RPC): companies of one database as administrations."""

from monitr_pipeline.providers.odoo.adapter import ODOO_ADAPTER, OdooAdapter
from monitr_pipeline.providers.odoo.spec import SPEC

ADAPTER = ODOO_ADAPTER

__all__ = ["ADAPTER", "SPEC", "OdooAdapter"]
