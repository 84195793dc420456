"""Maps a provider-neutral sandbox ledger onto Exact Online entities (rows of Python values).

Field names follow picqer/exact-php-client and airbyte source-exact; codes (entry Type, GL account
Type, project Type, asset Status) follow API_FACTS.md section 1 and Exact's reference pages as
quoted by those clients. Values stay Python-typed here; `odata.to_json` renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.exact_online.environments import Division
from monitr_sandbox.ledger import Entry, Ledger, Line
from monitr_sandbox.ledger.depreciation import depreciated_until, end_date, start_date
from monitr_sandbox.ledger.ids import stable_id

STATUS_PROCESSED = 50
FIRST_YEAR_OPENING, YEAR_START_OPENING = 10, 328
ENTRY_TYPES = {"sales": 20, "sales_credit": 21, "purchase": 30, "bank": 40, "depreciation": 70,
               "general": 90}
# Sales and purchase entries number their control (header) line 0 in TransactionLines.
_HEADER_LINE_TYPES = frozenset({"sales", "sales_credit", "purchase"})
GL_ACCOUNT_TYPES = {
    "cash": (10, "Cash"), "bank": (12, "Bank"), "receivables": (20, "Accounts receivable"),
    "payables": (22, "Accounts payable"), "vat_payable": (24, "VAT"), "vat_recoverable": (24, "VAT"),
    "wages_payable": (25, "Employees payables"), "prepaid": (26, "Prepaid expenses"),
    "wage_taxes_payable": (100, "Tax payables"), "buildings": (30, "Fixed assets"),
    "equipment": (30, "Fixed assets"), "accumulated_depreciation": (35, "Accumulated depreciations"),
    "inventory": (40, "Inventory"), "share_capital": (50, "Capital stock"),
    "retained_earnings": (52, "Retained earnings"), "loan": (55, "Long term debt"),
    "cost_of_goods": (111, "Cost of goods"), "depreciation": (122, "Depreciation costs"),
    "wages": (125, "Employee costs"), "social_charges": (125, "Employee costs"),
    "interest_income": (160, "Interest income"),
}
_REVENUE_TYPE, _COST_TYPE, _GENERAL_TYPE = (110, "Revenue"), (120, "Other costs"), (90, "General")
PROJECT_TYPES = {"fixed_price": (2, "Fixed price"), "time_and_material": (3, "Time and material"),
                 "non_billable": (4, "Non billable")}
ASSET_ACTIVE, ASSET_DEPRECIATED = 1, 4
RGS_SCHEME = "RGS"  # GLSchemeCode of the classification mappings; NL divisions only


@dataclass(frozen=True)
class Stamp:
    """A sync row's rowversion and its last-modified time (Amsterdam wall clock)."""

    timestamp: int
    modified: datetime


def booked_at(entry: Entry) -> datetime:
    """When the sandbox pretends an entry was entered: the end of its booking day."""
    return datetime.combine(entry.date, time(17, 0))


def reference_time(ledger: Ledger) -> datetime:
    """Creation time of master data: shortly before the first fiscal year."""
    return datetime(ledger.profile.fiscal_years[0] - 1, 12, 15, 9, 30)


def gl_account_id(ledger: Ledger, code: str) -> UUID:
    return stable_id(ledger.profile.code, "glaccount", code)


def exact_entry_type(ledger: Ledger, entry: Entry) -> int:
    if entry.entry_type == "opening":
        first = entry.fiscal_year == ledger.profile.fiscal_years[0]
        return FIRST_YEAR_OPENING if first else YEAR_START_OPENING
    return ENTRY_TYPES[entry.entry_type]


def relation_code(code: str) -> str:
    """Exact relation codes are fixed-width: right-aligned, padded with spaces to 18."""
    return code.rjust(18)


