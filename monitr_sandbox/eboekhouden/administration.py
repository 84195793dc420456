"""The sandbox's e-Boekhouden administration: one small Dutch business behind one API token."""

from __future__ import annotations

from monitr_sandbox.ledger import AdministrationProfile
from monitr_sandbox.ledger.ids import stable_id

# e-Boekhouden's customers are small businesses: a bicycle shop selling bikes (21 % VAT) and
# repairing them (9 %), renting its shop, without staff. Small enough that the first import's detail
# call per mutation stays fast; both VAT rates exercise e-Boekhouden's VAT ledger categories.
SANDBOX_ADMINISTRATION = AdministrationProfile(
    "EB0417", "Fietsenmakerij De Boer", "NL", seed=417_001,
    sales_invoices_per_month=8, purchase_invoices_per_month=5, avg_sales_amount=1400,
    avg_purchase_amount=450, monthly_wages=0, monthly_rent=850, equipment_items=3,
    loan_amount=15_000, revenue_categories=("revenue_high", "revenue_low", "revenue_services"),
    purchase_categories=("cost_of_goods", "energy", "maintenance", "other_costs"),
)

# The administration's GUID as GET /v1/administration shows it (AdministrationListItem.guid).
ADMINISTRATION_GUID = str(stable_id(SANDBOX_ADMINISTRATION.code, "eboekhouden", "administration"))
