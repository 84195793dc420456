"""Yuki emulator: per environment (nl: api.yukiworks.nl, be: api.yukiworks.be) one domain with its
WebServiceAccessKey and its administrations (NL chart on nl, Belgian PCMN on be), served as
/ws/Accounting.asmx (Authenticate, Administrations, OutstandingDebtorItems/CreditorItems and their
ByDateOutstanding variants) and /ws/AccountingInfo.asmx (GetTransactionDetails, GetGLAccountScheme,
GetProjectsAndID, GetPeriodDateTable) over SOAP 1.1, namespace http://www.theyukicompany.com/.

Sources: /work/shared/providers/API_FACTS.md section 6 (Yuki) and section 19; public clients
found by code search (a Go client's tests: Administrations with ID/Name/DomainID, GlAccount with
code/type/subtype/isEnabled/descripton, GLAccountBalance inline; a Rust client's tests:
TransactionInfo id/transactionDate/description/transactionAmount/currency/glAccountCode, results
inline in <OperationResult>; a TypeScript connector: Authenticate on Accounting.asmx, several
AccountingInfo results as an XML document inside the result string, GetTransactionDetails inline,
fullName/documentReference/documentType, a lone record where a list was expected).

Behaviour worth knowing (choices where the sources are silent; the client does not rely on
more than its docstring names):
- Calls are routed by the SOAPAction header (namespace + operation), as ASMX does; another one is
  a soap:Client fault. Parameters are read by name (their order is not checked).
- Authenticate(accessKey) answers a new session id (a GUID); sessions last 24 h. A call whose
  session is missing, unknown or stale gets soap:Server "Invalid or expired session ID ...";
  a call whose service spells the session parameter otherwise (sessionID on Accounting and
  AccountingInfo, sessionId on Sales and Purchase) has no session. A revoked or unknown key
  gets "Invalid access key ...". Wording ours.
- An administration the domain no longer sees (remove_administration) answers "No access to
  administration <id>."; Administrations lists only the visible ones.
- The daily budget: every call (Authenticate too) counts against the domain's calls of the
  Amsterdam calendar day, 1,000 by default (relaxed_limits: 1,000,000); once spent, every call
  answers "The maximum number of calls per day (1000) for this domain has been reached." until
  the next day; refused calls do not count. The count is kept in the state file.
- GetTransactionDetails pages with startRecord (1-based) and numberOfRecords (1-1000; outside
  that, a soap:Client fault); records in date and booking order; amounts signed, credit negative.
  Deleted bookings disappear, corrected lines keep their id. Opening balances are transactions of
  type "Opening balance" on 1 January.
- Inline results: Administrations, GetTransactionDetails, GetGLAccountScheme; XML documents inside
  the result string: OutstandingDebtorItems/CreditorItems (+ByDateOutstanding), GetProjectsAndID,
  GetPeriodDateTable. Creditor items' amounts are negative (credit).
- Injected faults match a description of the call (its body), not its URL:
  `op=GetTransactionDetails&administrationID=<id>&...&StartDate=2025-01-01&...&startRecord=1`
  (session and access key left out); `edit` gets and returns the answer's text.
"""

from monitr_sandbox.yuki.app import create_app
from monitr_sandbox.yuki.domains import SANDBOX_DOMAINS, Domain, YukiAdministration
from monitr_sandbox.yuki.provider import YukiSandboxProvider, connect_with_access_key
from monitr_sandbox.yuki.sandbox import YukiSandbox

SANDBOX = YukiSandboxProvider()

__all__ = ["SANDBOX", "SANDBOX_DOMAINS", "Domain", "YukiAdministration", "YukiSandbox",
           "YukiSandboxProvider", "connect_with_access_key", "create_app"]
