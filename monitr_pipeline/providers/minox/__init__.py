"""Minox (NL): OAuth2 per subscription, REST per tenant (client number) and administration, GL
lines read per fiscal year with no change feed.

Sources: /work/shared/providers/API_FACTS.md section 10; onetoweb/minox (PHP client):
src/Client.php (base https://app.minox.nl/api/1, /oauth/authorize and /oauth/token, the
authorization_code and refresh_token grants, the x-rate-limit-limit, -remaining and -reset (epoch
milliseconds) headers it waits on when remaining < 1, a bare JSON error value read as a message),
src/Endpoint/* (every path: tenant/{clientNumber}/administration and, per administration,
ledger_account, journal, cost_center, cost_type, year/{year}/transaction_lines, receivable,
payable; Meta::inspect, POST /inspect with HTTP Basic), docs/*.rst (payload fields: a line's
account {id, scheme, type}, cost_center {id}, debit, credit, document_date, due_date,
entry_number, invoice_number, journal {id}, period {id, fiscal_year}, vat {id, amount},
currency {id}; a receivable's account_id, account, invoice_number, invoice_date, due_date,
total, paid, balance, currency) and docs/scopes.rst; Apideck's Minox connector pages (the main
user consents, one connection covers one administration, the customer number is "taken from your
login", ~20 calls a window then a 120 s Retry-After, aged receivables/payables as of today only,
open-item ids are not invoice ids); docs.chift.eu and docs.unified.to (OAuth2; nothing more).

How the pieces are decided here:
- The consent is the subscription main user's. The client number is what token introspection
  (POST /inspect) answers as `client_number` (assumed field). Discovery lists the subscription's
  administrations (GET /tenant/{n}/administration): what the login can see. The administration a
  connection covers is the one selected from that list (as Apideck's "choose the administration"
  step); an entity's external id is `<client number>/<administration id>`.
- Fiscal years are windows (LoadMode.WINDOWED): each import reads every year not read before and
  every year the year list does not mark `closed`.
- Rate limits: a successful answer with x-rate-limit-remaining 0 pauses until x-rate-limit-reset
  (logged with the entity by the engine); a 429 waits its Retry-After.

Assumptions (not confirmed; Minox's docs at app.minox.nl/docs/api/rest are not stored): `limit`
and `offset` paging of bare JSON arrays; GET .../year as the list of fiscal years with their
periods and `closed`; a transaction line's `id`, `batch_id`, `line_number` and `relation`; a
ledger account's `type` (balance | profit_loss); a receivable's open-item `id`, `account_name`;
opening entries in period 0; error bodies {"message": ...}; introspection's `client_number`.
Not found at all: an incremental or deletion mechanism, fixed assets, a machine-readable spec.
"""

from monitr_pipeline.providers.minox.adapter import MinoxAdapter
from monitr_pipeline.providers.minox.spec import SPEC

ADAPTER = MinoxAdapter()

__all__ = ["ADAPTER", "SPEC", "MinoxAdapter"]
