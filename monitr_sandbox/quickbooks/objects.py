"""Maps a provider-neutral sandbox ledger onto QuickBooks Online objects, shaped as the v3 API sends
them (field names from python-quickbooks' objects and airbyte's source-quickbooks schemas).

Invoices and Bills are the documents behind the receivables and payables lines, with their open
Balance (last updated by whatever entry last touched them: a payment, a credit memo). Memorial
entries are JournalEntries: one line per ledger line, Amount positive with PostingType Debit or
Credit; cost centres are Classes (ClassRef), cost units Departments (DepartmentRef), the customer
or supplier of a receivables or payables line its Entity, VAT its TaxCodeRef. The other
transaction types are built in transactions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from monitr_sandbox.ledger import Entry, Ledger, Line, Relation
from monitr_sandbox.ledger.charts import Account
from monitr_sandbox.ledger.model import OpenItemRef
from monitr_sandbox.quickbooks.company import CURRENCY_NAMES, INTUIT_TIME_ZONE

_CLASSIFICATIONS = {"asset": "Asset", "liability": "Liability", "equity": "Equity",
                    "revenue": "Revenue", "expense": "Expense"}
# (AccountType, AccountSubType) by the ledger's account category; QBO's enumerations.
_ACCOUNT_TYPES = {
    "cash": ("Bank", "CashOnHand"), "bank": ("Bank", "Checking"),
    "receivables": ("Accounts Receivable", "AccountsReceivable"),
    "payables": ("Accounts Payable", "AccountsPayable"),
    "buildings": ("Fixed Asset", "Buildings"),
    "equipment": ("Fixed Asset", "MachineryAndEquipment"),
    "accumulated_depreciation": ("Fixed Asset", "AccumulatedDepreciation"),
    "inventory": ("Other Current Asset", "Inventory"),
    "prepaid": ("Other Current Asset", "PrepaidExpenses"),
    "vat_recoverable": ("Other Current Asset", "OtherCurrentAssets"),
    "suspense": ("Other Current Asset", "OtherCurrentAssets"),
    "vat_payable": ("Other Current Liability", "GlobalTaxPayable"),
    "wages_payable": ("Other Current Liability", "PayrollClearing"),
    "wage_taxes_payable": ("Other Current Liability", "PayrollTaxPayable"),
    "loan": ("Long Term Liability", "NotesPayable"),
    "share_capital": ("Equity", "CommonStock"),
    "retained_earnings": ("Equity", "RetainedEarnings"),
    "cost_of_goods": ("Cost of Goods Sold", "SuppliesMaterialsCogs"),
    "interest_income": ("Other Income", "InterestEarned"),
    "depreciation": ("Other Expense", "Depreciation"),
    "interest": ("Other Expense", "OtherMiscellaneousExpense"),
}
_DEFAULT_TYPES = {"revenue": ("Income", "SalesOfProductIncome"),
                  "expense": ("Expense", "OtherMiscellaneousServiceCost")}
_CLASS_ID_BASE = 5_000_000_000_000_000  # QBO class ids are long numbers


def qbo_time(epoch: float) -> str:
    """2026-11-23T12:14:04-08:00: seconds, with the offset of Intuit's clock."""
    return datetime.fromtimestamp(epoch, INTUIT_TIME_ZONE).isoformat(timespec="seconds")


def amount(value: Decimal) -> float:
    # JSON numbers; two-decimal amounts survive float's shortest repr exactly.
    return float(value)


@dataclass
class Stamp:
    """When an object was created and last updated (epoch seconds), and its SyncToken."""

    created: int
    updated: int
    sync_token: int = 0

    def touched(self, at: int) -> Stamp:
        return Stamp(self.created, at, self.sync_token + 1)

    def metadata(self) -> dict:
        return {"CreateTime": qbo_time(self.created), "LastUpdatedTime": qbo_time(self.updated)}


@dataclass
class Document:
    """An invoice or bill: the control-account lines (receivables or payables) of one open item."""

    kind: str  # 'receivable' | 'payable'
    ref: OpenItemRef
    origin: Entry
    origin_line: Line
    balance: Decimal = Decimal("0.00")  # signed as booked: receivables debit, payables credit
    entry_numbers: list[int] = field(default_factory=list)

    @property
    def open_amount(self) -> Decimal:
        return self.balance if self.kind == "receivable" else -self.balance


def documents(ledger: Ledger) -> list[Document]:
    """Every invoice and bill the ledger's control lines refer to, paid or not, in booking order."""
    kinds = {ledger.chart.account("receivables").code: "receivable",
             ledger.chart.account("payables").code: "payable"}
    found: dict[tuple[str, str, int], Document] = {}
    for entry, line in ledger.lines():
        kind, ref = kinds.get(line.account_code), line.open_item
        if kind is None or ref is None:
            continue
        document = found.setdefault((kind, ref.relation.code, ref.invoice_number),
                                    Document(kind, ref, entry, line))
        document.balance += line.amount
        document.entry_numbers.append(entry.entry_number)
    return list(found.values())


