"""Stripe API emulator: a Connect platform with three connected accounts (Studio Visser Ontwerp in
EUR, Koffiebranderij Van Leeuwen B.V. in USD, Drukkerij Claes BV in EUR with some GBP customers),
about 18 months of subscriptions, invoices and events, and a clock that each sandbox day moves on.

Sources: /work/shared/providers/API_FACTS.md section 12; Stripe's example objects
(stripe/openapi fixtures3.json: every object served carries its type's fields, tests/sandbox/
test_stripe_emulator.py checks it); docs.stripe.com (API reference: list pagination with limit
1..100 default 10, starting_after/ending_before and has_more, newest first; `status=all` on
subscriptions, whose default leaves canceled ones out; expand[]; events kept 30 days, `type`
with a wildcard and `types[]` up to 20; errors {"error": {type, code, message, param, doc_url}};
rate limits: 25 requests a second in test mode, 429 code rate_limit; Connect: the
Stripe-Account header).

Behaviour worth knowing (choices where the sources are silent or where the emulator is simpler):
- The clock: day 0 is 2026-11-20 18:00 UTC, each sandbox day adds a day; the Date header of every
  answer is this clock (clients take "now" from it). History starts 2025-06-01.
- Prices never change on a running item and quantities stay as created: a plan switch cancels
  the subscription at once and starts another for the customer; an add-on is a new item
  (`created` when added); a cancellation is at period end (status active until then, cancel_at
  set) or at once. So each subscription's past is readable from the object as it is now.
- Coupons are on subscriptions only (discounts[] holds discount ids; expand
  `discounts.source.coupon`): forever percent and amount-off, repeating (3 months) and once.
- Late payments: an invoice left open makes its subscription past_due for 6 days, then it is
  paid; some invoices are voided. No proration invoices, no taxes.
- A deleted customer answers {"id", "object": "customer", "deleted": true} and leaves the list;
  its running subscriptions were canceled at once.
- A rolled key answers 401 "Expired API Key provided" (code api_key_expired, as Stripe documents
  for expired keys); an unknown key 401 "Invalid API Key provided". A Stripe-Account the
  platform cannot reach answers 403 code account_invalid (status assumed). A platform may name
  its own account in Stripe-Account (assumed to be allowed).
- 429 carries Stripe-Should-Retry: true and no Retry-After (Stripe sends none).
- Test controls (cancel_subscription, delete_customer, add_item, roll_api_key) act at the
  emulator's clock and live in memory: a restart replays the days alone (keys, the day and
  disconnected accounts are kept in the state file).
"""

from monitr_sandbox.stripe.app import create_app
from monitr_sandbox.stripe.provider import StripeSandboxProvider, connect_with_api_key
from monitr_sandbox.stripe.sandbox import StripeSandbox

SANDBOX = StripeSandboxProvider()

__all__ = ["SANDBOX", "StripeSandbox", "StripeSandboxProvider", "connect_with_api_key",
           "create_app"]
