"""QuickBooks Online emulator: Intuit OAuth2, one company (realm), the v3 query language, change
data capture, Faults and throttling.

Sources: /work/shared/providers/API_FACTS.md section 4 (QuickBooks) and 19; developer.intuit.com
(change data capture: 30-day look-back, 1000 objects a response, deleted objects with status
"Deleted"; limits: 500 requests a minute and 10 at once per company); ej2/python-quickbooks
(client.py: URLs, query, cdc, minorversion, Fault handling and code ranges; objects/: field names;
tests/unit/test_cdc.py: CDC shapes); airbyte source-quickbooks (manifest.yaml: queries on
MetaData.LastUpdatedTime with `Active IN (true, false)`, STARTPOSITION/MAXRESULTS paging; schemas);
issue threads for the error shapes (python-quickbooks #43/#120/#250, erpnext #29161, node-quickbooks
#154, ruckus/quickbooks-ruby #348, QuickBooksSharp #19); IntuitDeveloper Tokens.md (token rules).

Behaviour worth knowing (documented deviations and choices):
- One emulator serves appcenter.intuit.com (/connect/oauth2), oauth.platform.intuit.com
  (/oauth2/v1/tokens/bearer, HTTP Basic client auth only) and the v3 API. The consent page
  approves at once and redirects with code, state and realmId.
- The sandbox company books every ledger entry as a JournalEntry; Invoices and Bills are served as
  the documents behind its receivables and payables (Balance = the open amount) and post nothing
  themselves. A real company books most of its ledger through invoices, bills, payments, ...
  which these journal entries stand in for. Cost centres are Classes, cost units Departments;
  projects are not served (QBO projects are customers). A later year's opening entry carries the
  receivables and payables forward as one total each, without the Entity QBO would demand.
- Query responses: `{"QueryResponse": {<Entity>: [...], "startPosition", "maxResults": <rows in
  this page>}, "time"}`, `{"QueryResponse": {}}` past the end; default order by Id. Name lists
  answer active rows unless the query names Active.
- MetaData times and `time` use Intuit's Pacific offset (-08:00/-07:00); not verified for non-US
  companies. Objects of the company's history are stamped before the sandbox state was created,
  days and test changes at the moment they are applied (stored, so restarts replay them).
- CDC answers changed objects in full and deleted journal entries as {Id, status: "Deleted",
  MetaData.LastUpdatedTime}, oldest first, at most 1000 over all entities. A changedSince older
  than 30 days answers 400 with Intuit's wording; its error code (2010 here) was not found.
- 401: the lower-case `fault` shape, code 3200; 403 for another company's realm: code 3100;
  429: the XML ThrottleExceeded Fault (code 3001) without Retry-After (none is documented).
  Without `Accept: application/json` answers are XML, as QBO's default.
- Refresh tokens change value when older than `refresh_rotation_seconds` (24 h; 0 in tests that
  need it) and a superseded value is refused with invalid_grant.
- Injected faults match a regex against the decoded path+query and are logged like any request.
"""

from monitr_pipeline.sandbox.quickbooks.app import create_app
from monitr_pipeline.sandbox.quickbooks.company import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REALM,
)
from monitr_pipeline.sandbox.quickbooks.provider import QuickBooksSandboxProvider
from monitr_pipeline.sandbox.quickbooks.sandbox import QuickBooksSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_REALM", "QuickBooksSandbox",
           "create_app"]

SANDBOX = QuickBooksSandboxProvider()
