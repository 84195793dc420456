"""eBlinqx Fiscaal (NL annual accounts): the FinteQX Accounting Package API with an API key,
companies as administrations (assigned beside an entity, linked to it through monitrClientId),
each company's annual accounts per fiscal year read whole every import.

Source: eblinqx-fiscaal.trengohelp.com article 441497 "Developers informatie voor aansluiten op
Financial data API" (API_FACTS.md section 16): base https://api.finteqx.nl, API version 1.0.0;
every call carries `X-Api-Key` (made in eBlinqx Fiscaal under Instellingen > Koppelingen >
Financial data API > Nieuwe API Key > Accounting Package API) and `Accept-Language: nl-NL`;
GET /api/accounting-package/companies answers a JSON array of {id (uuid), name,
chamberOfCommerceNumber (optional), legalFormApplyForAnnualAccount (bool), monitrClientId (uuid,
optional)}; POST /api/accounting-package/companies with an array of {id (required),
monitrClientId (optional)} links companies to the accounting package's own ids. The API exists
for packages to send financial reports in and to read the status of forms such as the KvK
filing (kvk-depot).

How the pieces are decided here:
- A company is an administration; monitrClientId is our entity's reference
  (ControlPlane.entity_reference). Discovery reports it as Administration.entity_hint, so
  selection joins that entity without asking; a company connected without one is linked by
  POSTing {id, monitrClientId} once the user chose the entity (connections/connect.py).
- Both lists are SNAPSHOTs (no change feed is documented): each import reads them whole, loads
  new and changed rows and deletes rows gone at eBlinqx; rows are keyed by their ids, so
  re-imports never duplicate.
- The key is checked against the company list before it is stored; a 401 later marks the
  integration credentials_rejected with the steps to enter a new key.

Assumptions (nothing below is documented; the article describes only the two company calls):
- annual accounts are read with GET /api/accounting-package/companies/{id}/annual-accounts, a
  JSON array with one object per fiscal year: {id (uuid), companyId, fiscalYear, periodStart,
  periodEnd, status, balanceSheetTotal, equity, revenue, resultBeforeTax, resultAfterTax,
  preparedDate, adoptionDate, filingDate, modifiedAt}; amounts in euros as JSON numbers, dates
  `YYYY-MM-DD`, modifiedAt an ISO instant in UTC;
- status is `concept` (drawn up, preparedDate), `definitief` (adopted, adoptionDate) or
  `gedeponeerd` (filed at the KvK, filingDate); a company whose legal form need not file
  (legalFormApplyForAnnualAccount false) never reaches gedeponeerd;
- no list is paged (the company list is documented as a plain array; the others are read the
  same way);
- errors are ASP.NET Core ProblemDetails {type, title, status, detail, traceId} with Dutch
  texts: 401 for a missing, unknown or deleted key, 404 for a company not (or no longer) linked
  to the account, 400 with {errors: {field: [...]}} for a bad link body, 429 with Retry-After
  (60 calls a minute per key, assumed);
- POST /companies answers 200 with the companies it linked; an id not of the account is a 400
  and links none of the batch.
"""

from monitr_pipeline.providers.eblinqx.adapter import ApiKeyAuth, EBlinqxAdapter
from monitr_pipeline.providers.eblinqx.spec import SPEC

ADAPTER = EBlinqxAdapter()

__all__ = ["ADAPTER", "SPEC", "ApiKeyAuth", "EBlinqxAdapter"]
