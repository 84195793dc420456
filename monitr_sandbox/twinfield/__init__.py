"""Twinfield emulator: OpenID Connect login host, access-token validation naming the cluster, and
per organisation a cluster serving processxml.asmx (offices, browse definitions, browse data
030_3/100/200) and finder.asmx (OFF, DIM with dimtype BAS/PNL/DEB/CRD/KPL/PRJ/AST, PRD) over SOAP.

Sources: /work/shared/providers/API_FACTS.md section 5 (Twinfield) and section 19;
php-twinfield/twinfield (OpenIdConnectAuthentication: token validation and twf.clusterUrl, the
AccessToken/CompanyCode SOAP header and the missing-company fault, FinderService's Search
parameters, Response.php's result="0"/msgtype="error" checks, browseDataGetResponse.xml and
officeOauthGetResponse.xml for the answer shapes); Yoast/singer-tap-twinfield queries.py (browse
requests: columns, operators, yearperiod between filters).

Behaviour worth knowing (choices and deviations):
- One emulator per sandbox organisation (environment nl, be): its login host on the provider's
  port, and its cluster served on another port the first time a token is validated (the NL
  organisation is on cluster "accounting", the BE one on "accounting2"). An office's calls on the
  other organisation's cluster are refused like any unknown company.
- Access tokens live an hour; refresh tokens (scope offline_access) do not rotate.
- Invalid or expired tokens, a missing or unknown CompanyCode and unreadable envelopes answer a
  soap:Fault with HTTP 500; failed ProcessXml requests answer 200 with result="0" and
  msgtype="error" msg="..." on the element at fault; finder errors come in SearchResult. Only the
  missing-company wording is Twinfield's own; the others are the sandbox's.
- A browse answers all its rows in one document (no paging); the finder pages with
  firstRow/maxRows. matchstatus cannot be a browse filter. Status filter "normal" selects every
  final transaction. PRD rows carry a sandbox status column (open: the last fiscal year).
- Corrections and removals of final transactions are reversals (see books.py), booked in the
  original's period with a new `modified`; opening balances are in period 0.
- Injected faults on the cluster match a description of the SOAP call, not its URL:
  `op=ProcessXmlString&request=columns&code=030_3&yearperiod=2025/01-2025/01&company=NLA000101`,
  `op=Search&type=DIM&dimtype=BAS&firstRow=1&company=...`; `edit` gets and returns the answer's
  text. An injected 429 gets Retry-After: 1 unless the test says otherwise.
"""

from monitr_sandbox.twinfield.app import create_cluster_app, create_login_app
from monitr_sandbox.twinfield.organisations import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ORGANISATIONS,
    Office,
    Organisation,
)
from monitr_sandbox.twinfield.sandbox import TwinfieldSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_ORGANISATIONS", "Office",
           "Organisation", "TwinfieldSandbox", "create_cluster_app", "create_login_app"]

from monitr_sandbox.twinfield.provider import TwinfieldSandboxProvider  # noqa: E402

SANDBOX = TwinfieldSandboxProvider()
