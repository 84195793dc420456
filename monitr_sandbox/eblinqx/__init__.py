"""eBlinqx Fiscaal emulator: the FinteQX Accounting Package API under /api/accounting-package:
the account's companies (GET), linking them to Monitr entities (POST [{id, monitrClientId}]),
and each company's annual accounts per fiscal year.

Source: eblinqx-fiscaal.trengohelp.com article 441497 (API_FACTS.md section 16): base
https://api.finteqx.nl; `X-Api-Key` and `Accept-Language: nl-NL` on every call; GET
/api/accounting-package/companies -> [{id, name, chamberOfCommerceNumber,
legalFormApplyForAnnualAccount, monitrClientId}]; POST the same path with [{id, monitrClientId}]
links companies.

Assumptions (not documented; the same as the client's, providers/eblinqx/__init__.py):
- GET /api/accounting-package/companies/{id}/annual-accounts -> a JSON array, one object per
  fiscal year {id, companyId, fiscalYear, periodStart, periodEnd, status (concept, definitief,
  gedeponeerd), balanceSheetTotal, equity, revenue, resultBeforeTax, resultAfterTax,
  preparedDate, adoptionDate, filingDate, modifiedAt}; whole euros as JSON numbers;
- no list is paged;
- errors are ASP.NET Core ProblemDetails (application/problem+json: type, title, status,
  detail, traceId; validation errors under `errors`) in Dutch: 401 for a missing or unknown
  key, 404 for a company not (or no longer) of the account, 400 for a bad link body (one bad
  item links none), 429 with Retry-After past 60 calls a minute per key;
- POST /companies answers 200 with the linked companies;
- a company whose legal form need not file never reaches gedeponeerd.

Behaviour worth knowing: the account holds four companies, three named after sandbox entities
("Installatiebedrijf Smit BV", "Smit Vastgoed B.V.", "Studio Visser Ontwerp") and one linked to
another Monitr client ("Bakkerij De Wit V.O.F."); in the sandbox organisation the accountant has
linked Smit Vastgoed already (provider.py), so it joins its entity by monitrClientId, the others
by name, and are linked then. Figures are deterministic (companies.py); days 1-4 file a year,
adopt a concept with revised figures, withdraw a concept and draw it up again. Faults match the
decoded path+query. API keys, links and the day survive a restart.
"""

from monitr_sandbox.eblinqx.app import create_app
from monitr_sandbox.eblinqx.companies import SANDBOX_COMPANIES, Company
from monitr_sandbox.eblinqx.sandbox import EBlinqxSandbox

__all__ = ["SANDBOX_COMPANIES", "Company", "EBlinqxSandbox", "create_app"]

from monitr_sandbox.eblinqx.provider import EBlinqxSandboxProvider  # noqa: E402

SANDBOX = EBlinqxSandboxProvider()