class ExactMapper:
    """Row builders for one division. `stamp(row_id)` gives a sync row's Stamp."""

    def __init__(self, ledger: Ledger, division: Division, stamp: Callable[[UUID], Stamp]):
        self.ledger, self.division, self.stamp = ledger, division, stamp
        self.created = reference_time(ledger)
        self._centres = {c.code: c for c in ledger.cost_centres}
        self._units = {u.code: u for u in ledger.cost_units}
        self._projects = {p.code: p for p in ledger.projects}
        self._assets = {a.code: a for a in ledger.fixed_assets}
        self._journals = {j.code: j for j in ledger.journals}

    # --- sync entities --------------------------------------------------------------------------
    def transaction_line(self, entry: Entry, line: Line) -> dict:
        ledger = self.ledger
        account = ledger.chart.by_code[line.account_code]
        relation = line.open_item.relation if line.open_item else entry.relation
        centre = self._centres.get(line.cost_centre)
        unit = self._units.get(line.cost_unit)
        project = self._projects.get(line.project_code)
        asset = self._assets.get(line.asset_code)
        vat = ledger.chart.vat_by_code(line.vat_code) if line.vat_code else None
        stamp = self.stamp(line.id)
        header_offset = 1 if entry.entry_type in _HEADER_LINE_TYPES else 0
        ref = line.open_item  # payments and opening lines name the invoice they belong to
        return {
            "ID": line.id,
            "Account": relation.id if relation else None,
            "AccountCode": relation_code(relation.code) if relation else None,
            "AccountName": relation.name if relation else None,
            "AmountDC": line.amount,
            "AmountFC": line.amount,  # sandbox divisions book in their own currency only
            "AmountVATFC": line.vat_amount if line.vat_amount is not None else Decimal("0.00"),
            "Asset": asset.id if asset else None,
            "AssetCode": asset.code if asset else None,
            "AssetDescription": asset.description if asset else None,
            "CostCenter": line.cost_centre,
            "CostCenterDescription": centre.name if centre else None,
            "CostUnit": line.cost_unit,
            "CostUnitDescription": unit.name if unit else None,
            "Created": booked_at(entry),
            "Currency": ledger.profile.currency,
            "Date": entry.date,
            "Description": line.description,
            "Division": self.division.code,
            "DueDate": entry.due_date or (ref.due_date if ref else None),
            "EntryID": entry.id,
            "EntryNumber": entry.entry_number,
            "ExchangeRate": 1.0,
            "FinancialPeriod": entry.date.month,
            "FinancialYear": entry.fiscal_year,
            "GLAccount": gl_account_id(ledger, account.code),
            "GLAccountCode": account.code,
            "GLAccountDescription": account.name,
            "InvoiceNumber": entry.invoice_number or (ref.invoice_number if ref else None),
            "JournalCode": entry.journal_code,
            "JournalDescription": self._journals[entry.journal_code].name,
            "LineNumber": line.line_number - header_offset,
            "Modified": stamp.modified,
            "OrderNumber": None,
            "PaymentReference": None,
            "Project": project.id if project else None,
            "ProjectCode": project.code if project else None,
            "ProjectDescription": project.name if project else None,
            "Status": STATUS_PROCESSED,
            "Timestamp": stamp.timestamp,
            "Type": exact_entry_type(ledger, entry),
            "VATCode": line.vat_code,
            "VATCodeDescription": vat.description if vat else None,
            "VATPercentage": vat.rate if vat else None,
            "YourRef": entry.your_ref,
        }

    def gl_account(self, code: str) -> dict:
        account = self.ledger.chart.by_code[code]
        default = _REVENUE_TYPE if account.account_type == "revenue" else (
            _COST_TYPE if account.account_type == "expense" else _GENERAL_TYPE)
        gl_type, type_description = GL_ACCOUNT_TYPES.get(account.category, default)
        row_id = gl_account_id(self.ledger, code)
        stamp = self.stamp(row_id)
        return {
            "ID": row_id, "BalanceSide": account.balance_side, "BalanceType": account.balance_type,
            "Code": account.code, "Created": self.created, "Description": account.name,
            "Division": self.division.code, "IsBlocked": False, "Modified": stamp.modified,
            "SearchCode": None, "Timestamp": stamp.timestamp, "Type": gl_type,
            "TypeDescription": type_description, "VATCode": None,
        }

    def project(self, code: str) -> dict:
        project = self._projects[code]
        kind, description = PROJECT_TYPES[project.kind]
        stamp = self.stamp(project.id)
        return {
            "ID": project.id, "Code": project.code, "Created": self.created,
            "Description": project.name, "Division": self.division.code,
            "EndDate": project.end_date, "Modified": stamp.modified, "StartDate": project.start_date,
            "Timestamp": stamp.timestamp, "Type": kind, "TypeDescription": description,
        }

    # --- standard entities ------------------------------------------------------------------------
    def cost_centres(self) -> list[dict]:
        return [{"ID": c.id, "Active": True, "Code": c.code, "Created": self.created,
                 "Description": c.name, "Division": self.division.code, "Modified": self.created}
                for c in self.ledger.cost_centres]

    def cost_units(self) -> list[dict]:
        return [{"ID": u.id, "Code": u.code, "Created": self.created, "Description": u.name,
                 "Division": self.division.code, "EndDate": None, "Modified": self.created}
                for u in self.ledger.cost_units]

    def financial_periods(self) -> list[dict]:
        return [{"ID": p.id, "Created": self.created, "Division": self.division.code,
                 "EndDate": p.end, "FinPeriod": p.period, "FinYear": p.year,
                 "Modified": self.created, "StartDate": p.start}
                for p in self.ledger.periods]

    def assets(self, as_of: date) -> list[dict]:
        rows = []
        for asset in self.ledger.fixed_assets:
            group = self.ledger.chart.asset_group(asset.group)
            written_off = depreciated_until(asset, as_of)
            done = written_off == asset.purchase_value - asset.residual_value
            rows.append({
                "ID": asset.id, "AssetGroup": stable_id(self.ledger.profile.code, "assetgroup", group.code),
                "AssetGroupCode": group.code, "AssetGroupDescription": group.description,
                "Code": asset.code, "Created": self.created, "DepreciatedAmount": written_off,
                "Description": asset.description, "Division": self.division.code,
                "EndDate": end_date(asset), "InvestmentAmountDC": asset.purchase_value,
                "InvestmentAmountFC": asset.purchase_value,
                "InvestmentCurrency": self.ledger.profile.currency,
                "InvestmentDate": asset.purchase_date, "Modified": self.created,
                "PrimaryMethodCode": "LIN", "PrimaryMethodDescription": "Lineair",
                "ResidualValue": asset.residual_value, "StartDate": start_date(asset),
                "Status": ASSET_DEPRECIATED if done else ASSET_ACTIVE,
            })
        return rows

    def open_items(self, kind: str) -> list[dict]:
        return [{
            "Id": item.id, "HID": item.invoice_number, "AccountId": item.relation.id,
            "AccountCode": relation_code(item.relation.code), "AccountName": item.relation.name,
            "Amount": item.amount, "CurrencyCode": item.currency, "Description": item.description,
            "DueDate": item.due_date, "EntryNumber": item.entry_number, "InvoiceDate": item.invoice_date,
            "InvoiceNumber": item.invoice_number, "JournalCode": item.journal_code,
            "YourRef": item.your_ref,
        } for item in self.ledger.open_items if item.kind == kind]

    def classification_mappings(self) -> list[dict]:
        """NL divisions map their GL accounts to RGS (Exact's GLAccountClassificationMappings)."""
        admin = self.ledger.profile.code
        return [{
            "ID": stable_id(admin, "rgsmapping", account.code),
            "Classification": stable_id("RGS", "classification", account.rgs_code),
            "ClassificationCode": account.rgs_code, "ClassificationDescription": account.name,
            "Division": self.division.code, "GLAccount": gl_account_id(self.ledger, account.code),
            "GLAccountCode": account.code, "GLAccountDescription": account.name,
            "GLSchemeCode": RGS_SCHEME, "GLSchemeDescription": "Referentie Grootboekschema",
            "GLSchemeID": stable_id("RGS", "scheme", RGS_SCHEME),
        } for account in self.ledger.accounts if account.rgs_code]


