"""Yuki: the administrations, GL transactions, chart, projects, fiscal periods and open items we
import over SOAP (API_FACTS.md section 6). Every call names its service (`path`), operation
(`method`) and parameters; the session id is added by the transport under the name its service
spells it (SESSION_PARAMETER). Reads that cannot be one declared call are the adapter's readers:
GL transactions and periods in fiscal-year windows (WINDOWED: no change feed), and the
administration itself (asked once per import, its start date gives the years)."""

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec

NAMESPACE = "http://www.theyukicompany.com/"
ACCOUNTING, ACCOUNTING_INFO = "/ws/Accounting.asmx", "/ws/AccountingInfo.asmx"
# The session id's parameter name differs per service (API_FACTS.md section 6: sessionID on
# Accounting, AccountingInfo, Contact and Archive; sessionId on Sales and Purchase).
SESSION_PARAMETER = {ACCOUNTING: "sessionID", ACCOUNTING_INFO: "sessionID",
                     "/ws/Contact.asmx": "sessionID", "/ws/Archive.asmx": "sessionID",
                     "/ws/Sales.asmx": "sessionId", "/ws/Purchase.asmx": "sessionId"}
# GetTransactionDetails' numberOfRecords: the most one call may ask for. Yuki publishes no
# maximum; 1,000 is the sandbox's (and our assumption): the fewest calls of the daily budget.
MAX_RECORDS = 1000
# What one import of one administration may spend of the domain's daily budget (1,000 calls by
# default, shared by every administration of the domain and every import of the day): a typical
# import spends 10-20 calls; a larger one stops here, saying so, rather than spend the domain's
# last calls. Closed years not read before are read at most NEW_YEARS_PER_IMPORT at a time, and
# only as far as the share goes (planning.py).
CALLS_PER_IMPORT = 150
NEW_YEARS_PER_IMPORT = 3
# What an import keeps aside for its calls besides the GL's pages when it plans which years to read
# (the chart, projects, open items, a period table per year read, a stale session renewed).
CALLS_BESIDES_WINDOWS = 12
DAILY_BUDGET = 1000
# GetTransactionDetails' data groups: the contact, document, matching, project and VAT fields of
# a line (the matching: which document a debtor or creditor line is matched with).
DATA_GROUPS = "contact,document,documentmatching,project,vat"

_OUTSTANDING = {"ID": "text", "Date": "date", "Description": "text", "Contact": "text",
                "ContactID": "text", "OpenAmount": "decimal", "OriginalAmount": "decimal",
                "Type": "text", "Reference": "text", "DueDate": "date", "DocumentID": "text",
                "PaymentMethod": "text"}


def _outstanding(table: str, operation: str, what: str) -> Endpoint:
    return Endpoint(
        table=table, path=ACCOUNTING, method=operation, data_selector="Item", primary_key="ID",
        params={"administrationID": "{external_id}", "includeBankTransactions": "false",
                "sortOrder": "DateAsc"},
        columns=_OUTSTANDING, required=("Date", "OpenAmount"),
        # What is open now: all paid is a valid answer.
        guard_deletions=False,
        description=f"{what} open now, as {operation} answers (credit negative: creditor "
                    "amounts are negative).")


SPEC = ProviderSpec(
    slug="yuki",
    name="Yuki",
    connection_kind="accounting",
    auth_kind="api_key",
    environments={"nl": "https://api.yukiworks.nl", "be": "https://api.yukiworks.be"},
    default_environment="nl",
    # Values are XML text: dates as xs:dateTime ("2025-03-15T00:00:00", the date part is the
    # administration's calendar date), amounts with a decimal point, '' for nothing.
    wire=WireFormat(zone="Europe/Amsterdam"),
    endpoints=(
        Endpoint(
            table="administrations", path=ACCOUNTING, method="Administrations",
            reader="administration", data_selector="Administration", primary_key="ID",
            columns={"ID": "text", "Name": "text", "DomainID": "text", "Country": "text",
                     "StartDate": "date"},
            required=("Name",),
            description="The administration itself (Administrations lists the domain's)."),
        Endpoint(
            table="gl_transactions", path=ACCOUNTING_INFO, method="GetTransactionDetails",
            mode=LoadMode.WINDOWED, windows="fiscal_years", reader="transactions_of_year",
            data_selector="TransactionInfo", primary_key="id", page_size=MAX_RECORDS,
            # In the operation's parameter order (ASMX reads them in sequence); the window's
            # StartDate and EndDate are the reader's.
            params={"administrationID": "{external_id}", "GLAccountCode": "", "StartDate": "",
                    "EndDate": "", "financialMode": "0", "dataGroups": DATA_GROUPS,
                    "numberOfRecords": "{page_size}", "startRecord": "1", "searchValues": ""},
            columns={"id": "text", "documentID": "text", "transactionDate": "date",
                     "description": "text", "transactionAmount": "decimal", "currency": "text",
                     "glAccountCode": "text", "contactCode": "text", "fullName": "text",
                     "documentReference": "text", "documentType": "text",
                     "matchDocumentID": "text", "matchType": "text", "projectCode": "text",
                     "vatCode": "text"},
            required=("documentID", "transactionDate", "transactionAmount", "glAccountCode"),
            description="Transaction lines per fiscal year (GetTransactionDetails, paged by "
                        "startRecord/numberOfRecords); transactionAmount is signed, credit "
                        "negative. Years read before and closed are not read again; the current "
                        "and the previous year are re-read every import and replaced."),
        Endpoint(
            table="accounts", path=ACCOUNTING_INFO, method="GetGLAccountScheme",
            data_selector="GlAccount", primary_key="code",
            params={"administrationID": "{external_id}"},
            columns={"code": "text", "type": "bigint", "subtype": "bigint", "isEnabled": "text",
                     "descripton": "text", "isVATApplicable": "text"},
            required=("type",),
            description="The chart (GetGLAccountScheme); `descripton` is Yuki's spelling; type 1 "
                        "assets and 2 liabilities and equity (balance sheet, B), 3 revenue and "
                        "4 and up costs (profit and loss, W)."),
        Endpoint(
            table="projects", path=ACCOUNTING_INFO, method="GetProjectsAndID",
            data_selector="Project", primary_key="ID", optional=True,
            params={"administrationID": "{external_id}", "searchOption": "All",
                    "searchValue": ""},
            columns={"ID": "text", "code": "text", "description": "text", "startDate": "date",
                     "endDate": "date"},
            description="Projects (GetProjectsAndID, searchOption All)."),
        Endpoint(
            table="fiscal_periods", path=ACCOUNTING_INFO, method="GetPeriodDateTable",
            mode=LoadMode.WINDOWED, windows="fiscal_years", reader="periods_of_year",
            data_selector="Period", primary_key="id",
            params={"administrationID": "{external_id}", "yearID": ""},
            columns={"id": "text", "Year": "bigint", "PeriodNumber": "bigint",
                     "StartDate": "date", "EndDate": "date"},
            required=("Year", "PeriodNumber", "StartDate", "EndDate"),
            description="Periods of each fiscal year (GetPeriodDateTable per year, read as the "
                        "GL is: closed years once, open years every import); id is "
                        "<year>-<period>."),
        _outstanding("outstanding_debtor_items", "OutstandingDebtorItems", "Receivables"),
        _outstanding("outstanding_creditor_items", "OutstandingCreditorItems", "Payables"),
    ),
)
