"""HubSpot (CRM: deals and pipelines): OAuth2 per portal install (30-minute access tokens), CRM
v3 search on hs_lastmodifieddate for changed deals, archived deals as deletions, pipelines and
stages as a snapshot.

Sources: /work/shared/providers/API_FACTS.md section 13; HubSpot's OpenAPI descriptions in
/work/shared/providers/specs/hubspot/ (deals.v3.json: /crm/v3/objects/0-3 list with `after`,
`limit`, `properties`, `archived`; POST .../search with filterGroups, sorts, properties,
limit (up to 200), after; SimplePublicObject {id, properties (strings), createdAt, updatedAt,
archived, archivedAt}; paging.next.after; the Error shape {message, correlationId, category};
pipelines.v3.json: /crm/v3/pipelines/{objectType} -> results[] of Pipeline with stages[] and
metadata {probability, isClosed}); developers.hubspot.com (OAuth: app.hubspot.com/oauth/authorize,
POST api.hubapi.com/oauth/v1/token, expires_in 1800, GET /oauth/v1/access-tokens/{token} ->
hub_id, hub_domain; GET /account-info/v3/details -> portalId, companyCurrency, timeZone; search:
10,000 results a query, epoch-ms datetime filters; usage guidelines and developer
announcements: X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds/-Secondly(-Remaining)
on OAuth calls, 429 with policyName); a HubSpot community report that search answers carry no
rate-limit headers; dlt-hub verified-sources sources/hubspot (the deal properties clients ask
for, archived lists).

How the pieces are decided here:
- The portal is the token's: discovery reads token info (hub_id is the administration's id,
  hub_domain its name) and the account details (company currency). One integration = one
  install = one portal.
- Deals: INCREMENTAL on hs_lastmodifieddate through search (search.py: windows past the cap,
  ties at a window's edge). Search calls are spaced (about 4 a second) since their answers
  carry no rate-limit headers; other answers' headers pause the import when a window is spent;
  a 429 waits its Retry-After (else the window its policyName names).
- Deletions: GET /crm/v3/objects/deals?archived=true is read whole each import (it has no
  filter); each archived deal deletes its deal, its cursor being archivedAt.
- Pipelines and stages: a snapshot of /crm/v3/pipelines/deals (a stage removed is deleted).

Assumptions (not confirmed): hub_domain is the account name users know the portal by; search
answers keep deals equal on the sort property in a stable order between two calls; a deal's
archival is not reported by search (only by the archived list); the token's portal is the
entity's (a portal is reached by its own install's token only). Known limit: search is an
index that may lag a change by seconds; a change indexed only after a later one was imported
(its hs_lastmodifieddate then below the cursor) waits for the deal's next change (a cursor lag
would need the engine's incremental cursor to allow one). Not done: private-app tokens
(pat-...), which would need a static bearer credential beside OAuth2 in the engine.
"""

from monitr_pipeline.providers.hubspot.adapter import HubSpotAdapter
from monitr_pipeline.providers.hubspot.spec import SPEC

ADAPTER = HubSpotAdapter()

__all__ = ["ADAPTER", "SPEC", "HubSpotAdapter"]
