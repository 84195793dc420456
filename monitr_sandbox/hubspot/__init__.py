"""HubSpot emulator: app.hubspot.com's app install (OAuth2 consent), api.hubapi.com's OAuth v1
token and token-info endpoints, account details, deal pipelines and the CRM v3 deals list and
search, for two portals (HubSpot accounts), each reached by the token of its own install.

Sources: /work/shared/providers/API_FACTS.md section 13 and 19; HubSpot's OpenAPI descriptions
in /work/shared/providers/specs/hubspot/ (deals.v3.json: /crm/v3/objects/0-3, /search, the
SimplePublicObject and CollectionResponse shapes, NextPage {after, link}, the Error shape
{message, correlationId, category, errors[], context, links}, property values as strings;
pipelines.v3.json: Pipeline and PipelineStage with metadata {probability, isClosed} as
strings, default pipelines created at 0); developers.hubspot.com (OAuth: authorize on
app.hubspot.com, POST /oauth/v1/token form grants authorization_code and refresh_token,
expires_in 1800, GET /oauth/v1/access-tokens/{token} with hub_id and hub_domain; search: at
most 200 a page and 10,000 results a query, filter operators, epoch-millisecond datetime
values; usage guidelines: 110 calls every 10 s per portal for OAuth apps, search about 5 a
second, 429 bodies {status: error, errorType: RATE_LIMIT, policyName}); HubSpot's developer
announcements (X-HubSpot-RateLimit-* headers on OAuth calls, no -Daily headers there) and a
community report that search answers carry no rate-limit headers; dlt-hub verified-sources
sources/hubspot (deal properties, archived=true lists) for what clients ask.

Assumptions (not confirmed): token info's hub_domain is the account's name, which the sandbox
sets to the entity's name; the list endpoint's `after` is the next deal's id and search's
`after` an offset; results equal on the sort property come in id order; token endpoint errors
carry RFC 6749's error/error_description beside HubSpot's status/message; an expired token's
401 has category EXPIRED_AUTHENTICATION; rate-limit windows are fixed, not rolling; unset
properties are left out (the spec types property values as strings, never null); the second
portal's multi-currency deals in USD carry amount_in_home_currency at a fixed rate; a close
date picked in HubSpot is stored as the start of that day in the portal's time zone.

Behaviour worth knowing: deals are generated from each portal's seed over the 18 months
before 2026-12-01 (day 0); each day moves three open deals on, archives one and adds two. The
install page picks the portal named by the sandbox-only `sandbox_login` (an environment or a
hub id). `search_cap` sets the 10,000-result cap lower for tests. Faults match the decoded
path+query of any request.
"""

from monitr_sandbox.hubspot.app import create_app
from monitr_sandbox.hubspot.portals import (
    PORTALS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    Portal,
)
from monitr_sandbox.hubspot.sandbox import HubSpotSandbox

__all__ = ["PORTALS", "SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "HubSpotSandbox", "Portal",
           "create_app"]

from monitr_sandbox.hubspot.provider import HubSpotSandboxProvider  # noqa: E402

SANDBOX = HubSpotSandboxProvider()
