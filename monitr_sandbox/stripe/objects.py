"""Stripe API objects as the emulator serves them: every field of Stripe's example object of the
type (stripe/openapi fixtures3.json), with the values the emulator knows and Stripe's empty values
for the rest. Money in minor units, times in unix seconds."""

from __future__ import annotations

from typing import Any

API_VERSION = "2025-09-30.clover"


def _blank_address() -> dict[str, Any]:
    return {"city": None, "country": None, "line1": None, "line2": None, "postal_code": None,
            "state": None}


def account(account_id: str, name: str, country: str, currency: str, created: int,
            email: str) -> dict[str, Any]:
    return {
        "business_profile": {"name": name, "mcc": None, "url": None, "support_email": email,
                             "support_phone": None, "support_url": None,
                             "product_description": None, "support_address": _blank_address(),
                             "annual_revenue": None, "estimated_worker_count": None,
                             "minority_owned_business_designation": None},
        "business_type": "company", "capabilities": {"card_payments": "active",
                                                      "transfers": "active"},
        "charges_enabled": True, "controller": {"type": "application"}, "country": country,
        "created": created, "default_currency": currency, "details_submitted": True,
        "email": email,
        "external_accounts": {"object": "list", "data": [], "has_more": False,
                              "url": f"/v1/accounts/{account_id}/external_accounts"},
        "future_requirements": None, "id": account_id, "metadata": {}, "object": "account",
        "payouts_enabled": True, "requirements": None,
        "settings": {"dashboard": {"display_name": name, "timezone": "Europe/Amsterdam"}},
        "tos_acceptance": {"date": created, "ip": None, "user_agent": None}, "type": "standard",
    }


def customer(customer_id: str, name: str, email: str, currency: str, country: str,
             created: int) -> dict[str, Any]:
    return {
        "address": {**_blank_address(), "country": country}, "balance": 0, "created": created,
        "currency": currency, "default_source": None, "delinquent": False, "description": None,
        "discount": None, "email": email, "id": customer_id,
        "invoice_prefix": customer_id[-8:].upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None,
                             "footer": None, "rendering_options": None},
        "livemode": False, "metadata": {}, "name": name, "next_invoice_sequence": 1,
        "object": "customer", "phone": None, "preferred_locales": ["nl"], "shipping": None,
        "tax_exempt": "none", "test_clock": None,
    }


def deleted(object_id: str, kind: str) -> dict[str, Any]:
    """What a deleted object answers (deleted_customer, deleted_product, ...)."""
    return {"deleted": True, "id": object_id, "object": kind}


def product(product_id: str, name: str, created: int, default_price: str | None,
            unit_label: str | None) -> dict[str, Any]:
    return {
        "active": True, "created": created, "default_price": default_price,
        "description": None, "id": product_id, "images": [], "livemode": False,
        "marketing_features": [], "metadata": {}, "name": name, "object": "product",
        "package_dimensions": None, "shippable": None, "statement_descriptor": None,
        "tax_code": None, "unit_label": unit_label, "updated": created, "url": None,
        "type": "service",
    }


