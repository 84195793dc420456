"""The Exact entity sets the sandbox serves: path, OData type, key, page size and fields of each."""

from __future__ import annotations

from dataclasses import dataclass

SYNC_PAGE_SIZE = 1000  # sync/* and bulk/* endpoints
STANDARD_PAGE_SIZE = 60


@dataclass(frozen=True)
class EntitySet:
    path: str  # after /api/v1/{division}/
    entity: str  # DivisionFeed.rows() name
    type_name: str  # __metadata.type
    key: str  # ordering and $skiptoken field
    fields: tuple[str, ...]
    sync: bool = False
    # Standard endpoints that have a sync twin refuse unfiltered reads (mandatory filtering).
    filter_required: bool = False

    @property
    def page_size(self) -> int:
        return SYNC_PAGE_SIZE if self.sync else STANDARD_PAGE_SIZE


def _fields(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_LINE_FIELDS = _fields("""
    ID Account AccountCode AccountName AmountDC AmountFC AmountVATFC Asset AssetCode
    AssetDescription CostCenter CostCenterDescription CostUnit CostUnitDescription Created
    Currency Date Description Division DueDate EntryID EntryNumber ExchangeRate FinancialPeriod
    FinancialYear GLAccount GLAccountCode GLAccountDescription InvoiceNumber JournalCode
    JournalDescription LineNumber Modified OrderNumber PaymentReference Project ProjectCode
    ProjectDescription Status Type VATCode VATCodeDescription VATPercentage YourRef""")
# Shared by the time and cost registrations' sync and standard endpoints.
_TIME_COST_FIELDS = _fields("""
    ID Account AccountName AmountFC Attachment Created Creator CreatorFullName Currency CustomField
    Date Division DivisionDescription Employee EntryNumber ErrorText HourStatus Item
    ItemDescription ItemDivisable Modified Modifier ModifierFullName Notes PriceFC Project
    ProjectAccount ProjectAccountCode ProjectAccountName ProjectDescription Quantity Subscription
    SubscriptionAccount SubscriptionAccountCode SubscriptionAccountName SubscriptionDescription
    SubscriptionNumber""")
_SYNC = [
    EntitySet("sync/Financial/TransactionLines", "TransactionLines",
              "Exact.Web.Api.Models.Sync.Financial.TransactionLine", "Timestamp",
              (*_LINE_FIELDS, "Timestamp"), sync=True),
    EntitySet("sync/Financial/GLAccounts", "GLAccounts", "Exact.Web.Api.Models.Sync.Financial.GLAccount",
              "Timestamp", _fields("""ID BalanceSide BalanceType Code Created Description Division
        IsBlocked Modified SearchCode Timestamp Type TypeDescription VATCode"""), sync=True),
    EntitySet("sync/Project/Projects", "Projects", "Exact.Web.Api.Models.Sync.Project.Project",
              "Timestamp", _fields("""ID Code Created Description Division EndDate Modified StartDate
        Timestamp Type TypeDescription BudgetedAmount BudgetedCosts BudgetedRevenue
        SalesTimeQuantity"""), sync=True),
    # Time (Type 1) and cost (Type 2) registrations on projects, in one feed.
    EntitySet("sync/Project/TimeCostTransactions", "TimeCostTransactions",
              "Exact.Web.Api.Models.Sync.Project.TimeCostTransaction", "Timestamp",
              (*_TIME_COST_FIELDS, "EndTime", "ProjectCode", "StartTime", "Timestamp", "Type", "WBS",
               "WBSDescription"), sync=True),
    EntitySet("sync/Deleted", "Deleted", "Exact.Web.Api.Models.Sync.Deleted", "Timestamp",
              _fields("ID DeletedBy DeletedDate Division EntityKey EntityType Timestamp"), sync=True),
]
_OPEN_ITEM_FIELDS = _fields("""Id HID AccountId AccountCode AccountName Amount CurrencyCode Description
    DueDate EntryNumber InvoiceDate InvoiceNumber JournalCode YourRef""")
_STANDARD = [
    EntitySet("financialtransaction/TransactionLines", "TransactionLines",
              "Exact.Web.Api.Models.Financial.TransactionLine", "ID", _LINE_FIELDS,
              filter_required=True),
    EntitySet("hrm/Costcenters", "Costcenters", "Exact.Web.Api.Models.HRM.Costcenter", "ID",
              _fields("ID Active Code Created Description Division Modified")),
    EntitySet("hrm/Costunits", "Costunits", "Exact.Web.Api.Models.HRM.Costunit", "ID",
              _fields("ID Code Created Description Division EndDate Modified")),
    EntitySet("assets/Assets", "Assets", "Exact.Web.Api.Models.Assets.Asset", "ID", _fields("""
        ID AssetGroup AssetGroupCode AssetGroupDescription Code Created DepreciatedAmount Description
        Division EndDate InvestmentAmountDC InvestmentAmountFC InvestmentCurrency InvestmentDate
        Modified PrimaryMethodCode PrimaryMethodDescription ResidualValue StartDate Status""")),
    EntitySet("financial/FinancialPeriods", "FinancialPeriods",
              "Exact.Web.Api.Models.Financial.FinancialPeriod", "ID",
              _fields("ID Created Division EndDate FinPeriod FinYear Modified StartDate")),
    EntitySet("read/financial/ReceivablesList", "ReceivablesList",
              "Exact.Web.Api.Models.Financial.ReceivablesList", "Id", _OPEN_ITEM_FIELDS),
    EntitySet("read/financial/PayablesList", "PayablesList",
              "Exact.Web.Api.Models.Financial.PayablesList", "Id", _OPEN_ITEM_FIELDS),
    # Standard twins of sync/Project/TimeCostTransactions; Amount and Price are their obsolete
    # copies of AmountFC and PriceFC. Whether Exact's mandatory filtering covers them was not
    # found, so the sandbox serves them unfiltered.
    EntitySet("project/TimeTransactions", "TimeTransactions",
              "Exact.Web.Api.Models.Project.TimeTransaction", "ID",
              (*_TIME_COST_FIELDS, "Activity", "ActivityDescription", "Amount", "EndTime", "Price",
               "ProjectCode", "SkipValidation", "StartTime", "Type")),
    EntitySet("project/CostTransactions", "CostTransactions",
              "Exact.Web.Api.Models.Project.CostTransaction", "ID",
              (*_TIME_COST_FIELDS, "Amount", "Expense", "ExpenseDescription", "Price",
               "SkipValidation", "Type")),
    EntitySet("financial/GLAccountClassificationMappings", "GLAccountClassificationMappings",
              "Exact.Web.Api.Models.Financial.GLAccountClassificationMapping", "ID", _fields("""
        ID Classification ClassificationCode ClassificationDescription Division GLAccount
        GLAccountCode GLAccountDescription GLSchemeCode GLSchemeDescription GLSchemeID""")),
]
ENTITY_SETS: dict[str, EntitySet] = {e.path.lower(): e for e in _SYNC + _STANDARD}

# Served from the login rather than a division's ledger.
DIVISIONS = EntitySet("system/Divisions", "Divisions", "Exact.Web.Api.System.Division", "Code", _fields("""
    Code BlockingStatus Country Created Currency Current Customer CustomerCode CustomerName
    Description DivisionMoveDate Hid IsMainDivision Modified Started Status VATNumber"""))
ME = EntitySet("Me", "Me", "Exact.Web.Api.System.Me", "UserID", _fields("""
    UserID AccountingDivision CurrentDivision DivisionCustomer DivisionCustomerCode
    DivisionCustomerName Email FullName LanguageCode Legislation UserName"""))
