"""What Stripe's events say about each table: the event types that change its objects, the ones
that delete them, how its list is asked for, and when events can no longer be trusted.

Events are kept 30 days (docs.stripe.com/api/events); `types[]` takes at most 20 types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Events are kept 30 days; an hour less leaves room for clock skew and a slow import.
EVENT_RETENTION_SECONDS = 30 * 86_400 - 3_600
PAGE_SIZE = 100  # the largest `limit` Stripe accepts


@dataclass(frozen=True)
class Collection:
    path: str
    kind: str  # the object type ("customer")
    changed: tuple[str, ...]  # event types whose data.object is the new state
    deleted: tuple[str, ...] = ()  # event types that delete the object
    list_params: dict[str, Any] = field(default_factory=dict)
    # Expansions the stored row needs: read again with them after an event (whose objects are
    # never expanded), given as on a retrieval (the list adds `data.`).
    expand: tuple[str, ...] = ()
    # A list the object embeds only in part (has_more), read whole from its own list:
    # (field, path, the list's parameter naming the object).
    embedded: tuple[str, str, str] | None = None

    @property
    def event_types(self) -> list[str]:
        return [*self.changed, *self.deleted]


COLLECTIONS = {
    "customers": Collection("v1/customers", "customer",
                            ("customer.created", "customer.updated"), ("customer.deleted",)),
    "products": Collection("v1/products", "product", ("product.created", "product.updated"),
                           ("product.deleted",)),
    "prices": Collection("v1/prices", "price", ("price.created", "price.updated"),
                         ("price.deleted",)),
    "subscriptions": Collection(
        "v1/subscriptions", "subscription",
        ("customer.subscription.created", "customer.subscription.updated",
         "customer.subscription.deleted", "customer.subscription.paused",
         "customer.subscription.resumed", "customer.subscription.trial_will_end",
         "customer.subscription.pending_update_applied",
         "customer.subscription.pending_update_expired"),
        list_params={"status": "all"}, expand=("discounts.source.coupon",),
        embedded=("items", "v1/subscription_items", "subscription")),
    "invoices": Collection(
        "v1/invoices", "invoice",
        ("invoice.created", "invoice.finalized", "invoice.updated", "invoice.paid",
         "invoice.payment_succeeded", "invoice.payment_failed", "invoice.voided",
         "invoice.marked_uncollectible", "invoice.overdue")),
}


def tombstone(object_id: str, kind: str, seen_at: int) -> dict[str, Any]:
    """A deleted object, as Stripe answers it, stamped with when it was seen deleted."""
    return {"id": object_id, "object": kind, "deleted": True, "seen_at": seen_at}


def latest_changes(events: list[dict[str, Any]], collection: Collection
                   ) -> dict[str, tuple[int, dict[str, Any], bool]]:
    """Object id -> (time, its state, deleted) of the latest event about it. Events come newest
    first; of two in the same second, the one listed first is the later."""
    latest: dict[str, tuple[int, dict[str, Any], bool]] = {}
    for event in events:
        snapshot = (event.get("data") or {}).get("object")
        if not isinstance(snapshot, dict) or not snapshot.get("id"):
            raise ValueError(f"event {event.get('id')!r} has no data.object with an id")
        created = event.get("created")
        if not isinstance(created, int):
            raise ValueError(f"event {event.get('id')!r}: field 'created' is not unix seconds")
        known = latest.get(snapshot["id"])
        if known is None or created > known[0]:
            latest[snapshot["id"]] = (created, snapshot, event.get("type") in collection.deleted)
    return latest