def price(price_id: str, product_id: str, currency: str, unit_amount: int, interval: str,
          interval_count: int, usage_type: str, created: int, nickname: str) -> dict[str, Any]:
    return {
        "active": True, "billing_scheme": "per_unit", "created": created, "currency": currency,
        "custom_unit_amount": None, "id": price_id, "livemode": False, "lookup_key": None,
        "metadata": {}, "nickname": nickname, "object": "price", "product": product_id,
        "recurring": {"interval": interval, "interval_count": interval_count,
                      "meter": "mtr_usage" if usage_type == "metered" else None,
                      "usage_type": usage_type, "trial_period_days": None},
        "tax_behavior": "exclusive", "tiers_mode": None, "transform_quantity": None,
        "type": "recurring", "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def plan(price_object: dict[str, Any]) -> dict[str, Any]:
    """The legacy plan view of a recurring price, as subscription items still carry it."""
    recurring = price_object["recurring"]
    return {
        "active": True, "amount": price_object["unit_amount"],
        "amount_decimal": price_object["unit_amount_decimal"], "billing_scheme": "per_unit",
        "created": price_object["created"], "currency": price_object["currency"],
        "id": price_object["id"], "interval": recurring["interval"],
        "interval_count": recurring["interval_count"], "livemode": False, "metadata": {},
        "meter": recurring["meter"], "nickname": price_object["nickname"], "object": "plan",
        "product": price_object["product"], "tiers_mode": None, "transform_usage": None,
        "trial_period_days": None, "usage_type": recurring["usage_type"],
    }


def coupon(coupon_id: str, name: str, created: int, *, percent_off: float | None = None,
           amount_off: int | None = None, currency: str | None = None, duration: str,
           duration_in_months: int | None = None) -> dict[str, Any]:
    return {
        "amount_off": amount_off, "created": created,
        "currency": currency if amount_off is not None else None, "duration": duration,
        "duration_in_months": duration_in_months, "id": coupon_id, "livemode": False,
        "max_redemptions": None, "metadata": {}, "name": name, "object": "coupon",
        "percent_off": percent_off, "redeem_by": None, "times_redeemed": 0, "valid": True,
    }


def discount(discount_id: str, coupon_id: str, customer_id: str, subscription_id: str,
             start: int, end: int | None) -> dict[str, Any]:
    return {
        "checkout_session": None, "customer": customer_id, "end": end, "id": discount_id,
        "invoice": None, "invoice_item": None, "object": "discount", "promotion_code": None,
        "start": start, "subscription": subscription_id, "subscription_item": None,
        "source": {"coupon": coupon_id, "type": "coupon"}, "customer_account": None,
    }


def subscription_item(item_id: str, subscription_id: str, price_object: dict[str, Any],
                      quantity: int | None, created: int) -> dict[str, Any]:
    return {
        "created": created, "discounts": [], "id": item_id, "metadata": {},
        "object": "subscription_item", "price": dict(price_object), "quantity": quantity,
        "subscription": subscription_id, "tax_rates": [], "plan": plan(price_object),
        "current_period_end": None, "current_period_start": None, "billing_thresholds": None,
    }


def subscription(subscription_id: str, customer_id: str, currency: str, created: int
                 ) -> dict[str, Any]:
    return {
        "application": None, "application_fee_percent": None,
        "automatic_tax": {"enabled": False, "liability": None, "disabled_reason": None},
        "billing_cycle_anchor": created, "billing_cycle_anchor_config": None,
        "cancel_at": None, "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically", "created": created, "currency": currency,
        "customer": customer_id, "days_until_due": None, "default_payment_method": None,
        "default_source": None, "default_tax_rates": [], "description": None, "discounts": [],
        "ended_at": None, "id": subscription_id,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {"object": "list", "data": [], "has_more": False,
                  "url": f"/v1/subscription_items?subscription={subscription_id}"},
        "latest_invoice": None, "livemode": False, "metadata": {},
        "next_pending_invoice_item_invoice": None, "object": "subscription", "on_behalf_of": None,
        "pause_collection": None, "payment_settings": None,
        "pending_invoice_item_interval": None, "pending_setup_intent": None,
        "pending_update": None, "schedule": None, "start_date": created, "status": "active",
        "test_clock": None, "transfer_data": None, "trial_end": None, "trial_settings": None,
        "trial_start": None, "cancel_at_period_end": False, "billing_thresholds": None,
        "billing_mode": {"type": "flexible"}, "customer_account": None, "managed_payments": None,
        "billing_schedules": [],
    }


def line_item(line_id: str, invoice_id: str, subscription_id: str, item: dict[str, Any],
              quantity: int, amount: int, discount_amount: int, start: int, end: int
              ) -> dict[str, Any]:
    return {
        "amount": amount, "currency": item["price"]["currency"],
        "description": f"{quantity} x {item['price']['nickname']}",
        "discount_amounts": [{"amount": discount_amount, "discount": None}]
        if discount_amount else [],
        "discountable": True, "discounts": [], "id": line_id, "invoice": invoice_id,
        "livemode": False, "metadata": {}, "object": "line_item",
        "period": {"start": start, "end": end}, "quantity": quantity,
        "subscription": subscription_id, "pretax_credit_amounts": None, "taxes": None,
        "parent": {"type": "subscription_item_details", "invoice_item_details": None,
                   "subscription_item_details": {"invoice_item": None, "proration": False,
                                                 "proration_details": None,
                                                 "subscription": subscription_id,
                                                 "subscription_item": item["id"]}},
        "pricing": {"type": "price_details", "unit_amount_decimal": item["price"][
            "unit_amount_decimal"]},
        "subtotal": amount, "quantity_decimal": str(quantity),
    }


def invoice(invoice_id: str, number: str, customer_object: dict[str, Any], subscription_id: str,
            account_object: dict[str, Any], currency: str, created: int, period_start: int,
            period_end: int, lines: list[dict[str, Any]], billing_reason: str
            ) -> dict[str, Any]:
    subtotal = sum(line["amount"] for line in lines)
    discounted = sum(sum(d["amount"] for d in line["discount_amounts"]) for line in lines)
    total = subtotal - discounted
    return {
        "account_country": account_object["country"],
        "account_name": account_object["business_profile"]["name"], "account_tax_ids": None,
        "amount_due": total, "amount_paid": 0, "amount_remaining": total, "amount_shipping": 0,
        "application": None, "attempt_count": 0, "attempted": False, "auto_advance": True,
        "automatic_tax": {"enabled": False, "liability": None, "status": None,
                          "disabled_reason": None, "provider": None},
        "billing_reason": billing_reason, "collection_method": "charge_automatically",
        "created": created, "currency": currency, "custom_fields": None,
        "customer": customer_object["id"], "customer_address": customer_object["address"],
        "customer_email": customer_object["email"], "customer_name": customer_object["name"],
        "customer_phone": None, "customer_shipping": None, "customer_tax_exempt": "none",
        "customer_tax_ids": [], "default_payment_method": None, "default_source": None,
        "default_tax_rates": [], "description": None, "discounts": [], "due_date": None,
        "effective_at": created, "ending_balance": 0, "footer": None, "from_invoice": None,
        "hosted_invoice_url": None, "id": invoice_id, "invoice_pdf": None,
        "issuer": {"type": "self"}, "last_finalization_error": None, "latest_revision": None,
        "lines": {"object": "list", "data": lines, "has_more": False,
                  "url": f"/v1/invoices/{invoice_id}/lines"},
        "livemode": False, "metadata": {}, "next_payment_attempt": None, "number": number,
        "object": "invoice", "on_behalf_of": None, "payment_settings": None,
        "period_end": period_end, "period_start": period_start,
        "post_payment_credit_notes_amount": 0, "pre_payment_credit_notes_amount": 0,
        "receipt_number": None, "rendering": None, "shipping_cost": None,
        "shipping_details": None, "starting_balance": 0, "statement_descriptor": None,
        "status": "open",
        "status_transitions": {"finalized_at": created, "marked_uncollectible_at": None,
                               "paid_at": None, "voided_at": None},
        "subscription": subscription_id, "subtotal": subtotal,
        "subtotal_excluding_tax": subtotal, "test_clock": None, "total": total,
        "total_discount_amounts": [{"amount": discounted, "discount": None}]
        if discounted else [],
        "total_excluding_tax": total, "webhooks_delivered_at": created,
        "automatically_finalizes_at": None, "total_pretax_credit_amounts": None,
        "total_taxes": [], "amount_overpaid": 0,
        "parent": {"type": "subscription_details", "quote_details": None,
                   "subscription_details": {"metadata": {}, "subscription": subscription_id}},
        "customer_account": None,
    }


def event(event_id: str, kind: str, created: int, snapshot: dict[str, Any],
          previous: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"object": snapshot}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "api_version": API_VERSION, "created": created, "data": data, "id": event_id,
        "livemode": False, "object": "event", "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None}, "type": kind,
    }


def error(kind: str, message: str, *, code: str | None = None, param: str | None = None
          ) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "message": message}
    if code:
        body["code"] = code
        body["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    if param:
        body["param"] = param
    return {"error": body}
