"""Teamleader Focus (BE CRM: deals, subscriptions, projects with their tracked time and
materials): OAuth2 with single-use rotating refresh tokens, RPC-style POST `<resource>.list`
paged in the body, one token = one account whose departments are the company entities
(administrations).

Sources: /work/shared/providers/API_FACTS.md section 14 and 19; Teamleader's API Blueprint in
/work/shared/providers/specs/teamleader/ (authentication.apib: authorize on
focus.teamleader.eu/oauth2/authorize, POST focus.teamleader.eu/oauth2/access_token with
client_id/client_secret in the body, expires_in 3600, "refresh tokens can only be used once to
get a new access token and refresh token"; introduction.apib: POST
https://api.focus.teamleader.eu/<resource>.<action>, "page": {"size", "number"}, errors
{"errors": [{"title"}]}, 200 calls per sliding minute with X-RateLimit-Limit/-Remaining/-Reset
(an ISO moment) and 429; deals, dealPipelines, dealPhases, subscriptions, projects-v2
projects: filters and answer fields);
teamleadercrm/api src/01-general/users.apib (users.me -> account) and departments.apib
(departments.list/.info: id, name, vat_number, currency), src/09-time-tracking/time-tracking.apib
(timeTracking.list with includes=relates_to: what an entry relates to, a project among them;
duration in seconds; hourly_rate) and src/12-nextgen-projects/materials.apib (materials.list:
project, quantity, unit_cost, cost, start_date).

How the pieces are decided here:
- Administrations are the account's departments (departments.list); an entity imports what its
  department owns: subscriptions by the documented department_id filter; deals and projects by
  their department / company_entity (those lists have no department filter); time and
  materials by the department's projects they relate to. Pipelines and phases are the
  account's, read per entity.
- Every list is a SNAPSHOT (spec.py says why: deletions are never listed and a full list costs
  no more than an id-only one), sorted ascending on a creation key so paging is stable.
- Rotating refresh tokens: the engine's RefreshingBearerAuth refreshes under the integration's
  lock and saves each new pair at once (as for Exact Online), so a spent refresh token is never
  sent twice.
- X-RateLimit-Remaining 0 pauses until X-RateLimit-Reset; a 429 waits until it too.

Assumptions (not confirmed): every endpoint answers POST (the Blueprint shows GET for users.me
and departments.list); the projects module is the new one (projects-v2), and its company_entity
is the department; a time entry counts for a project when relates_to names it; a material's cost
is dated by its start_date; the Date header is Teamleader's clock; an open deal's closed_at is
null (the Blueprint types it a string; its one example is a closed deal).
"""

from monitr_pipeline.providers.teamleader.adapter import TeamleaderAdapter
from monitr_pipeline.providers.teamleader.spec import SPEC

ADAPTER = TeamleaderAdapter()

__all__ = ["ADAPTER", "SPEC", "TeamleaderAdapter"]
