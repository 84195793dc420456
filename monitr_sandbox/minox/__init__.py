"""Minox emulator: app.minox.nl's OAuth2 consent and token endpoint, token introspection, and the
REST API under /api/1 per tenant (client number) and administration.

Sources: /work/shared/providers/API_FACTS.md section 10 (Minox) and 19; onetoweb/minox (PHP client:
src/Client.php for the base URL, OAuth URLs, the JSON token request, the x-rate-limit-limit /
-remaining / -reset (epoch ms) headers it throttles on, and a bare JSON error value read as
{"message": ...}; src/Endpoint/* for every path: /tenant/{clientNumber}/administration,
/tenant/{n}/administration/{id}/ledger_account, journal, cost_center, cost_type, receivable,
payable, year/{year}/transaction_lines, and Meta::inspect = POST /inspect with HTTP Basic;
docs/*.rst for payload fields: a transaction line's account {id, scheme, type}, cost_center {id},
debit/credit, document_date, due_date, entry_number, invoice_number, journal {id},
period {id, fiscal_year}, vat {id, amount}, currency {id}; a receivable's account_id, account,
invoice_number, invoice_date and due_date as ...T00:00:00.000Z, total, paid, balance, currency;
docs/scopes.rst for the scopes); Apideck's Minox pages (one connection = one administration,
the main user consents, the customer number "taken from your login", ~20 calls then a 120 s
Retry-After, aged receivables/payables as of today only, open-item id != invoice id); the Minox
wiki (administration numbers up to 99,999, fiscal years per administration).

Assumptions (not confirmed by any source found; Minox's own docs at app.minox.nl/docs/api/rest
are not stored):
- Lists are bare JSON arrays paged with `limit` (at most 1,000) and `offset`; a short page is
  the last.
- GET .../administration/{id}/year lists the fiscal years {year, start_date, end_date, closed,
  periods: [{id, start_date, end_date}]}; opening entries are in period 0.
- A transaction line carries its own `id` (uuid), `batch_id` (the transaction line batch),
  `line_number`, and `relation` {id, type, name} for customer/supplier lines; a ledger account
  carries `type` (balance | profit_loss); a receivable/payable carries its open-item `id` and
  `account_name`.
- POST /inspect answers RFC 7662 fields plus `client_number`.
- API errors are {"message": ...}; an unknown administration is a 404, another tenant a 403.
- The rate-limit window is 60 s; a 429 starts a penalty of Retry-After seconds.

Behaviour worth knowing: the consent page signs in as the main user of the subscription named by
the sandbox-only `sandbox_login` parameter (the first subscription without it); each sandbox
subscription has one administration. Faults match the decoded path+query of any request.
"""

from monitr_sandbox.minox.app import create_app
from monitr_sandbox.minox.sandbox import MinoxSandbox
from monitr_sandbox.minox.tenants import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_TENANTS,
    Tenant,
)

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_TENANTS", "MinoxSandbox",
           "Tenant", "create_app"]

from monitr_sandbox.minox.provider import MinoxSandboxProvider  # noqa: E402

SANDBOX = MinoxSandboxProvider()
