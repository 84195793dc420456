"""Xero: the endpoints we import and the fields we keep (API_FACTS.md section 3, Xero-OpenAPI 16.1)."""

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec
from monitr_pipeline.providers.xero import wire
from monitr_pipeline.providers.xero.paging import (
    if_modified_since,
    journal_offsets,
    numbered_pages,
)

ACCOUNTING = "api.xro/2.0"
ASSETS = "assets.xro/1.0"
JOURNALS_PER_CALL = 100  # fixed by Xero: /Journals takes no page size
INVOICES_PER_PAGE = 1000  # the largest pageSize /Invoices accepts
ASSETS_PER_PAGE = 100

_TRACKING = {
    f"{field}{slot}": "text"
    for slot in (1, 2)  # a journal line carries at most two tracking categories
    for field in ("TrackingCategoryName", "TrackingOptionName", "TrackingCategoryID",
                  "TrackingOptionID")
}

SPEC = ProviderSpec(
    slug="xero",
    name="Xero",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={"default": "https://api.xero.com"},
    default_environment="default",
    # .NET JSON dates: milliseconds since the epoch (UTC); the offset, when present, only says
    # which zone the value was entered in and does not shift the instant (airbyte source-xero).
    # The Assets API and If-Modified-Since write ISO 8601.
    wire=WireFormat(dotnet_dates="utc"),
    oauth2=OAuth2Spec(
        authorize_base_url="https://login.xero.com",
        authorize_path="/identity/connect/authorize",
        token_base_url="https://identity.xero.com",
        token_path="/connect/token",
        scopes=("offline_access", "accounting.journals.read", "accounting.transactions.read",
                "accounting.settings.read", "assets.read"),
        pkce=True,
        client_auth="basic",
    ),
    endpoints=(
        Endpoint(
            table="journal_lines",
            path=f"{ACCOUNTING}/Journals",
            primary_key="JournalLineID",
            mode=LoadMode.INCREMENTAL,
            cursor="JournalNumber",
            initial_value=0,  # journal numbers start at 1
            page_size=JOURNALS_PER_CALL,
            params={"offset": "{incremental.start_value}"},
            paginator=journal_offsets,
            data_selector="Journals",
            records=wire.journal_lines,
            description="Every line of every journal; journals are immutable (an edit or a void is "
                        "a reversing journal plus a new one), so JournalNumber is the cursor. "
                        "NetAmount: debit positive, credit negative, base currency.",
            required=("JournalID", "JournalDate", "AccountID", "NetAmount"),
            columns={
                "JournalLineID": "text", "JournalID": "text", "JournalNumber": "bigint",
                "JournalDate": "date", "CreatedDateUTC": "timestamp", "Reference": "text",
                "SourceID": "text", "SourceType": "text", "LineNumber": "bigint",
                "AccountID": "text", "AccountCode": "text", "AccountType": "text",
                "AccountName": "text", "Description": "text", "NetAmount": "decimal",
                "GrossAmount": "decimal", "TaxAmount": "decimal", "TaxType": "text",
                "TaxName": "text", **_TRACKING,
            },
        ),
        Endpoint(
            table="accounts",
            path=f"{ACCOUNTING}/Accounts",
            data_selector="Accounts",
            primary_key="AccountID",
            description="Chart of accounts (one call, not paged); Class gives the statement.",
            required=("Type", "Class"),
            columns={
                "AccountID": "text", "Code": "text", "Name": "text", "Type": "text",
                "Class": "text", "Status": "text", "TaxType": "text", "Description": "text",
                "BankAccountNumber": "text", "CurrencyCode": "text", "SystemAccount": "text",
                "ReportingCode": "text", "ReportingCodeName": "text",
                "EnablePaymentsToAccount": "bool", "UpdatedDateUTC": "timestamp",
            },
        ),
        Endpoint(
            table="tracking_options",
            path=f"{ACCOUNTING}/TrackingCategories",
            primary_key="TrackingOptionID",
            params={"includeArchived": "true"},
            data_selector="TrackingCategories",
            records=wire.tracking_options,
            description="Options of the (at most two active) tracking categories: the analytical "
                        "axes journal lines refer to by option name.",
            optional=True,
            required=("Name", "TrackingCategoryID"),
            columns={
                "TrackingOptionID": "text", "Name": "text", "Status": "text",
                "TrackingCategoryID": "text", "CategoryName": "text", "CategoryStatus": "text",
            },
        ),
        Endpoint(
            table="invoices",
            path=f"{ACCOUNTING}/Invoices",
            primary_key="InvoiceID",
            mode=LoadMode.INCREMENTAL,
            cursor="UpdatedDateUTC",
            page_size=INVOICES_PER_PAGE,
            params={"page": 1, "pageSize": "{page_size}"},
            # The first import: what is outstanding now; later ones: whatever changed since, in
            # any status (paid, voided, deleted).
            first_params={"Statuses": "AUTHORISED"},
            headers={"If-Modified-Since": "{incremental.start_value}"},
            cursor_format=if_modified_since,
            paginator=numbered_pages,
            data_selector="Invoices",
            records=wire.invoices,
            description="Sales invoices (ACCREC) and bills (ACCPAY): the AUTHORISED ones at the "
                        "first import, then every invoice changed since (If-Modified-Since), so "
                        "one that was paid, voided or deleted arrives with its new status.",
            optional=True,
            required=("Type", "Status", "AmountDue"),
            columns={
                "InvoiceID": "text", "Type": "text", "InvoiceNumber": "text", "Reference": "text",
                "Status": "text", "ContactID": "text", "ContactName": "text",
                "ContactNumber": "text", "Date": "date", "DueDate": "date",
                "CurrencyCode": "text", "CurrencyRate": "decimal", "SubTotal": "decimal",
                "TotalTax": "decimal", "Total": "decimal", "AmountDue": "decimal",
                "AmountPaid": "decimal", "AmountCredited": "decimal", "FullyPaidOnDate": "date",
                "UpdatedDateUTC": "timestamp",
            },
        ),
        Endpoint(
            table="organisation",
            path=f"{ACCOUNTING}/Organisation",
            data_selector="Organisations",
            primary_key="OrganisationID",
            description="The tenant itself: base currency, country and financial year end, from "
                        "which fiscal periods are derived (Xero has no periods endpoint).",
            required=("BaseCurrency", "FinancialYearEndDay", "FinancialYearEndMonth"),
            columns={
                "OrganisationID": "text", "Name": "text", "LegalName": "text",
                "BaseCurrency": "text", "CountryCode": "text", "FinancialYearEndDay": "bigint",
                "FinancialYearEndMonth": "bigint", "PeriodLockDate": "date",
                "EndOfYearLockDate": "date", "OrganisationType": "text", "Version": "text",
                "Timezone": "text", "CreatedDateUTC": "timestamp",
            },
        ),
        Endpoint(
            table="fixed_assets",
            path=f"{ASSETS}/Assets",
            primary_key="assetId",
            page_size=ASSETS_PER_PAGE,
            params={"status": "REGISTERED", "page": 1, "pageSize": "{page_size}"},
            paginator=numbered_pages,
            data_selector="items",
            records=wire.assets,
            description="Registered fixed assets (Assets API) with their book depreciation.",
            # An organisation without the fixed assets feature (or an app without assets.read).
            optional=True,
            required=("purchaseDate", "purchasePrice"),
            columns={
                "assetId": "text", "assetName": "text", "assetNumber": "text",
                "assetTypeId": "text", "assetStatus": "text", "purchaseDate": "date",
                "purchasePrice": "decimal", "disposalDate": "date", "disposalPrice": "decimal",
                "depreciationMethod": "text", "averagingMethod": "text",
                "depreciationRate": "decimal", "effectiveLifeYears": "bigint",
                "depreciationStartDate": "date", "residualValue": "decimal",
                "priorAccumDepreciationAmount": "decimal",
                "currentAccumDepreciationAmount": "decimal", "accountingBookValue": "decimal",
            },
        ),
    ),
)
