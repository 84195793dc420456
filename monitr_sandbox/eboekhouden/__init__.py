"""e-Boekhouden.nl emulator: API token -> session, limit/offset lists, mutations with per-type signs.

Sources: /work/shared/providers/API_FACTS.md section 7; the official swagger as generated into
NixySoftware/eboekhouden (packages/eboekhouden/docs/*.md and the API description in
src/apis/configuration.rs: paging limit 1..2000 default 100, filters, error codes PAGE_001,
SECURITY_010, API_SESSION_001..004, MUT_025, MUT_300, LEDG_016, EP_001); matisup10/e-Boekhouden-MCP
(client.py: session renewal on 401; services/base.py: error shape, 403 securityType, 429
Retry-After, paging until a short page; models/enums.py: ledger categories, mutation types);
nlvegan/verenigingen analyses of real REST payloads (the list has headers only; opening balance
items are id 0 / type 0, one per ledger; payment rows positive with the bank as main ledger;
memorial rows positive when credited).

Behaviour worth knowing (choices where the sources are silent):
- One API token = one administration. GET /v1/administration answers that administration
  (the swagger describes it as an accountant's list, EP_001; what it answers a non-accountant
  token was not found); /v1/administration/linked answers an empty list.
  So the administration cannot disappear while its token works: an administration that is
  cancelled takes its token with it, which revoke_api_key emulates (credentials rejected).
- Sessions last 3600 s (real lifetime not found) and live in memory; API tokens persist in the
  state file, so a restarted emulator honours the token Monitr stored. A revoked or unknown token
  gets 403 {type: security, securityType: 1, title: "Invalid access token."} (wording ours); an
  expired one 400 API_SESSION_004; an expired or unknown session 401 SECURITY_010.
- `count` is the number of matching items; pages are `items[offset:offset+limit]`, mutations by
  id, the opening balance (id 0, one item per ledger, dated the day before the first booking,
  amounts debit positive: sign convention not found) first.
- GET /v1/mutation items are headers only (MutationListItem: id, type, date, invoiceNumber,
  ledgerId, amount incl. VAT, entryNumber) with no modified date or version, as in the swagger: a
  new row description, cost centre or ledger shows in GET /v1/mutation/{id} alone. Its filters are
  type, id, invoiceNumber and date (the real `description` filter is not served). Test controls
  add_entry, change_row and delete_mutation make a bookkeeper's edits (in memory; a restart
  replays the days only).
- No year-start opening mutations (e-Boekhouden rolls balances forward); VAT is booked by
  e-Boekhouden on the VAT code's ledger category (AF19 21 %, AF6 9 %, VOOR purchases).
- Quota: 1000 calls a minute per token (limits not found), 429 with Retry-After only. Injected
  faults match a regex on the decoded path+query, apply to every path (the session too) and are
  logged in request_log.
"""

from monitr_sandbox.eboekhouden.administration import ADMINISTRATION_GUID, SANDBOX_ADMINISTRATION
from monitr_sandbox.eboekhouden.app import create_app
from monitr_sandbox.eboekhouden.provider import EBoekhoudenSandboxProvider, connect_with_api_token
from monitr_sandbox.eboekhouden.sandbox import EBoekhoudenSandbox

SANDBOX = EBoekhoudenSandboxProvider()

__all__ = ["ADMINISTRATION_GUID", "SANDBOX", "SANDBOX_ADMINISTRATION", "EBoekhoudenSandbox",
           "EBoekhoudenSandboxProvider", "connect_with_api_token", "create_app"]