# --- the login: divisions and Me ---------------------------------------------------------------
SANDBOX_USER_ID = stable_id("exact", "user", "sandbox")
SANDBOX_USER_NAME = "sandbox.boekhouder@monitr.test"
SANDBOX_FULL_NAME = "Sandbox Boekhouder"
_LEGISLATION = {"NL": 1, "BE": 2}  # Exact's legislation codes as seen on Me


def _customer(division: Division) -> tuple[UUID, str, str]:
    """The Exact customer (the firm owning the licence) behind a division."""
    return stable_id("exact", "customer", division.code), relation_code(str(division.hid)), division.name


def division_row(division: Division, *, current: bool, main: bool) -> dict:
    customer_id, customer_code, customer_name = _customer(division)
    created = datetime(division.profile.fiscal_years[0] - 1, 11, 1, 10, 0)
    return {
        "Code": division.code, "BlockingStatus": 0, "Country": division.country,
        "Created": created, "Currency": division.currency, "Current": current,
        "Customer": customer_id, "CustomerCode": customer_code, "CustomerName": customer_name,
        "Description": division.name, "DivisionMoveDate": None, "Hid": division.hid,
        "IsMainDivision": main, "Modified": created, "Started": created.date(), "Status": 1,
        "VATNumber": None,
    }


def me_row(user_id: UUID, current: Division) -> dict:
    customer_id, customer_code, customer_name = _customer(current)
    return {
        "UserID": user_id, "AccountingDivision": current.code, "CurrentDivision": current.code,
        "DivisionCustomer": customer_id, "DivisionCustomerCode": customer_code,
        "DivisionCustomerName": customer_name, "Email": SANDBOX_USER_NAME,
        "FullName": SANDBOX_FULL_NAME, "LanguageCode": f"nl-{current.country}",
        "Legislation": _LEGISLATION.get(current.country), "UserName": SANDBOX_USER_NAME,
    }
