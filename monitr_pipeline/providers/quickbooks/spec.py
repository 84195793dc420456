"""QuickBooks Online: the entities we import and the fields we keep (API_FACTS.md section 4).

The ledger is general_ledger_months: calendar months of the GeneralLedger report, one row each
(ledger_months.py). cdc_changes is change data capture. Both are read by adapter methods (`reader`).
Every other table is read with the query language (`GET /query?query=SELECT * FROM <entity> ...`):
each declares its first page's query, with the conditions every read of it carries and, when
incremental, the cursor's; QueryPaginator (query.py) moves it from page to page. Columns are dotted
paths into the record (`MetaData.LastUpdatedTime` loads as meta_data_last_updated_time); a nested
value loads as its JSON text.
"""

from monitr_pipeline.providers.quickbooks.cdc import first_cursor
from monitr_pipeline.providers.quickbooks.general_ledger import PATH as GENERAL_LEDGER
from monitr_pipeline.providers.quickbooks.general_ledger import TRANSACTION_ENTITIES
from monitr_pipeline.providers.quickbooks.query import (
    DATA_SELECTOR,
    SINCE_CURSOR,
    query_paginator,
    rows,
    select,
    time_literal,
)
from monitr_pipeline.providers.quickbooks.wire import WIRE
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

# Intuit ignores minor versions below 75 since 2025 (python-quickbooks defaults to >= 75 since).
MINOR_VERSION = "75"
MAX_RESULTS = 1000  # the query language returns at most 1000 entities a call
LAST_UPDATED = "MetaData.LastUpdatedTime"
# Name-list entities (accounts, classes, departments) answer only their active rows unless the
# query asks for inactive ones too; they are never deleted, only made inactive.
ACTIVE_OR_NOT = "Active IN (true, false)"

_METADATA = {"MetaData.CreateTime": "timestamp", LAST_UPDATED: "timestamp"}
_OPEN_DOCUMENT = {
    "Id": "text", "SyncToken": "text", "DocNumber": "text", "TxnDate": "date", "DueDate": "date",
    "TotalAmt": "decimal", "Balance": "decimal", "CurrencyRef.value": "text",
    "ExchangeRate": "decimal", "PrivateNote": "text", **_METADATA,
}
_NAME_LIST = {"Id": "text", "SyncToken": "text", "Name": "text", "FullyQualifiedName": "text",
              "ParentRef.value": "text", "Active": "bool", **_METADATA}


def _query(table: str, entity: str, columns: dict[str, str], *, where: str = "",
           mode: LoadMode = LoadMode.SNAPSHOT, description: str = "",
           required: tuple[str, ...] = (), open_items: bool = False) -> Endpoint:
    incremental = mode is LoadMode.INCREMENTAL
    everything = {"query": select(entity, [where], 1, "{page_size}")}
    return Endpoint(
        table=table, path="query", columns=columns, primary_key="Id", mode=mode,
        cursor=LAST_UPDATED if incremental else None, page_size=MAX_RESULTS,
        # An incremental table's first import reads everything, later ones from the cursor on.
        params={"query": select(entity, [where, SINCE_CURSOR], 1, "{page_size}")}
        if incremental else everything,
        first_params=everything if incremental else {},
        cursor_format=time_literal, paginator=query_paginator, data_selector=DATA_SELECTOR,
        records=rows, description=description, required=required,
        # What is open now: all paid is a valid answer.
        guard_deletions=not open_items,
    )


