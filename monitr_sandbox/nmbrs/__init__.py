"""Nmbrs emulator: the identity service's consent page and token endpoint
(/connect/authorize, /connect/token) and the REST API under /api: debtors, companies, employees
and the company-wide history lists of employments, contracts, schedules, salaries and
departments.

Sources: /work/shared/providers/API_FACTS.md section 15 (from Rebels-io/nmbrs-mcp
src/nmbrs/client.ts and endpoints.ts, api-evangelist/nmbrs and the pypi nmbrs-rest-api README):
paths, `Authorization: Bearer` plus `X-Subscription-Key` on every request, the company-wide
history shape {employeeId, <resource>: [...]} and each record's fields, pageNumber/pageSize
paging answered {"data", "pagination": {pageNumber, totalPages, totalRecords}}, errors
{title, detail, code} (401/403 for token or subscription problems, 429 with Retry-After), the
scopes; Nmbrs' developer-portal guide as quoted in ketkeearyamane/deel-writing-test (the
subscription key beside the bearer token). IdentityServer's defaults for the token endpoint
(single-use refresh tokens, RFC 6749 error bodies).

Assumptions (not confirmed by a source found; the official docs at nmbrs.stoplight.io are not
stored):
- history records carry employmentId, contractId, salaryId, scheduleId; a department record
  carries departmentId (the department's, not the record's) and a monthly period {year, period};
- every list (companies and debtors too) is paged; pageSize at most 100, a bad one a 400;
- dates are `YYYY-MM-DDT00:00:00`, createdAt and changedDate ISO instants in UTC;
- error codes InvalidSubscriptionKey and InvalidToken (401), InsufficientScope and
  CompanyAccessDenied (403), RateLimitExceeded (429, 100 calls a minute per subscription key);
- access tokens live an hour; which scope guards which list (salaries: employee.payment.read);
- salary type "monthly" (gross a month for the contracted hours) or "hourly".

Behaviour worth knowing: one login (an accountant's) sees three companies named after the
sandbox entities ("Koffiebranderij Van Dijk B.V.", "Fietsenmakerij De Boer", "Banketbakkerij
Smit B.V."); employees and names exist in the API only; day 1 brings a raise, a department move
and a removed re-hire employment, day 2 a deleted employee (companies.py). Faults match the
decoded path+query.
"""

from monitr_sandbox.nmbrs.app import create_app
from monitr_sandbox.nmbrs.companies import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_COMPANIES,
    SANDBOX_SUBSCRIPTION_KEY,
    Company,
)
from monitr_sandbox.nmbrs.sandbox import NmbrsSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_COMPANIES",
           "SANDBOX_SUBSCRIPTION_KEY", "Company", "NmbrsSandbox", "create_app"]

from monitr_sandbox.nmbrs.provider import NmbrsSandboxProvider  # noqa: E402

SANDBOX = NmbrsSandboxProvider()