def ref(value: str, name: str) -> dict:
    return {"value": value, "name": name}


def base_fields(object_id: str, stamp: Stamp) -> dict:
    return {"domain": "QBO", "sparse": False, "Id": object_id, "SyncToken": str(stamp.sync_token),
            "MetaData": stamp.metadata()}


class QboMapper:
    """Object builders for one company. `stamp(entry_number)` gives a journal entry's Stamp;
    `master` stamps the chart, classes, departments, customers, vendors and the company itself."""

    def __init__(self, ledger: Ledger, stamp: Callable[[int], Stamp], master: Stamp):
        self.ledger, self.stamp, self.master = ledger, stamp, master
        chart = ledger.chart
        self.currency = ref(ledger.profile.currency, CURRENCY_NAMES.get(ledger.profile.currency, ""))
        self.account_ids = {a.code: str(index) for index, a in enumerate(chart.accounts, start=1)}
        self.class_ids = {c.code: str(_CLASS_ID_BASE + index)
                          for index, c in enumerate(ledger.cost_centres, start=1)}
        self.department_ids = {u.code: str(index) for index, u in enumerate(ledger.cost_units, start=1)}
        self.tax_code_ids = {v.code: str(index) for index, v in enumerate(chart.vat_codes, start=3)}
        self._control = {chart.account("receivables").code, chart.account("payables").code}

    # --- lists ------------------------------------------------------------------------------------
    def account(self, account: Account, balance: Decimal) -> dict:
        """`balance`: the account's debit-positive balance (QBO shows balance-sheet accounts only,
        positive on their natural side)."""
        account_type, sub_type = _ACCOUNT_TYPES.get(account.category) or _DEFAULT_TYPES.get(
            account.account_type, ("Other Current Asset", "OtherCurrentAssets"))
        natural = 1 if account.account_type == "asset" else -1
        current = amount(natural * balance) if account.balance_type == "B" else 0
        return {**base_fields(self.account_ids[account.code], self.master),
                "Name": account.name, "AcctNum": account.code, "SubAccount": False,
                "FullyQualifiedName": account.name, "Active": True,
                "Classification": _CLASSIFICATIONS[account.account_type],
                "AccountType": account_type, "AccountSubType": sub_type,
                "CurrentBalance": current, "CurrentBalanceWithSubAccounts": current,
                "CurrencyRef": self.currency}

    def tracking_class(self, code: str) -> dict:
        centre = self.ledger.cost_centre(code)
        return {**base_fields(self.class_ids[code], self.master), "Name": centre.name,
                "SubClass": False, "FullyQualifiedName": centre.name, "Active": True}

    def department(self, code: str) -> dict:
        unit = self.ledger.cost_unit(code)
        return {**base_fields(self.department_ids[code], self.master), "Name": unit.name,
                "SubDepartment": False, "FullyQualifiedName": unit.name, "Active": True}

    def name_entity(self, relation: Relation) -> dict:
        """A Customer or Vendor; relation codes serve as their ids."""
        return {**base_fields(relation.code, self.master), "DisplayName": relation.name,
                "CompanyName": relation.name, "PrintOnCheckName": relation.name, "Active": True,
                "Balance": 0, "CurrencyRef": self.currency}

    # --- transactions -----------------------------------------------------------------------------
    def journal_entry(self, entry: Entry) -> dict:
        lines = [self._journal_line(index, entry, line) for index, line in enumerate(entry.lines)]
        debits = sum((line.amount for line in entry.lines if line.amount > 0), Decimal("0.00"))
        return {**base_fields(str(entry.entry_number), self.stamp(entry.entry_number)),
                "Adjustment": False, "DocNumber": str(entry.entry_number),
                "TxnDate": entry.date.isoformat(), "CurrencyRef": self.currency,
                "PrivateNote": entry.description, "Line": lines, "TxnTaxDetail": {},
                "TotalAmt": amount(debits)}

    def _journal_line(self, index: int, entry: Entry, line: Line) -> dict:
        account = self.ledger.chart.by_code[line.account_code]
        detail: dict = {"PostingType": "Debit" if line.amount >= 0 else "Credit",
                        "AccountRef": ref(self.account_ids[account.code], account.name)}
        relation = line.open_item.relation if line.open_item else entry.relation
        if line.account_code in self._control and relation is not None:
            kind = "Customer" if relation.kind == "customer" else "Vendor"
            detail["Entity"] = {"Type": kind, "EntityRef": ref(relation.code, relation.name)}
        if line.cost_centre:
            detail["ClassRef"] = ref(self.class_ids[line.cost_centre],
                                     self.ledger.cost_centre(line.cost_centre).name)
        if line.cost_unit:
            detail["DepartmentRef"] = ref(self.department_ids[line.cost_unit],
                                          self.ledger.cost_unit(line.cost_unit).name)
        if line.vat_code:
            vat = self.ledger.chart.vat_by_code(line.vat_code)
            detail["TaxCodeRef"] = {"value": self.tax_code_ids[vat.code]}
            detail["TaxApplicableOn"] = "Sales" if vat.direction == "sales" else "Purchase"
            detail["TaxAmount"] = amount(abs(line.vat_amount or 0))
        result = {"Id": str(index), "Amount": amount(abs(line.amount)),
                  "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": detail}
        if line.description:
            result["Description"] = line.description
        return result

    def _document(self, document: Document) -> dict:
        stamps = [self.stamp(number) for number in document.entry_numbers]
        stamp = Stamp(stamps[0].created, max(s.updated for s in stamps), len(stamps) - 1)
        origin, gross = document.origin, amount(abs(document.origin_line.amount))
        booked = document.ref.invoice_date
        if origin.invoice_number == document.ref.invoice_number:  # booked by its own entry
            net_lines = [line for line in origin.lines if line.vat_amount is not None]
            lines = [self.document_line(number, line) for number, line in enumerate(net_lines, 1)]
            booked = origin.date  # the entry's date, should it have been moved since
        else:  # from before the books began, carried in by an opening entry
            lines = [{"Id": "1", "LineNum": 1, "Amount": gross, "Description": origin.description,
                      "DetailType": "DescriptionOnly", "DescriptionOnly": {}}]
        return {**base_fields(str(document.ref.invoice_number), stamp),
                "TxnDate": booked.isoformat(),
                "DueDate": document.ref.due_date.isoformat(), "CurrencyRef": self.currency,
                "PrivateNote": document.origin_line.description or origin.description,
                "TotalAmt": gross, "Balance": amount(document.open_amount), "Line": lines}

    def document_line(self, number: int, line: Line) -> dict:
        account = self.ledger.chart.by_code[line.account_code]
        detail_type = "SalesItemLineDetail" if account.account_type == "revenue" else \
            "AccountBasedExpenseLineDetail"
        detail: dict = {"TaxCodeRef": {"value": self.tax_code_ids[line.vat_code]}}
        if detail_type == "AccountBasedExpenseLineDetail":
            detail["AccountRef"] = ref(self.account_ids[account.code], account.name)
        return {"Id": str(number), "LineNum": number, "Description": line.description,
                "Amount": amount(abs(line.amount)), "DetailType": detail_type, detail_type: detail}

    def invoice(self, document: Document) -> dict:
        relation = document.ref.relation
        return {**self._document(document), "DocNumber": str(document.ref.invoice_number),
                "CustomerRef": ref(relation.code, relation.name)}

    def bill(self, document: Document) -> dict:
        relation, payables = document.ref.relation, self.ledger.chart.account("payables")
        return {**self._document(document),
                "DocNumber": document.origin.your_ref or str(document.ref.invoice_number),
                "VendorRef": ref(relation.code, relation.name),
                "APAccountRef": ref(self.account_ids[payables.code], payables.name)}

    # --- the company ------------------------------------------------------------------------------
    def company_info(self) -> dict:
        profile = self.ledger.profile
        address = {"Id": "1", "Line1": "Havenstraat 12", "City": "Utrecht", "Country": profile.country,
                   "PostalCode": "3511 AB"}
        return {**base_fields("1", self.master), "CompanyName": profile.name, "LegalName": profile.name,
                "CompanyAddr": address, "LegalAddr": address, "Country": profile.country,
                "CompanyStartDate": date(profile.fiscal_years[0], 1, 1).isoformat(),
                "FiscalYearStartMonth": "January", "SupportedLanguages": "en",
                "NameValue": [{"Name": "NeoEnabled", "Value": "true"},
                              {"Name": "OfferingSku", "Value": "QuickBooks Online Plus"}]}

    def preferences(self) -> dict:
        return {**base_fields("1", self.master),
                "AccountingInfoPrefs": {"FirstMonthOfFiscalYear": "January", "UseAccountNumbers": True,
                                        "TaxYearMonth": "January", "ClassTrackingPerTxn": False,
                                        "ClassTrackingPerTxnLine": True, "TrackDepartments": True,
                                        "DepartmentTerminology": "Location",
                                        "CustomerTerminology": "Customers"},
                "CurrencyPrefs": {"MultiCurrencyEnabled": False,
                                  "HomeCurrency": {"value": self.ledger.profile.currency}},
                "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": True}}
