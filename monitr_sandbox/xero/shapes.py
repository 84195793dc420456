"""Maps a provider-neutral sandbox ledger onto Xero's JSON shapes (Xero-OpenAPI 16.1 schemas).

Values are rendered as Xero sends them: `/Date(ms+0000)/` strings, money as JSON numbers, GUIDs
as text. NetAmount is signed debit positive (JournalLine schema); invoice amounts are positive.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from monitr_sandbox.ledger import Entry, Ledger, Line
from monitr_sandbox.ledger.depreciation import depreciated_until, start_date
from monitr_sandbox.ledger.ids import stable_id
from monitr_sandbox.ledger.model import FixedAsset
from monitr_sandbox.xero.tenants import Tenant

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COST_CENTRE_CATEGORY, PROJECT_CATEGORY = "Kostenplaats", "Project"

# Xero AccountType and SystemAccount by the ledger's account category; Class follows account_type.
_ACCOUNT_TYPES: dict[str, tuple[str, str | None]] = {
    "bank": ("BANK", None), "cash": ("CURRENT", None), "receivables": ("CURRENT", "DEBTORS"),
    "inventory": ("INVENTORY", None), "prepaid": ("PREPAYMENT", None),
    "vat_recoverable": ("CURRENT", None), "suspense": ("CURRENT", None),
    "buildings": ("FIXED", None), "equipment": ("FIXED", None),
    "accumulated_depreciation": ("FIXED", None), "payables": ("CURRLIAB", "CREDITORS"),
    "vat_payable": ("CURRLIAB", "GST"), "wages_payable": ("CURRLIAB", "WAGEPAYABLES"),
    "wage_taxes_payable": ("CURRLIAB", None), "loan": ("TERMLIAB", None),
    "share_capital": ("EQUITY", None), "retained_earnings": ("EQUITY", "RETAINEDEARNINGS"),
    "cost_of_goods": ("DIRECTCOSTS", None), "depreciation": ("DEPRECIATN", None),
    "interest_income": ("OTHERINCOME", None),
}
_DEFAULT_TYPES = {"revenue": "REVENUE", "expense": "EXPENSE", "asset": "CURRENT",
                  "liability": "CURRLIAB", "equity": "EQUITY"}
_CLASSES = {"asset": "ASSET", "liability": "LIABILITY", "equity": "EQUITY", "revenue": "REVENUE",
            "expense": "EXPENSE"}
_INVOICE_SOURCES = {"sales": "ACCREC", "sales_credit": "ACCRECCREDIT", "purchase": "ACCPAY"}


def ms_timestamp(moment: datetime) -> str:
    milliseconds = round((moment.astimezone(UTC) - _EPOCH) / timedelta(milliseconds=1))
    return f"/Date({milliseconds}+0000)/"


def from_ms(value: str) -> datetime:
    """The instant of a `/Date(ms+0000)/` value this module wrote."""
    milliseconds = int(value[len("/Date("):].split("+")[0].split(")")[0])
    return _EPOCH + timedelta(milliseconds=milliseconds)


def ms_date(day: date) -> str:
    return ms_timestamp(datetime.combine(day, time(0), UTC))


def iso_midnight(day: date | None) -> str | None:
    """How the Assets API (and Invoices' DateString) write a date."""
    return f"{day.isoformat()}T00:00:00" if day else None


def money(amount: Decimal) -> float:
    return float(amount)


def posted_at(day: date, hour: int = 17) -> datetime:
    """When the sandbox pretends a booking was entered: that day at `hour` UTC."""
    return datetime.combine(day, time(hour), UTC)


def financial_year_start(tenant: Tenant, day: date) -> date:
    """First day of the financial year containing `day`, from the year-end month (day = month end)."""
    end_month = tenant.year_end_month
    year = day.year if day.month > end_month else day.year - 1
    last = date(year, end_month, calendar.monthrange(year, end_month)[1])
    return last + timedelta(days=1)


class XeroShapes:
    """Xero records for one tenant's ledger."""

    def __init__(self, ledger: Ledger, tenant: Tenant):
        self.ledger, self.tenant = ledger, tenant
        self.code = ledger.profile.code
        self.created = posted_at(date(ledger.profile.fiscal_years[0] - 1, 12, 15), 9)
        self._centres = {c.code: c for c in ledger.cost_centres}
        self._projects = {p.code: p for p in ledger.projects}
        vat_codes = ledger.chart.vat_codes
        # Rates a Global organisation defines itself are named TAX001, TAX002, ...
        self._tax_types = {v.code: f"TAX{index:03d}" for index, v in enumerate(vat_codes, start=1)}

    def _id(self, kind: str, *key: object) -> str:
        return str(stable_id(self.code, kind, *key))

    # --- settings ----------------------------------------------------------------------------
    def organisation(self) -> dict[str, Any]:
        tenant = self.tenant
        return {
            "OrganisationID": tenant.tenant_id,
            "APIKey": self._id("apikey").replace("-", "")[:30].upper(),
            "Name": tenant.name, "LegalName": tenant.name, "PaysTax": True, "Version": "GLOBAL",
            "OrganisationType": "COMPANY", "BaseCurrency": tenant.currency,
            "CountryCode": tenant.country, "IsDemoCompany": False, "OrganisationStatus": "ACTIVE",
            "FinancialYearEndDay": tenant.year_end_day,
            "FinancialYearEndMonth": tenant.year_end_month, "SalesTaxBasis": "ACCRUALS",
            "SalesTaxPeriod": "QUARTERLY", "DefaultSalesTax": "Tax Exclusive",
            "DefaultPurchasesTax": "Tax Exclusive", "CreatedDateUTC": ms_timestamp(self.created),
            "OrganisationEntityType": "COMPANY", "Timezone": tenant.timezone,
            "ShortCode": "!" + self._id("shortcode")[:5], "Edition": "BUSINESS",
            "Class": "STANDARD", "Addresses": [], "Phones": [], "ExternalLinks": [],
            "PaymentTerms": {},
        }

    def account_id(self, code: str) -> str:
        return self._id("xero-account", code)

    def account_type(self, code: str) -> tuple[str, str | None]:
        """Xero's AccountType and SystemAccount of a ledger account."""
        account = self.ledger.chart.by_code[code]
        return _ACCOUNT_TYPES.get(account.category, (_DEFAULT_TYPES[account.account_type], None))

    def accounts(self) -> list[dict[str, Any]]:
        rows = []
        for account in self.ledger.accounts:
            kind, system = self.account_type(account.code)
            row: dict[str, Any] = {
                "AccountID": self.account_id(account.code), "Code": account.code,
                "Name": account.name, "Status": "ACTIVE", "Type": kind,
                "TaxType": "NONE", "Class": _CLASSES[account.account_type],
                "EnablePaymentsToAccount": kind == "BANK", "ShowInExpenseClaims": False,
                "ReportingCode": account.rgs_code or "", "HasAttachments": False,
                "AddToWatchlist": False, "UpdatedDateUTC": ms_timestamp(self.created),
            }
            if system:
                row["SystemAccount"] = system
            if kind == "BANK":
                row.update(BankAccountNumber=f"{self.tenant.country}91BANK0{account.code}",
                           BankAccountType="BANK", CurrencyCode=self.tenant.currency)
            rows.append(row)
        return rows

    def tracking_categories(self, as_of: date) -> list[dict[str, Any]]:
        """Cost centres and projects: Xero allows two active categories. Projects that ended
        before `as_of` are archived options."""
        centres = [{"TrackingOptionID": str(c.id), "Name": f"{c.code} {c.name}", "Status": "ACTIVE"}
                   for c in self.ledger.cost_centres]
        projects = [{"TrackingOptionID": str(p.id), "Name": f"{p.code} {p.name}",
                     "Status": "ARCHIVED" if p.end_date and p.end_date < as_of else "ACTIVE"}
                    for p in self.ledger.projects]
        return [
            {"TrackingCategoryID": self._id("tracking", COST_CENTRE_CATEGORY),
             "Name": COST_CENTRE_CATEGORY, "Status": "ACTIVE", "Options": centres},
            {"TrackingCategoryID": self._id("tracking", PROJECT_CATEGORY),
             "Name": PROJECT_CATEGORY, "Status": "ACTIVE", "Options": projects},
        ]

    # --- journals ------------------------------------------------------------------------------
    def source_type(self, entry: Entry) -> str:
        if entry.entry_type in _INVOICE_SOURCES:
            return _INVOICE_SOURCES[entry.entry_type]
        if entry.entry_type == "bank":
            settled = next((line.open_item for line in entry.lines if line.open_item), None)
            if settled is not None:
                return "ACCRECPAYMENT" if settled.relation.kind == "customer" else "ACCPAYPAYMENT"
            bank = self.ledger.chart.account("bank").code
            received = sum((line.amount for line in entry.lines if line.account_code == bank),
                           Decimal(0))
            return "CASHREC" if received > 0 else "CASHPAID"
        return "MANJOURNAL"  # general, depreciation and the conversion (opening) balances

    def _tracking(self, line: Line) -> list[dict[str, Any]]:
        tracking = []
        for category, option in ((COST_CENTRE_CATEGORY, self._centres.get(line.cost_centre)),
                                 (PROJECT_CATEGORY, self._projects.get(line.project_code))):
            if option is not None:
                tracking.append({"Name": category, "Option": f"{option.code} {option.name}",
                                 "TrackingCategoryID": self._id("tracking", category),
                                 "TrackingOptionID": str(option.id)})
        return tracking

    def journal_line(self, line: Line) -> dict[str, Any]:
        account = self.ledger.chart.by_code[line.account_code]
        tax = line.vat_amount if line.vat_amount is not None else Decimal("0.00")
        row: dict[str, Any] = {
            "AccountID": self.account_id(account.code), "AccountCode": account.code,
            "AccountType": self.account_type(account.code)[0], "AccountName": account.name,
            "Description": line.description, "NetAmount": money(line.amount),
            "GrossAmount": money(line.amount + tax), "TaxAmount": money(tax),
            "TrackingCategories": self._tracking(line),
        }
        if line.vat_amount is not None:  # a taxed line; the tax itself is booked on its own line
            vat = self.ledger.chart.vat_by_code(line.vat_code)
            row.update(TaxType=self._tax_types[vat.code], TaxName=vat.description)
        return row

    def journal(self, number: int, entry: Entry, created: datetime,
                lines: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Journal `number` of `entry`, with line dicts (from journal_line, or negated ones)."""
        return {
            "JournalID": self._id("journal", number), "JournalDate": ms_date(entry.date),
            "JournalNumber": number, "CreatedDateUTC": ms_timestamp(created),
            "Reference": entry.description, "SourceID": str(entry.id),
            "SourceType": self.source_type(entry),
            "JournalLines": [{"JournalLineID": self._id("journal-line", number, index), **line}
                             for index, line in enumerate(lines, start=1)],
        }

    def reversal(self, number: int, original: dict[str, Any], created: datetime) -> dict[str, Any]:
        """Journal `number` undoing `original`: same date and source, every amount negated."""
        lines = [{**line, "JournalLineID": self._id("journal-line", number, index),
                  # + 0.0: a negated zero is written 0.0, not -0.0
                  **{k: -line[k] + 0.0 for k in ("NetAmount", "GrossAmount", "TaxAmount")}}
                 for index, line in enumerate(original["JournalLines"], start=1)]
        return {**original, "JournalID": self._id("journal", number), "JournalNumber": number,
                "CreatedDateUTC": ms_timestamp(created), "JournalLines": lines}

    # --- invoices --------------------------------------------------------------------------------
    def invoice(self, entry: Entry, *, status: str, due: Decimal, paid: Decimal,
                credited: Decimal, updated: datetime, paid_on: date | None,
                with_lines: bool) -> dict[str, Any]:
        sales = entry.entry_type == "sales"
        sign = -1 if sales else 1  # revenue lines are credits, cost lines debits
        items = [line for line in entry.lines if line.vat_amount is not None]
        subtotal = sum((sign * line.amount for line in items), Decimal("0.00"))
        tax = sum((sign * line.vat_amount for line in items), Decimal("0.00"))
        relation = entry.relation
        row: dict[str, Any] = {
            "Type": "ACCREC" if sales else "ACCPAY", "InvoiceID": str(entry.id),
            "InvoiceNumber": str(entry.invoice_number) if sales else entry.your_ref,
            "Reference": entry.description if sales else "",
            "Contact": {"ContactID": str(relation.id), "ContactNumber": relation.code,
                        "Name": relation.name},
            "Date": ms_date(entry.date), "DateString": iso_midnight(entry.date),
            "DueDate": ms_date(entry.due_date), "DueDateString": iso_midnight(entry.due_date),
            "Status": status, "LineAmountTypes": "Exclusive", "SubTotal": money(subtotal),
            "TotalTax": money(tax), "Total": money(subtotal + tax), "TotalDiscount": 0.0,
            "CurrencyCode": self.tenant.currency, "CurrencyRate": 1.0,
            "AmountDue": money(due), "AmountPaid": money(paid), "AmountCredited": money(credited),
            "IsDiscounted": False, "HasAttachments": False, "HasErrors": False,
            "SentToContact": sales, "UpdatedDateUTC": ms_timestamp(updated),
        }
        if paid_on is not None:
            row["FullyPaidOnDate"] = ms_date(paid_on)
        if with_lines:
            row["LineItems"] = [self._line_item(line, sign) for line in items]
        return row

    def _line_item(self, line: Line, sign: int) -> dict[str, Any]:
        amount = sign * line.amount
        return {
            "LineItemID": self._id("line-item", line.id), "Description": line.description,
            "Quantity": 1.0, "UnitAmount": money(amount), "LineAmount": money(amount),
            "AccountCode": line.account_code,
            "TaxType": self._tax_types[line.vat_code], "TaxAmount": money(sign * line.vat_amount),
            "Tracking": [{"TrackingCategoryID": t["TrackingCategoryID"], "Name": t["Name"],
                          "Option": t["Option"], "TrackingOptionID": t["TrackingOptionID"]}
                         for t in self._tracking(line)],
        }

    # --- fixed assets ------------------------------------------------------------------------------
    def asset(self, asset: FixedAsset, as_of: date) -> dict[str, Any]:
        """A registered asset with the book depreciation run up to `as_of`, split into what
        belongs to earlier financial years and to the current one."""
        group = self.ledger.chart.asset_group(asset.group)
        prior = depreciated_until(asset, financial_year_start(self.tenant, as_of) - timedelta(days=1))
        total = depreciated_until(asset, as_of)
        return {
            "assetId": str(asset.id), "assetName": asset.description, "assetNumber": asset.code,
            "assetTypeId": self._id("asset-type", group.code),
            "purchaseDate": iso_midnight(asset.purchase_date),
            "purchasePrice": money(asset.purchase_value), "disposalPrice": 0.0,
            "assetStatus": "Registered", "trackingItems": [],
            "bookDepreciationSetting": {
                "depreciableObjectId": str(asset.id), "depreciableObjectType": "Asset",
                "bookEffectiveDateOfChangeId": self._id("asset-change", asset.code),
                "depreciationMethod": "StraightLine", "averagingMethod": "FullMonth",
                "effectiveLifeYears": asset.life_months // 12,
                "depreciationCalculationMethod": "Life",
            },
            "bookDepreciationDetail": {
                "depreciationStartDate": iso_midnight(start_date(asset)),
                "residualValue": money(asset.residual_value),
                "priorAccumDepreciationAmount": money(prior),
                "currentAccumDepreciationAmount": money(total - prior),
                "currentCapitalGain": 0.0, "currentGainLoss": 0.0,
            },
            "taxDepreciationSettings": [], "taxDepreciationDetails": [], "canRollback": True,
            "accountingBookValue": money(asset.purchase_value - total), "taxValues": [],
            "isDeleteEnabledForDate": False,
        }
