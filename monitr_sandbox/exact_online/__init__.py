"""Exact Online emulator: OAuth2, divisions, sync/standard OData endpoints, quotas and faults.

Sources: /work/shared/providers/API_FACTS.md section 1 (Exact Online) and section 19 (emulator
notes); picqer/exact-php-client (Connection.php: token flow, rate-limit headers, entity field
names); airbyte source-exact (sync endpoints, Timestamp cursors, sync/Deleted, `/Date(ms)/` as
Amsterdam wall-clock time); picqer issues #451/#470/#544 (division not validated on
system/Divisions, "Old refresh token used").

Behaviour worth knowing (documented deviations and choices):
- Without `Accept: application/json` the API answers a minimal Atom XML feed, as Exact does.
- `$select` is mandatory on every division endpoint (400 with Exact's message) unless `$top=1`;
  `$select=*` returns all fields. Sync endpoints accept only `$filter=Timestamp gt <n>L`;
  standard endpoints accept `Field op literal [and ...]` with eq/ne/gt/ge/lt/le.
  `$orderby`, `$expand` and `$skip` answer 400 (not emulated).
- `__next` is a full URL with `$skiptoken` = the last row's key (Timestamp on sync endpoints,
  the GUID or Code elsewhere): keyset paging, so rows changing mid-read are never skipped.
- Sales and purchase entries number their control line 0 (Exact's header line); other entry
  types number lines from 1. Relation codes (AccountCode) are right-aligned to 18 characters.
- Timestamps are above Int32 (10^10 + ...), deterministic per day (see feed.py).
- A refresh while the access token is younger than ttl - 30 s answers 400 invalid_request and
  leaves the refresh token valid; the wording of that message is the sandbox's own (not found).
- Injected faults match a regex against the decoded path+query, apply to every path (OAuth too)
  and are logged in request_log like any request; an injected 429 gets Exact's minutely headers.
"""

from monitr_sandbox.exact_online.app import create_app
from monitr_sandbox.exact_online.environments import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ENVIRONMENTS,
    Division,
)
from monitr_sandbox.exact_online.sandbox import ExactSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_ENVIRONMENTS", "Division",
           "ExactSandbox", "create_app"]

from monitr_sandbox.exact_online.provider import ExactSandboxProvider  # noqa: E402

SANDBOX = ExactSandboxProvider()
