"""Xero emulator: identity (consent with PKCE, tokens), /connections, Accounting and Assets APIs.

Sources: /work/shared/providers/API_FACTS.md section 3 (Xero) and section 19; XeroAPI/Xero-OpenAPI
16.1.0 (xero_accounting.yaml, xero_assets.yaml, xero-identity.yaml in
/work/shared/providers/specs/xero/: every path, parameter and response shape; the tests validate
the emulator's answers against them); Xero's official reply in developer community thread
105714701 (refresh tokens: 30 days unused, rotation, 30-minute grace for the previous one);
freakboy3742/pyxero PR #337 and waynerobinson/xeroizer PR #509 (the 401 problem body with
"TokenExpired: token expired at ..."); Codat's "Xero API Rate Limiting" article and public Xero
clients' tests (X-Rate-Limit-Problem "minute"/"day", Retry-After in seconds).

Behaviour worth knowing (choices and deviations):
- One Flask app serves all three real hosts (login.xero.com, identity.xero.com, api.xero.com);
  their paths do not collide, so an integration's single base URL override points at all of them.
- The consent page approves at once and connects every organisation of the sandbox login.
  The token endpoint wants HTTP Basic client auth (or, for a PKCE public client, only client_id);
  a code issued with a code_challenge needs the matching code_verifier.
- Without `Accept: application/json` the Accounting API answers XML, as Xero does.
- Journals are an append-only log (see books.py): edits and voids are reversing journals.
  Year-start opening entries of the sandbox ledger are not booked (Xero has no year-end closing).
- Assets API dates are written `2020-01-01T00:00:00` as in the spec's own examples, although
  the spec types them `format: date`; /connections times carry no offset, as in its example.
- The minute/day windows are fixed clock windows; the 5-concurrent-calls limit is not emulated.
  The wording of 400 query errors is the sandbox's own (Xero's was not found).
- Injected faults match a regex against the decoded path+query of any request, OAuth included.
"""

from monitr_sandbox.xero.app import create_app
from monitr_sandbox.xero.sandbox import XeroSandbox
from monitr_sandbox.xero.tenants import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_TENANTS,
    Tenant,
)

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_TENANTS", "Tenant",
           "XeroSandbox", "create_app"]

from monitr_sandbox.xero.provider import XeroSandboxProvider  # noqa: E402

SANDBOX = XeroSandboxProvider()
