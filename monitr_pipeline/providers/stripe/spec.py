"""Stripe: the objects we import and the fields we keep (API_FACTS.md section 12).

Every object table is INCREMENTAL on `seen_at`, a field the client adds: the time (Stripe's clock,
unix seconds) at which the row was true. The adapter's `objects` reader lists the whole
collection on the first import (and when the cursor is older than Stripe keeps events), else
reads the events since the cursor (events.py). Amounts are minor units and times unix seconds, as
Stripe writes them: staging converts both.
"""

from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec

API_VERSION = "2025-09-30.clover"  # the shape of stripe/openapi fixtures3.json
SEEN_AT = "seen_at"


def _objects(table: str, path: str, columns: dict[str, str], description: str,
             required: tuple[str, ...] = ()) -> Endpoint:
    return Endpoint(table=table, path=path, primary_key="id", mode=LoadMode.INCREMENTAL,
                    cursor=SEEN_AT, reader="objects", page_size=100, description=description,
                    columns={"id": "text", **columns, "deleted": "bool", SEEN_AT: "bigint"},
                    required=required)


SPEC = ProviderSpec(
    slug="stripe",
    name="Stripe",
    connection_kind="crm",
    auth_kind="api_key",
    environments={"production": "https://api.stripe.com"},
    default_environment="production",
    data_selector="data",
    endpoints=(
        Endpoint(
            table="accounts", path="v1/account", primary_key="id", reader="account",
            columns={"id": "text", "business_profile.name": "text", "country": "text",
                     "default_currency": "text", "created": "bigint", "read_at": "bigint"},
            required=("default_currency", "read_at"),
            # One row per entity: its reading replaces the last one.
            guard_deletions=False,
            description="The Stripe account itself (Stripe-Account), with read_at: Stripe's "
                        "clock when it was read (the moment the import's data is as of)."),
        _objects("customers", "v1/customers", {
            "object": "text", "name": "text", "email": "text", "currency": "text",
            "address.country": "text", "created": "bigint"},
            "Customers; a deleted one stays as a row with deleted = true."),
        _objects("products", "v1/products", {
            "name": "text", "active": "bool", "created": "bigint"}, "Products."),
        _objects("prices", "v1/prices", {
            "product": "text", "currency": "text", "unit_amount": "bigint", "type": "text",
            "recurring.interval": "text", "recurring.interval_count": "bigint",
            "recurring.usage_type": "text", "nickname": "text", "active": "bool",
            "created": "bigint"}, "Prices (recurring ones say their interval)."),
        _objects("subscriptions", "v1/subscriptions", {
            "customer": "text", "status": "text", "currency": "text", "created": "bigint",
            "start_date": "bigint", "trial_start": "bigint", "trial_end": "bigint",
            "cancel_at": "bigint", "cancel_at_period_end": "bool", "canceled_at": "bigint",
            "ended_at": "bigint", "items.data": "json", "discounts": "json",
            "latest_invoice": "text"},
            "Subscriptions of every status (status=all); items.data holds the items with their "
            "price, discounts the discount objects with their coupon (expanded).",
            required=("customer", "status", "currency", "created", "start_date")),
        _objects("invoices", "v1/invoices", {
            "customer": "text", "parent.subscription_details.subscription": "text",
            "status": "text", "currency": "text", "amount_due": "bigint",
            "amount_paid": "bigint", "amount_remaining": "bigint", "subtotal": "bigint",
            "total": "bigint", "created": "bigint", "period_start": "bigint",
            "period_end": "bigint", "status_transitions.paid_at": "bigint",
            "status_transitions.voided_at": "bigint", "number": "text",
            "billing_reason": "text"},
            "Invoices (draft, open, paid, uncollectible, void).",
            required=("customer", "status", "currency", "created", "amount_paid")),
    ),
)
