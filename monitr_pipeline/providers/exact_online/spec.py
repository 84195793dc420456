"""Exact Online: the endpoints we import and the fields we request (API_FACTS.md section 1)."""

from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

_SYNC_PAGE = 1000  # sync/* and bulk/* endpoints return up to 1000 rows a call
_STANDARD_PAGE = 60  # standard endpoints return 60
# The sync API's first call is `Timestamp gt 1`; Timestamps are rowversions (an OData Int64
# literal: the L suffix), not times.
_SYNC_FILTER = {"$filter": "Timestamp gt {incremental.start_value}L"}

# ReceivablesList and PayablesList share one shape.
_OPEN_ITEM_COLUMNS = {
    "Id": "text", "HID": "bigint", "AccountId": "text", "AccountCode": "text",
    "AccountName": "text", "Amount": "decimal", "CurrencyCode": "text",
    "Description": "text", "DueDate": "date", "EntryNumber": "bigint",
    "InvoiceDate": "date", "InvoiceNumber": "bigint", "JournalCode": "text",
    "YourRef": "text",
}

SPEC = ProviderSpec(
    slug="exact_online",
    name="Exact Online",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={
        "nl": "https://start.exactonline.nl",
        "be": "https://start.exactonline.be",
        "uk": "https://start.exactonline.co.uk",
        "de": "https://start.exactonline.de",
        "us": "https://start.exactonline.com",
    },
    default_environment="nl",
    oauth2=OAuth2Spec(authorize_path="/api/oauth2/auth", token_path="/api/oauth2/token"),
    # `__next` is a full URL that already carries $select, $filter and the $skiptoken.
    paginator=lambda endpoint: JSONLinkPaginator(next_url_path="d.__next"),
    data_selector="d.results",
    # `/Date(ms)/` holds Amsterdam wall-clock time written as if it were UTC (airbyte
    # source-exact); dates and times come in no other form.
    wire=WireFormat(dotnet_dates="wall", zone="Europe/Amsterdam", dotnet_only=True),
    # $select is mandatory on sync and bulk endpoints, and keeps pages small everywhere.
    params={"$select": "{fields}"},
    endpoints=(
        Endpoint(
            table="gl_transaction_lines",
            path="sync/Financial/TransactionLines",
            mode=LoadMode.INCREMENTAL,
            cursor="Timestamp",
            initial_value=1,
            params=_SYNC_FILTER,
            page_size=_SYNC_PAGE,
            description="GL transaction lines; AmountDC is signed (debit +) in the division currency.",
            required=("EntryID", "Date", "FinancialYear", "FinancialPeriod", "GLAccount",
                      "AmountDC"),
            columns={
                "ID": "text", "EntryID": "text", "EntryNumber": "bigint", "LineNumber": "bigint",
                "Date": "date", "FinancialYear": "bigint", "FinancialPeriod": "bigint",
                "JournalCode": "text", "JournalDescription": "text",
                "GLAccount": "text", "GLAccountCode": "text", "GLAccountDescription": "text",
                "AmountDC": "decimal", "AmountFC": "decimal", "AmountVATFC": "decimal",
                "Currency": "text", "VATCode": "text",
                "CostCenter": "text", "CostCenterDescription": "text",
                "CostUnit": "text", "CostUnitDescription": "text",
                "Project": "text", "ProjectCode": "text",
                "Account": "text", "AccountCode": "text", "AccountName": "text",
                "Asset": "text", "Type": "bigint", "Status": "bigint", "Description": "text",
                "InvoiceNumber": "bigint", "DueDate": "date", "Division": "bigint",
                "Modified": "timestamp", "Timestamp": "bigint",
            },
        ),
        Endpoint(
            table="gl_accounts",
            path="sync/Financial/GLAccounts",
            mode=LoadMode.INCREMENTAL,
            cursor="Timestamp",
            initial_value=1,
            params=_SYNC_FILTER,
            page_size=_SYNC_PAGE,
            description="Chart of accounts; BalanceType B = balance sheet, W = profit and loss.",
            required=("Code", "BalanceType"),
            columns={
                "ID": "text", "Code": "text", "Description": "text", "BalanceSide": "text",
                "BalanceType": "text", "Type": "bigint", "TypeDescription": "text",
                "IsBlocked": "bool", "Division": "bigint", "Modified": "timestamp",
                "Timestamp": "bigint",
            },
        ),
        Endpoint(
            table="gl_account_classification_mappings",
            path="financial/GLAccountClassificationMappings",
            page_size=_STANDARD_PAGE,
            description="Which classification of which GL scheme each GL account is linked to; "
                        "in the RGS schemes ClassificationCode is the account's RGS code.",
            # No sync twin and no Timestamp: the full list each time (a few hundred rows). A
            # division whose country has no RGS (BE) or that never linked a scheme answers an
            # empty list; a licence without GL schemes may refuse it, which must not stop the
            # ledger's import.
            optional=True,
            required=("GLAccount",),
            columns={
                "ID": "text", "Classification": "text", "ClassificationCode": "text",
                "ClassificationDescription": "text", "Division": "bigint", "GLAccount": "text",
                "GLAccountCode": "text", "GLAccountDescription": "text", "GLSchemeCode": "text",
                "GLSchemeDescription": "text", "GLSchemeID": "text",
            },
        ),
        Endpoint(
            table="projects",
            path="sync/Project/Projects",
            mode=LoadMode.INCREMENTAL,
            cursor="Timestamp",
            initial_value=1,
            params=_SYNC_FILTER,
            page_size=_SYNC_PAGE,
            # An app without the project scope gets 403 "Application Scope Violated".
            optional=True,
            required=("Code",),
            columns={
                "ID": "text", "Code": "text", "Description": "text", "Type": "bigint",
                "TypeDescription": "text", "StartDate": "date", "EndDate": "date",
                "Division": "bigint", "Modified": "timestamp", "Timestamp": "bigint",
                # The project's budget (SyncProjectProjects): hours, and costs, sales and
                # revenue in the division's currency; 0 where none is set.
                "SalesTimeQuantity": "decimal", "BudgetedCosts": "decimal",
                "BudgetedAmount": "decimal", "BudgetedRevenue": "decimal",
            },
        ),
        Endpoint(
            table="time_cost_transactions",
            path="sync/Project/TimeCostTransactions",
            mode=LoadMode.INCREMENTAL,
            cursor="Timestamp",
            initial_value=1,
            params=_SYNC_FILTER,
            page_size=_SYNC_PAGE,
            description="Project time (Type 1, Quantity in hours) and cost (Type 2) registrations; "
                        "AmountFC = Quantity x PriceFC in Currency.",
            # The project scope again; deletions arrive through sync/Deleted (EntityType 14).
            optional=True,
            required=("Type", "Date", "Quantity", "AmountFC"),
            columns={
                "ID": "text", "Type": "bigint", "Date": "date", "Project": "text",
                "ProjectCode": "text", "ProjectDescription": "text", "Account": "text",
                "AccountName": "text", "Employee": "text", "Item": "text",
                "ItemDescription": "text", "Quantity": "decimal", "PriceFC": "decimal",
                "AmountFC": "decimal", "Currency": "text", "HourStatus": "bigint",
                "EntryNumber": "bigint", "Notes": "text", "Division": "bigint",
                "Created": "timestamp", "Modified": "timestamp", "Timestamp": "bigint",
            },
        ),
        Endpoint(
            table="cost_centers",
            path="hrm/Costcenters",
            page_size=_STANDARD_PAGE,
            optional=True,
            required=("Code",),
            columns={
                "ID": "text", "Code": "text", "Description": "text", "Active": "bool",
                "Created": "timestamp", "Modified": "timestamp",
            },
        ),
        Endpoint(
            table="cost_units",
            path="hrm/Costunits",
            page_size=_STANDARD_PAGE,
            optional=True,
            required=("Code",),
            columns={
                "ID": "text", "Code": "text", "Description": "text",
                "Created": "timestamp", "Modified": "timestamp",
            },
        ),
        Endpoint(
            table="receivables_list",
            path="read/financial/ReceivablesList",
            primary_key="Id",
            page_size=_STANDARD_PAGE,
            description="Open sales invoices; Amount is the positive open amount.",
            optional=True,
            required=("Amount",),
            guard_deletions=False,  # what is open now: all paid is a valid answer
            columns=_OPEN_ITEM_COLUMNS,
        ),
        Endpoint(
            table="payables_list",
            path="read/financial/PayablesList",
            primary_key="Id",
            page_size=_STANDARD_PAGE,
            description="Open purchase invoices; Amount is the positive open amount.",
            optional=True,
            required=("Amount",),
            guard_deletions=False,  # what is open now: all paid is a valid answer
            columns=_OPEN_ITEM_COLUMNS,
        ),
        Endpoint(
            table="fixed_assets",
            path="assets/Assets",
            page_size=_STANDARD_PAGE,
            # A division without the fixed assets module answers 404.
            optional=True,
            required=("Code",),
            columns={
                "ID": "text", "Code": "text", "Description": "text", "AssetGroupCode": "text",
                "AssetGroupDescription": "text", "InvestmentAmountDC": "decimal",
                "InvestmentCurrency": "text", "InvestmentDate": "date", "StartDate": "date",
                "EndDate": "date", "DepreciatedAmount": "decimal", "ResidualValue": "decimal",
                "PrimaryMethodCode": "text", "PrimaryMethodDescription": "text",
                "Status": "bigint", "Modified": "timestamp",
            },
        ),
        Endpoint(
            table="financial_periods",
            path="financial/FinancialPeriods",
            page_size=_STANDARD_PAGE,
            required=("FinYear", "FinPeriod", "StartDate", "EndDate"),
            columns={
                "ID": "text", "FinYear": "bigint", "FinPeriod": "bigint", "StartDate": "date",
                "EndDate": "date", "Modified": "timestamp",
            },
        ),
        Endpoint(
            table="divisions",
            path="system/Divisions",
            primary_key="Code",
            page_size=_STANDARD_PAGE,
            params={"$filter": "Code eq {external_id}"},
            description="The division itself: its reporting currency and country.",
            required=("Currency",),
            columns={
                "Code": "bigint", "Description": "text", "Currency": "text", "Country": "text",
                "Hid": "bigint",
            },
        ),
        Endpoint(
            table="deleted_records",
            path="sync/Deleted",
            mode=LoadMode.DELETIONS,
            cursor="Timestamp",
            initial_value=1,
            params=_SYNC_FILTER,
            page_size=_SYNC_PAGE,
            description="Exact's deletion log; each row also deletes its record from its table.",
            columns={
                "ID": "text", "EntityKey": "text", "EntityType": "bigint", "DeletedBy": "text",
                "DeletedDate": "timestamp", "Division": "bigint", "Timestamp": "bigint",
            },
            required=("EntityKey", "EntityType"),
            deleted_key_field="EntityKey",
            deleted_type_field="EntityType",
            deleted_tables={1: "gl_transaction_lines", 7: "gl_accounts", 14: "time_cost_transactions",
                            21: "projects"},
        ),
    ),
)
