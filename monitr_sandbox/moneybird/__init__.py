"""Moneybird emulator: OAuth2, administrations, ledger accounts, projects, assets, and the
synchronization API of journal documents, financial mutations, sales and purchase invoices.

Sources: Moneybird's official OpenAPI description (moneybird/openapi `openapi.yml`, version
v2-20260821, at /work/shared/providers/specs/moneybird/) for every path, parameter, filter text and
response shape (responses are validated against it in tests/sandbox/moneybird); API_FACTS.md
section 2; developer.moneybird.com (authentication, synchronization); Nango's Moneybird guide
(access tokens without expiry, default scope sales_invoices); the Moneybird help centre ("een
beginbalans voer je in via een memoriaalboeking"); picqer/moneybird-php-client and
web-mine/moneybird (synchronization usage).

Behaviour worth knowing (documented choices where the sources are silent):
- The sandbox ledger maps onto documents as documents.py explains: one document per entry, whose
  bookings are exactly the entry's lines.
- Ids are 18-digit integers written as strings; versions are epoch seconds of the last update and
  change whenever anything a document shows changes (a payment, its state turning late).
- Synchronization lists take `filter` like the list endpoints: period defaults to this_year (relative
  to the sandbox's today = last booking date + day) unless given; state defaults to all. They are not
  paginated. POST .../synchronization.json {"ids": [...]} answers the first 100 known ids.
- projects and assets page with page/per_page (default 25, more than 100 answers 400 - the sandbox's
  choice, the real limit behaviour was not found), Link (first, prev, next, last) and X-Total-Count.
  assets lists active ones unless `active=false`, which lists the inactive (disposed) ones.
- 150 requests per 5-minute window per consent, RateLimit-Limit/-Remaining/-Reset (epoch s) on every
  API answer; over it 429 with the JSON string "Retry later" and Retry-After in seconds.
- A token without the scope an endpoint needs answers 401 {"error": "No access to <scope>"}; an
  unknown or expired token 401; an administration the login cannot see 404 "record not found".
- Token responses have no expires_in; refresh tokens rotate (the used one answers invalid_grant).
- Injected faults match a regex against the decoded path+query, apply to every path (OAuth too) and
  are logged in request_log; an injected 429 gets Moneybird's headers and body.
"""

from monitr_sandbox.moneybird.administrations import (
    SANDBOX_ADMINISTRATIONS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    Administration,
)
from monitr_sandbox.moneybird.app import create_app
from monitr_sandbox.moneybird.provider import MoneybirdSandboxProvider
from monitr_sandbox.moneybird.sandbox import MoneybirdSandbox

SANDBOX = MoneybirdSandboxProvider()

__all__ = ["SANDBOX", "SANDBOX_ADMINISTRATIONS", "SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET",
           "Administration", "MoneybirdSandbox", "create_app"]
