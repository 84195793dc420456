"""Provider-neutral sandbox ledgers: NL/BE charts of accounts and a deterministic ledger generator."""

from monitr_sandbox.ledger.balances import balances, closing_positions
from monitr_sandbox.ledger.booking import Posting, UnbalancedEntry
from monitr_sandbox.ledger.charts import BE_CHART, NL_CHART, Account, Chart, chart_for
from monitr_sandbox.ledger.generator import generate_ledger
from monitr_sandbox.ledger.model import (
    AdministrationProfile,
    DayChanges,
    Entry,
    Ledger,
    Line,
    OpenItem,
    Relation,
)
from monitr_sandbox.ledger.mutations import add_entry, apply_day, change_line, delete_entry
from monitr_sandbox.ledger.openitems import open_items

__all__ = [
    "BE_CHART", "NL_CHART", "Account", "AdministrationProfile", "Chart", "DayChanges", "Entry",
    "Ledger", "Line", "OpenItem", "Posting", "Relation", "UnbalancedEntry", "add_entry", "apply_day",
    "balances", "change_line", "chart_for", "closing_positions", "delete_entry", "generate_ledger",
    "open_items",
]
