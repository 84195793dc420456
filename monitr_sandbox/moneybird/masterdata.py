"""Master data of one administration as Moneybird serves it: the administration, ledger accounts (with
their RGS taxonomy item), projects, contacts and assets, mapped from a sandbox ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from monitr_sandbox.ledger import Account, Ledger, Relation
from monitr_sandbox.ledger.booking import money as cents
from monitr_sandbox.ledger.depreciation import schedule
from monitr_sandbox.ledger.model import FixedAsset, Project
from monitr_sandbox.moneybird.administrations import Administration
from monitr_sandbox.moneybird.ids import moneybird_id
from monitr_sandbox.moneybird.wire import local_time, money, timestamp, version_of

RGS_VERSION = "3.5"
# Moneybird's account_type of the sandbox's account categories; the rest follow the account's kind.
_ACCOUNT_TYPES = {
    "buildings": "non_current_assets", "equipment": "non_current_assets",
    "accumulated_depreciation": "non_current_assets", "loan": "non_current_liabilities",
    "cost_of_goods": "direct_costs", "interest": "other_income_expenses",
    "interest_income": "other_income_expenses", "suspense": "temporary",
}
_KIND_TYPES = {"asset": "current_assets", "liability": "current_liabilities", "equity": "equity",
               "revenue": "revenue", "expense": "expenses"}
# Which documents may book on an account (compare the spec's example chart).
_ALLOWED = {
    "revenue": ["sales_invoice", "financial_mutation", "general_journal_document"],
    "expenses": ["purchase_invoice", "financial_mutation", "general_journal_document"],
    "direct_costs": ["purchase_invoice", "financial_mutation", "general_journal_document"],
    "non_current_assets": ["purchase_invoice", "financial_mutation", "general_journal_document"],
}
_BOOKINGS_ONLY = ["financial_mutation", "general_journal_document"]


def created_at(ledger: Ledger) -> datetime:
    """When the sandbox pretends the administration was set up: before its first fiscal year."""
    return local_time(date(ledger.profile.fiscal_years[0] - 1, 12, 15), 9, 30)


class MasterData:
    """Ids and records of the administration's reference data; documents point at these ids."""

    def __init__(self, administration: Administration, ledger: Ledger):
        self.administration, self.ledger = administration, ledger
        self.created = created_at(ledger)
        self.bank_code = ledger.chart.account("bank").code

    def id(self, kind: str, *key: object) -> str:
        return moneybird_id(self.administration.id, kind, *key)

    def account_id(self, code: str) -> str:
        return self.id("ledger_account", code)

    def contact_id(self, relation: Relation) -> str:
        return self.id("contact", relation.code)

    def project_id(self, code: str | None) -> str | None:
        return self.id("project", code) if code else None

    def tax_rate_id(self, vat_code: str) -> str:
        return self.id("tax_rate", vat_code)

    @property
    def financial_account_id(self) -> str:
        return self.id("financial_account", self.bank_code)

    # --- records ------------------------------------------------------------------------------
    def administration_record(self) -> dict:
        a = self.administration
        return {"id": a.id, "name": a.name, "language": a.language, "currency": a.profile.currency,
                "country": a.profile.country, "time_zone": a.time_zone, "access": "user",
                "suspended": False, "period_locked_until": None,
                "period_start_date": a.period_start_date.isoformat()}

    def ledger_accounts(self) -> list[dict]:
        return [self._ledger_account(account) for account in self.ledger.accounts]

    def _ledger_account(self, account: Account) -> dict:
        account_type = _ACCOUNT_TYPES.get(account.category, _KIND_TYPES[account.account_type])
        is_bank = account.code == self.bank_code
        return {
            "id": self.account_id(account.code), "administration_id": self.administration.id,
            "name": account.name, "account_type": account_type, "account_id": account.code,
            "parent_id": None, "active": True, "created_at": timestamp(self.created),
            "updated_at": timestamp(self.created),
            "allowed_document_types": ["general_journal_document"] if is_bank
            else _ALLOWED.get(account_type, _BOOKINGS_ONLY),
            "taxonomy_item": {"taxonomy_version": RGS_VERSION, "code": account.rgs_code,
                              "name": account.name, "name_english": None, "reference": None},
            "financial_account_id": self.financial_account_id if is_bank else None,
        }

    def projects(self, today: date) -> list[dict]:
        return [self._project(p, today) for p in self.ledger.projects]

    def _project(self, project: Project, today: date) -> dict:
        # Moneybird projects have no dates: one that ended is archived.
        ended = project.end_date is not None and project.end_date < today
        budget = None if project.kind == "non_billable" else 5000 * (1 + project.start_date.month % 4)
        return {"id": self.project_id(project.code), "name": project.name,
                "state": "archived" if ended else "active", "budget": budget}

    def contact(self, relation: Relation) -> dict:
        email = f"administratie@{relation.code}.example.nl"
        return {
            "id": self.contact_id(relation), "administration_id": self.administration.id,
            "company_name": relation.name, "firstname": None, "lastname": None, "address1": None,
            "address2": None, "zipcode": None, "city": None, "country": "NL", "phone": None,
            "delivery_method": "Email", "customer_id": relation.code, "tax_number": None,
            "chamber_of_commerce": None, "bank_account": None, "is_trusted": False,
            "max_transfer_amount": None, "attention": None, "email": email, "email_ubl": True,
            "send_invoices_to_attention": None, "send_invoices_to_email": email,
            "send_estimates_to_attention": None, "send_estimates_to_email": email,
            "direct_debit": False, "sepa_active": False, "sepa_iban": None,
            "sepa_iban_account_name": None, "sepa_bic": None, "sepa_mandate_id": None,
            "sepa_mandate_date": None, "sepa_sequence_type": "RCUR", "credit_card_number": None,
            "credit_card_reference": None, "credit_card_type": None,
            "tax_number_validated_at": None, "tax_number_valid": None, "invoice_workflow_id": None,
            "estimate_workflow_id": None, "si_identifier": None, "si_identifier_type": None,
            "moneybird_payments_mandate": False, "created_at": timestamp(self.created),
            "updated_at": timestamp(self.created), "version": version_of(self.created),
            "sales_invoices_url": f"https://moneybird.com/{self.administration.id}/sales_invoices/"
                                  f"{self.contact_id(relation)}",
            "notes": [], "custom_fields": [], "contact_people": [], "archived": False,
        }

    def assets(self, sources: dict[str, dict]) -> list[dict]:
        """Assets as of the last booking date (depreciation is booked up to it). Their value changes
        are booked by memorial entries, hence `externally_booked`; `sources` maps an asset code to
        the document line that bought it (a purchase detail or an opening-balance entry)."""
        as_of = self.ledger.profile.last_booking_date
        return [self._asset(asset, as_of, sources.get(asset.code))
                for asset in self.ledger.fixed_assets]

    def _asset(self, asset: FixedAsset, as_of: date, source: dict | None) -> dict:
        asset_id = self.id("asset", asset.code)
        group = self.ledger.chart.asset_group(asset.group)
        charges = [(when, amount) for when, amount in schedule(asset) if when <= as_of]
        monthly = money(cents((asset.purchase_value - asset.residual_value) / asset.life_months))
        return {
            "id": asset_id, "ledger_account_id": self.account_id(group.cost_account),
            "name": asset.description, "purchase_date": asset.purchase_date.isoformat(),
            "purchase_value": money(asset.purchase_value),
            "calculated_purchase_value": money(asset.purchase_value),
            "current_value": money(asset.purchase_value - sum((a for _, a in charges), Decimal(0))),
            "value_change_plan": {"lifespan_in_years": asset.life_months // 12,
                                  "residual_value": money(asset.residual_value), "active": True,
                                  "monthly_depreciation": monthly},
            "disposal": None,
            "value_changes": [{"type": "linear", "date": when.isoformat(), "amount": money(-amount),
                               "description": f"Afschrijving {when:%m-%Y}", "externally_booked": True,
                               "asset_id": asset_id} for when, amount in charges],
            "sources": [{"id": self.id("asset_source", asset.code), "asset_id": asset_id, **source}]
            if source else [],
            "reinvestment_reserve_purchase": None,
        }
