"""Nmbrs (NL payroll): OAuth2 at Nmbrs' identity service plus our app's subscription key on every
call, REST per company (a company is an administration, assigned beside an entity), employee
histories read whole each import.

Sources: /work/shared/providers/API_FACTS.md section 15, which cites Rebels-io/nmbrs-mcp
(src/nmbrs/client.ts, endpoints.ts), api-evangelist/nmbrs and the pypi nmbrs-rest-api README:
base https://api.nmbrsapp.com with paths under /api/; authorize and token at
https://identityservice.nmbrs.com/connect/authorize and /connect/token; `Authorization: Bearer`
and `X-Subscription-Key` on every request; GET /api/companies -> {companyId, number, name,
debtorId}; GET /api/companies/{companyId}/employees -> {employeeId, employeeBasicInfo{...,
employeeType}}; company-wide history lists GET /api/companies/{companyId}/employees/{resource}
-> {employeeId, <resource>: [...]} for employments {startDate, endDate, seniorityDate,
changedDate}, contracts {startDate, endDate, indefinite, hoursPerWeek, createdAt}, salaries
{startDate, type, value, createdAt}, schedules {startDate, parttimePercentage, hoursPerWeek,
daysPerWeek, createdAt}, departments {code, description, createdAt, period{year, period}};
pageNumber (1-based) + pageSize answered as {"data", "pagination": {pageNumber, totalPages,
totalRecords}}; errors {title, detail, code}, 401/403 for token or subscription problems, 429
with Retry-After; no change feed and no deletion log. Nmbrs' developer-portal guide (as quoted
in ketkeearyamane/deel-writing-test, content/docs/user-guides/hris-integrations/
getting-started.md): the client id and secret and the subscription come from the developer
portal, and a call carries `X-Subscription-Key` beside the bearer token.

How the pieces are decided here:
- The subscription key is our app's, like its client id and secret: OAuth2Spec.app_headers
  sends it on every call; it is kept with the integration's credentials (given at consent as
  MONITR_NMBRS_SUBSCRIPTION_KEY) and never logged.
- Every list is a SNAPSHOT per company: each import reads it whole, loads new and changed rows
  and deletes rows gone at Nmbrs (an employment removed, an employee deleted).
- Only ids, dates, hours, percentages, departments and salaries are declared; names, initials,
  birth dates, addresses and employee numbers are never loaded. Salary values are `sensitive`:
  an error about one names the entity, the record and the field, never the value.

Assumptions (not confirmed; the official docs at nmbrs.stoplight.io are not stored):
- history records carry their own ids: employmentId, contractId, salaryId, scheduleId; a
  department record has none of its own (departmentId names the department), so it is keyed
  by employee and period; periods are monthly payroll periods (1-12);
- /api/companies pages like the other lists; pageSize at most 100;
- dates are written `YYYY-MM-DDT00:00:00`, createdAt/changedDate as ISO instants;
- error codes: InvalidToken and InvalidSubscriptionKey (401), CompanyAccessDenied (403) for a
  company the login no longer sees, CompanyNotFound (404), RateLimitExceeded (429);
- salary `type` is "monthly" (gross a month for the contracted hours) or "hourly".
"""

from monitr_pipeline.providers.nmbrs.adapter import NmbrsAdapter
from monitr_pipeline.providers.nmbrs.spec import SPEC

ADAPTER = NmbrsAdapter()

__all__ = ["ADAPTER", "SPEC", "NmbrsAdapter"]
