"""Stripe (subscriptions, invoices, MRR): a secret or restricted key, Connect accounts read with
the Stripe-Account header, lists paged with starting_after/has_more, and events for changes.

Sources: /work/shared/providers/API_FACTS.md section 12; docs.stripe.com API reference
(authentication with a bearer secret key; Stripe-Version; Connect's Stripe-Account header;
GET /v1/account and /v1/accounts; list parameters limit 1..100, starting_after, has_more, newest
first; `status=all` on subscriptions; expand[] up to four levels; events: `types[]` up to 20,
`created[gte]`, kept 30 days; errors {"error": {type, code, message, param}}; 429 code
rate_limit; the Stripe-Should-Retry header); stripe/openapi fixtures3.json (object shapes at the
pinned version: current periods on subscription items, discounts[] with source.coupon,
invoice.parent.subscription_details); dlt-hub verified-sources stripe_analytics (limit 100,
starting_after paging, events as the incremental stream).

How it is read (adapter.py, events.py). Each table is INCREMENTAL on `seen_at`, a field the
client adds: Stripe's clock (the Date header) when the row was true. The first import lists the
whole collection (subscriptions with status=all and their discounts' coupons expanded) and
stamps it with Stripe's clock at the import's start. Later imports read the events of the table's
types since the cursor (the cursor's own second again: merging the same state twice is harmless),
keep each object's latest event, and load its data.object (subscriptions are retrieved again, as
events never carry expansions). When the last reading (the later of the cursor and where the
last import's reading ended, kept in the entity's pipeline state) is older than Stripe keeps
events (30 days, an hour's margin) the table is read whole again, and says so in the log. Deletions
(customer/product/price.deleted, or an id gone from a whole list) load Stripe's deleted shape
{"id", "object", "deleted": true}; staging leaves those rows out. The ids seen are kept in the
entity's pipeline state for that.

Assumptions (not confirmed by the sources):
- A platform key may name its own account in Stripe-Account (a plain account key's only
  administration is read with the header too).
- A Stripe-Account the key cannot reach answers 403 with code account_invalid.
- /v1/accounts refused (400/403/404) means the key is not a Connect platform's: its own account is
  the one administration.
- A subscription embeds at most 10 items; when its list says has_more, the rest is read from
  /v1/subscription_items?subscription=<id> (the emulator lists them oldest first).
"""

from monitr_pipeline.providers.stripe.adapter import StripeAdapter, StripeKeyAuth
from monitr_pipeline.providers.stripe.spec import SPEC

ADAPTER = StripeAdapter()

__all__ = ["ADAPTER", "SPEC", "StripeAdapter", "StripeKeyAuth"]
