"""QuickBooks Online emulator: Intuit OAuth2, one company (realm), the v3 query language, change
data capture, the GeneralLedger report, Faults and throttling.

Sources: /work/shared/providers/API_FACTS.md section 4 (QuickBooks) and 19; developer.intuit.com
(change data capture: 30-day look-back, 1000 objects a response, deleted objects with status
"Deleted"; limits: 500 requests a minute and 10 at once per company; the report entities
GeneralLedger, JournalReport and TransactionListWithSplits, see reports.py); ej2/python-quickbooks
(client.py: URLs, query, cdc, minorversion, Fault handling and code ranges; objects/: field names;
tests/unit/test_cdc.py: CDC shapes); airbyte source-quickbooks (manifest.yaml: queries on
MetaData.LastUpdatedTime with `Active IN (true, false)`, STARTPOSITION/MAXRESULTS paging; schemas);
issue threads for the error shapes (python-quickbooks #43/#120/#250, erpnext #29161, node-quickbooks
#154, ruckus/quickbooks-ruby #348, QuickBooksSharp #19); IntuitDeveloper Tokens.md (token rules).

Behaviour worth knowing (documented deviations and choices):
- One emulator serves appcenter.intuit.com (/connect/oauth2), oauth.platform.intuit.com
  (/oauth2/v1/tokens/bearer, HTTP Basic client auth only) and the v3 API. The consent page
  approves at once and redirects with code, state and realmId.
- The sandbox company books each ledger entry as the transaction its document suggests
  (transactions.py): Invoice, CreditMemo, Bill, Payment, BillPayment, Transfer, Purchase
  ("Expense"), and JournalEntry only for memorial entries (opening balances, payroll, VAT
  returns, depreciation); Deposit, SalesReceipt, RefundReceipt and VendorCredit are served, empty.
  Invoices and Bills carry their open Balance. Invoices and bills from before the books began
  exist as documents only: the first opening entry carries them. Cost centres are Classes, cost
  units Departments; projects are not served (QBO projects are customers). QBO has no year-end
  closing, so only the ledger's first opening entry is booked; the later years' ones are removed
  from the company's ledger (books.py), and an account's balance (CurrentBalance, the control
  accounts against the open invoices and bills) is the sum of all its transactions. Objects keep
  the type they were created with; change_date re-dates one.
- reports/GeneralLedger answers one Section per account with a Data row per posting (the
  ledger's lines); other reports answer a Fault. Choices and limits in reports.py.
- Query responses: `{"QueryResponse": {<Entity>: [...], "startPosition", "maxResults": <rows in
  this page>}, "time"}`, `{"QueryResponse": {}}` past the end; default order by Id. Name lists
  answer active rows unless the query names Active.
- MetaData times and `time` use Intuit's Pacific offset (-08:00/-07:00); not verified for non-US
  companies. Objects of the company's history are stamped before the sandbox state was created,
  days and test changes at the moment they are applied (days are stored, so restarts replay them
  at the same moments; test changes are not).
- CDC answers changed objects in full and deleted transactions as {Id, status: "Deleted",
  MetaData.LastUpdatedTime}: the 1000 oldest over all entities asked for, grouped per entity.
  A changedSince older than 30 days answers 400 with Intuit's wording; its error code (2010 here)
  was not found.
- 401: the lower-case `fault` shape, code 3200; 403 for another company's realm: code 3100;
  429: the XML ThrottleExceeded Fault (code 3001) without Retry-After (none is documented).
  Without `Accept: application/json` answers are XML, as QBO's default.
- Refresh tokens change value when older than `refresh_rotation_seconds` (24 h; 0 in tests that
  need it) and a superseded value is refused with invalid_grant.
- Injected faults match a regex against the decoded path+query and are logged like any request.
"""

from monitr_sandbox.quickbooks.app import create_app
from monitr_sandbox.quickbooks.company import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REALM,
)
from monitr_sandbox.quickbooks.provider import QuickBooksSandboxProvider
from monitr_sandbox.quickbooks.sandbox import QuickBooksSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_REALM", "QuickBooksSandbox",
           "create_app"]

SANDBOX = QuickBooksSandboxProvider()
