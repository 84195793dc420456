"""Teamleader Focus emulator: focus.teamleader.eu's OAuth2 consent and token endpoint (single-use
rotating refresh tokens) and api.focus.teamleader.eu's RPC-style POST calls for one account with
two departments, named after the sandbox entities they sit beside (Brasserie Janssens BV,
Frituur Peeters BV; EUR).

Sources: /work/shared/providers/API_FACTS.md section 14 and 19; Teamleader's API Blueprint in
/work/shared/providers/specs/teamleader/ (authentication.apib: the authorize parameters, the
token answer {token_type: Bearer, expires_in: 3600, access_token, refresh_token}, codes single
use for 10 minutes, refresh tokens single use; introduction.apib: {"data": ...} answers,
"page": {"size", "number"}, {"errors": [{"title"}]}, 200 calls per sliding minute and the
X-RateLimit-Limit/-Remaining/-Reset headers, 429; the list calls' filters, sorts and answer
attributes of deals, dealPipelines, dealPhases, subscriptions and projects-v2 projects);
teamleadercrm/api src/01-general/users.apib and departments.apib (users.me, departments.list
and .info), src/09-time-tracking/time-tracking.apib (timeTracking.list: duration in seconds,
relates_to with includes=relates_to, hourly_rate), src/12-nextgen-projects/materials.apib
(projects-v2/materials.list).

Assumptions (not confirmed): page size over 100 is refused with 400 (the docs say max 100);
meta (page, matches) is given only with includes=pagination, as the Blueprint says for
dealPipelines and projects-v2; token endpoint refusals carry league/oauth2-server's
{error, error_description, message}; error bodies carry `status` beside `title`; the
X-RateLimit-Reset moment is written in UTC; every call answers GET and POST; a project's cost
is 60% of its time's price plus its materials' cost; the rate limit counts all calls of the
account, one integration; an open deal's closed_at is null; departments.info's address is
{line_1, postal_code, city, country}.

Behaviour worth knowing: data are generated from each department's seed over the 18 months
before 2026-12-01 (day 0); each day moves two open deals on (next phase, won or lost), deletes
one deal and adds one, deactivates one subscription and adds one, tracks time on every open
project, deletes one time entry and adds a material to an open project, per department.
Answers carry Date = noon UTC of the sandbox day (the account's clock, what a reading is as
of).
"""

from monitr_sandbox.teamleader.account import (
    DEPARTMENTS,
    PIPELINES,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
)
from monitr_sandbox.teamleader.app import create_app
from monitr_sandbox.teamleader.sandbox import TeamleaderSandbox

__all__ = ["DEPARTMENTS", "PIPELINES", "SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET",
           "TeamleaderSandbox", "create_app"]

from monitr_sandbox.teamleader.provider import TeamleaderSandboxProvider  # noqa: E402

SANDBOX = TeamleaderSandboxProvider()