SPEC = ProviderSpec(
    slug="quickbooks",
    name="QuickBooks Online",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={
        "production": "https://quickbooks.api.intuit.com",
        "sandbox": "https://sandbox-quickbooks.api.intuit.com",
    },
    default_environment="production",
    oauth2=OAuth2Spec(
        authorize_path="/connect/oauth2",
        token_path="/oauth2/v1/tokens/bearer",
        scopes=("com.intuit.quickbooks.accounting",),
        authorize_base_url="https://appcenter.intuit.com",
        token_base_url="https://oauth.platform.intuit.com",
        client_auth="basic",
    ),
    params={"minorversion": MINOR_VERSION},
    wire=WIRE,
    endpoints=(
        Endpoint(
            table="general_ledger_months",
            path=GENERAL_LEDGER,
            mode=LoadMode.INCREMENTAL,
            primary_key="Month",
            reader="ledger_months",
            # The moment up to which the import saw every change: the next one asks change data
            # capture from there.
            cursor="SeenUntil",
            columns={"Month": "text", "StartDate": "date", "EndDate": "date",
                     "ReportTime": "timestamp", "SeenUntil": "timestamp", "ReportBasis": "text",
                     "Currency": "text", "Lines": "json"},
            required=("StartDate", "EndDate", "Currency", "Lines"),
            description="The general ledger, one row per calendar month (Month 2026-03) of the "
                        "GeneralLedger report (accrual), replaced whenever the month is read "
                        "again; Lines holds its posting lines (transaction type, entity and id, "
                        "account, class, location, name, debit, credit).",
        ),
        _query("accounts", "Account", {
            **_NAME_LIST, "AcctNum": "text", "Classification": "text", "AccountType": "text",
            "AccountSubType": "text", "SubAccount": "bool", "CurrencyRef.value": "text",
        }, where=ACTIVE_OR_NOT, mode=LoadMode.INCREMENTAL, description="Chart of accounts.",
            required=("Name", "Classification", "AccountType")),
        _query("classes", "Class", {**_NAME_LIST, "SubClass": "bool"},
               where=ACTIVE_OR_NOT, mode=LoadMode.INCREMENTAL),
        _query("departments", "Department", {**_NAME_LIST, "SubDepartment": "bool"},
               where=ACTIVE_OR_NOT, mode=LoadMode.INCREMENTAL,
               description="Departments (shown as Locations in QuickBooks)."),
        _query("invoices", "Invoice", {
            **_OPEN_DOCUMENT, "CustomerRef.value": "text", "CustomerRef.name": "text",
        }, where="Balance > '0'", description="Open sales invoices; Balance is the open amount.",
            required=("TxnDate", "Balance"), open_items=True),
        _query("bills", "Bill", {
            **_OPEN_DOCUMENT, "VendorRef.value": "text", "VendorRef.name": "text",
            "APAccountRef.value": "text",
        }, where="Balance > '0'", description="Open bills; Balance is the open amount.",
            required=("TxnDate", "Balance"), open_items=True),
        _query("company_info", "CompanyInfo", {
            "Id": "text", "CompanyName": "text", "LegalName": "text", "Country": "text",
            "FiscalYearStartMonth": "text", "CompanyStartDate": "date", **_METADATA,
        }),
        _query("preferences", "Preferences", {
            "Id": "text", "CurrencyPrefs.HomeCurrency.value": "text",
            "CurrencyPrefs.MultiCurrencyEnabled": "bool",
            "AccountingInfoPrefs.ClassTrackingPerTxnLine": "bool",
            "AccountingInfoPrefs.TrackDepartments": "bool",
            "AccountingInfoPrefs.DepartmentTerminology": "text", **_METADATA,
        }, description="The company's home (reporting) currency and tracking settings.",
            required=("CurrencyPrefs.HomeCurrency.value",)),
        Endpoint(
            table="cdc_changes",
            path="cdc",
            mode=LoadMode.DELETIONS,
            primary_key="Id",
            cursor=LAST_UPDATED,
            reader="changes",
            # Change data capture could not page through a company's history: it only has to
            # see changes from the first import on.
            initial_value=first_cursor,
            params={"entities": ",".join(TRANSACTION_ENTITIES)},
            description="Change data capture of every transaction type that posts to the ledger: "
                        "one row per changed or deleted object (the latest change wins), Id = "
                        "<entity>/<object id>. Staging leaves out the lines of a transaction "
                        "deleted after its month was last read.",
            # The key is named Id like the tables it deletes from: dlt gives the tombstones' table
            # variant this table's column hints too, and a differently named non-null key would
            # then be missing from every tombstone.
            columns={"Id": "text", "EntityType": "text", "ObjectId": "text", "status": "text",
                     "DeletedType": "text", LAST_UPDATED: "timestamp"},
            required=("EntityType", "ObjectId"),
            deleted_key_field="ObjectId",
            deleted_type_field="DeletedType",
            # Nothing to dispatch: a month row holds many transactions (see the description), and
            # the open invoices and bills are snapshots that drop deleted ones themselves.
            deleted_tables={},
        ),
    ),
)
