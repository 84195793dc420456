"""How the sandbox ledgers' accounts and journals look in Odoo: account types (Odoo 17+ values)
and the journals Odoo creates with a chart (INV, BILL, BNK1, MISC)."""

from __future__ import annotations

from monitr_sandbox.ledger import Account

# Ledger category -> account.account account_type (Odoo 17+ selection values).
ACCOUNT_TYPES = {
    "buildings": "asset_fixed", "equipment": "asset_fixed", "accumulated_depreciation": "asset_fixed",
    "share_capital": "equity", "retained_earnings": "equity",
    "loan": "liability_non_current",
    "cash": "asset_cash", "bank": "asset_cash",
    "inventory": "asset_current", "vat_recoverable": "asset_current", "suspense": "asset_current",
    "receivables": "asset_receivable", "prepaid": "asset_prepayments",
    "payables": "liability_payable",
    "vat_payable": "liability_current", "wages_payable": "liability_current",
    "wage_taxes_payable": "liability_current",
    "depreciation": "expense_depreciation", "cost_of_goods": "expense_direct_cost",
    "revenue_rent": "income_other", "interest_income": "income_other",
}


def account_type(account: Account) -> str:
    if account.category in ACCOUNT_TYPES:
        return ACCOUNT_TYPES[account.category]
    return "income" if account.account_type == "revenue" else "expense"


# Ledger journal type -> (Odoo journal code, type, name). Odoo books opening balances in the
# miscellaneous journal and has no year-opening entries (balances roll forward by themselves).
JOURNALS = {
    "sales": ("INV", "sale", "Customer Invoices"),
    "purchase": ("BILL", "purchase", "Vendor Bills"),
    "bank": ("BNK1", "bank", "Bank"),
    "general": ("MISC", "general", "Miscellaneous Operations"),
}
JOURNAL_OF_LEDGER_TYPE = {"sales": "sales", "purchase": "purchase", "bank": "bank",
                          "general": "general", "opening": "general"}

# Ledger entry type -> account.move move_type.
MOVE_TYPES = {"sales": "out_invoice", "sales_credit": "out_refund", "purchase": "in_invoice"}

# Analytic plans (global in Odoo 17+) and the ledger dimension each one carries.
PLANS = ((1, "Cost Centres", "cost_centre"), (2, "Cost Units", "cost_unit"),
         (3, "Projects", "project_code"))
