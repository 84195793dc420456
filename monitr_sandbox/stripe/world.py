"""One Stripe account's history, simulated day by day from 1 June 2025: customers who subscribe
(with trials, quantities, coupons and metered items), renew, add items, switch plans, pay late,
cancel (at period end or at once), come back, and are deleted; an invoice every billing period
and an event for every change. The same days always give the same objects: each day draws from
its own seeded generator, and changes are applied in time order however the days are replayed."""

from __future__ import annotations

import copy
import heapq
import random
from calendar import monthrange
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from monitr_sandbox.stripe import objects
from monitr_sandbox.stripe.catalog import AccountProfile, CouponSpec, PriceSpec

HISTORY_START = datetime(2025, 6, 1, tzinfo=UTC)
# The emulator's clock at day 0; each sandbox day moves it on by a day.
ANCHOR = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DAY = 86_400
LATE_PAYMENT_DAYS = 6
TRIAL_DAYS = 14
EVENTS_KEPT = 31 * DAY  # Stripe keeps events 30 days; a day more for the emulator's own use

_FIRST = ("Bakkerij", "Atelier", "Studio", "Kantoor", "Garage", "Praktijk", "Drukkerij", "Bureau",
          "Kapsalon", "Bloemisterij", "Brasserie", "Boekhandel", "Fietsenmaker", "Slagerij")
_SECOND = ("De Vries", "Jansen", "Peeters", "Maes", "Bakker", "Visser", "Smit", "Meijer",
           "Mulder", "De Boer", "Claes", "Wouters", "Dubois", "Hendriks", "Willems", "Dekker")
_QUANTITIES = (1, 1, 1, 1, 1, 1, 2, 2, 3, 5)


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def now_at(day: int) -> int:
    """The emulator's clock on sandbox day `day` (unix seconds)."""
    return ts(ANCHOR + timedelta(days=day))


def period_boundary(anchor: int, index: int, interval: str, count: int) -> int:
    """The start of billing period `index` of a cycle anchored at `anchor`: months and years keep
    the anchor's day of month (the last day in shorter months), weeks and days are fixed lengths."""
    if interval in ("day", "week"):
        return anchor + index * count * (7 if interval == "week" else 1) * DAY
    start = datetime.fromtimestamp(anchor, UTC)
    months = start.month - 1 + index * count * (12 if interval == "year" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    return ts(start.replace(year=year, month=month,
                            day=min(start.day, monthrange(year, month)[1])))


class AccountWorld:
    """Every object of one account (by id), its events, and the billing cycles still running."""

    def __init__(self, profile: AccountProfile):
        self.profile = profile
        self.objects: dict[str, dict[str, Any]] = {}
        self.order: dict[str, list[str]] = defaultdict(list)  # object type -> ids, oldest first
        self.events: list[dict[str, Any]] = []
        # Events older than Stripe keeps them (30 days) are never served: they get their ids
        # (so ids do not depend on how the days were replayed) but are not kept.
        self._keep_events_from = 0
        self.clock = ts(HISTORY_START)
        self._counters: dict[str, int] = defaultdict(int)
        self._cycles: dict[str, dict[str, Any]] = {}  # subscription id -> billing cycle
        self._queue: list[tuple[int, str, str]] = []  # (time, subscription id, what)
        self.prices: dict[str, PriceSpec] = {}  # price id -> its spec
        self.coupons: dict[str, CouponSpec] = {}
        self._billed: set[str] = set()  # subscriptions that have had an invoice above zero
        created = min(ts(profile.created), self.clock)
        self.account = objects.account(profile.account_id, profile.name, profile.country,
                                       profile.currency, created,
                                       f"billing@{profile.tag.lower()}.example")
        self._catalog(created)

    # --- ids, objects and events ------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}_{self.profile.tag}{self._counters[prefix]:010d}"

    def _add(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        self.order[obj["object"]].append(obj["id"])
        return obj

    def _emit(self, kind: str, obj: dict[str, Any], at: int,
              previous: dict[str, Any] | None = None) -> None:
        event_id = self._id("evt")
        if at >= self._keep_events_from:
            self.events.append(objects.event(event_id, kind, at, copy.deepcopy(obj), previous))

    def live(self, kind: str) -> list[dict[str, Any]]:
        """Objects of a type that exist now, oldest first (deleted ones are gone from lists)."""
        return [self.objects[i] for i in self.order[kind] if not self.objects[i].get("deleted")]

    def _catalog(self, at: int) -> None:
        product_ids: dict[str, str] = {}
        for spec in self.profile.prices:
            if spec.product not in product_ids:
                product_ids[spec.product] = self._id("prod")
                unit = "gebruik" if spec.role == "metered" else None
                product = self._add(objects.product(product_ids[spec.product], spec.product, at,
                                                    None, unit))
                self._emit("product.created", product, at)
            usage = "metered" if spec.role == "metered" else "licensed"
            price = self._add(objects.price(self._id("price"), product_ids[spec.product],
                                            spec.currency, spec.unit_amount, spec.interval,
                                            spec.interval_count, usage, at, spec.key))
            self.prices[price["id"]] = spec
            product = self.objects[product_ids[spec.product]]
            product["default_price"] = product["default_price"] or price["id"]
            self._emit("price.created", price, at)
        for spec in self.profile.coupons:
            coupon = self._add(objects.coupon(spec.key, spec.name, at,
                                              percent_off=spec.percent_off,
                                              amount_off=spec.amount_off, currency=spec.currency,
                                              duration=spec.duration,
                                              duration_in_months=spec.duration_in_months))
            self.coupons[coupon["id"]] = spec
            self._emit("coupon.created", coupon, at)

    def _price_ids(self, role: str, currency: str, interval: tuple[str, int] | None = None
                   ) -> list[str]:
        return [pid for pid, spec in self.prices.items()
                if spec.role == role and spec.currency == currency
                and (interval is None or (spec.interval, spec.interval_count) == interval)]

    # --- time -------------------------------------------------------------------------------------
    def advance(self, until: int) -> None:
        """Apply everything that happens before `until` (unix seconds), day by day."""
        day = datetime.fromtimestamp(self.clock, UTC).date()
        self._keep_events_from = until - EVENTS_KEPT
        self.events = [e for e in self.events if e["created"] >= self._keep_events_from]
        while self.clock < until:
            day_start = ts(datetime(day.year, day.month, day.day, tzinfo=UTC))
            for at, what in self._happenings(day):
                if self.clock <= at < until:
                    self._run_queue(at)
                    what(at, self._day_rng(day, at))
            end = min(day_start + DAY, until)
            self._run_queue(end)
            self.clock = end
            day += timedelta(days=1)

    def _day_rng(self, day: date, at: int) -> random.Random:
        return random.Random(f"{self.profile.seed}:{day.isoformat()}:{at}")

    def _happenings(self, day: date) -> list[tuple[int, Any]]:
        if not self.profile.prices:
            return []  # the platform itself sells nothing
        rng = random.Random(f"{self.profile.seed}:{day.isoformat()}")
        start = ts(datetime(day.year, day.month, day.day, 8, tzinfo=UTC))
        chances = ((0.16, self._new_customer), (0.03, self._add_item),
                   (0.02, self._cancel_at_period_end), (0.008, self._cancel_now),
                   (0.015, self._switch_plan), (0.025, self._reactivate),
                   (0.006, self._delete_customer))
        planned = []
        for chance, what in chances:
            if rng.random() < chance:
                planned.append((start + rng.randrange(10 * 3600), what))
        return sorted(planned, key=lambda item: item[0])

    def _run_queue(self, until: int) -> None:
        while self._queue and self._queue[0][0] < until:
            at, subscription_id, what = heapq.heappop(self._queue)
            cycle = self._cycles.get(subscription_id)
            if cycle is None:
                continue
            if what == "boundary" and cycle["next"] == at:
                self._boundary(self.objects[subscription_id], cycle, at)
            elif what.startswith("settle:"):
                self._settle(self.objects[what.split(":", 1)[1]], at)

    # --- subscriptions ----------------------------------------------------------------------------
    def subscribe(self, customer: dict[str, Any], at: int, rng: random.Random,
                  price_id: str | None = None, quantity: int | None = None) -> dict[str, Any]:
        currency = customer["currency"]
        plans = self._price_ids("plan", currency)
        if price_id is None:
            price_id = rng.choices(plans, weights=[self.prices[p].weight for p in plans])[0]
        quantity = quantity or rng.choice(_QUANTITIES)
        sub = self._add(objects.subscription(self._id("sub"), customer["id"], currency, at))
        spec = self.prices[price_id]
        self._add_item_to(sub, price_id, quantity, at)
        metered = self._price_ids("metered", currency, (spec.interval, spec.interval_count))
        if metered and rng.random() < 0.2:
            self._add_item_to(sub, metered[0], None, at)
        if rng.random() < 0.25:
            self._apply_coupon(sub, rng, at)
        trial = rng.random() < 0.3
        if trial:
            sub.update(status="trialing", trial_start=at, trial_end=at + TRIAL_DAYS * DAY)
        self._emit("customer.subscription.created", sub, at)
        if trial:
            self._invoice(sub, at, at, sub["trial_end"], "subscription_create", rng, trial=True)
            self._cycles[sub["id"]] = {"anchor": None, "index": 0, "next": sub["trial_end"],
                                       "interval": (spec.interval, spec.interval_count)}
            heapq.heappush(self._queue, (sub["trial_end"], sub["id"], "boundary"))
        else:
            self._start_cycle(sub, at, (spec.interval, spec.interval_count), rng,
                              "subscription_create")
        return sub

    def _add_item_to(self, sub: dict[str, Any], price_id: str, quantity: int | None,
                     at: int) -> dict[str, Any]:
        item = objects.subscription_item(self._id("si"), sub["id"], self.objects[price_id],
                                         quantity, at)
        cycle = self._cycles.get(sub["id"])
        if cycle and cycle["anchor"] is not None:
            item["current_period_start"] = cycle["start"]
            item["current_period_end"] = cycle["next"]
        sub["items"]["data"].append(item)
        return item

    def _apply_coupon(self, sub: dict[str, Any], rng: random.Random, at: int) -> None:
        usable = [cid for cid, spec in self.coupons.items()
                  if spec.currency in (None, sub["currency"])]
        coupon_id = rng.choice(usable)
        spec = self.coupons[coupon_id]
        end = (period_boundary(at, 1, "month", spec.duration_in_months)
               if spec.duration == "repeating" else None)
        found = self._add(objects.discount(self._id("di"), coupon_id, sub["customer"],
                                           sub["id"], at, end))
        sub["discounts"].append(found["id"])
        self.objects[coupon_id]["times_redeemed"] += 1

    def _start_cycle(self, sub: dict[str, Any], at: int, interval: tuple[str, int],
                     rng: random.Random, reason: str) -> None:
        cycle = {"anchor": at, "index": 0, "interval": interval}
        self._cycles[sub["id"]] = cycle
        sub["billing_cycle_anchor"] = at
        self._open_period(sub, cycle, at, rng, reason)

    def _open_period(self, sub: dict[str, Any], cycle: dict[str, Any], at: int,
                     rng: random.Random, reason: str) -> None:
        interval, count = cycle["interval"]
        cycle["start"] = period_boundary(cycle["anchor"], cycle["index"], interval, count)
        cycle["next"] = period_boundary(cycle["anchor"], cycle["index"] + 1, interval, count)
        for item in sub["items"]["data"]:
            item["current_period_start"], item["current_period_end"] = cycle["start"], cycle["next"]
        heapq.heappush(self._queue, (cycle["next"], sub["id"], "boundary"))
        self._invoice(sub, at, cycle["start"], cycle["next"], reason, rng)

    def _boundary(self, sub: dict[str, Any], cycle: dict[str, Any], at: int) -> None:
        rng = random.Random(f"{self.profile.seed}:{sub['id']}:{at}")
        if sub["status"] == "trialing":
            sub["status"] = "active"
            self._emit("customer.subscription.updated", sub, at, {"status": "trialing"})
            self._start_cycle(sub, at, cycle["interval"], rng, "subscription_cycle")
        elif sub["cancel_at_period_end"]:
            self._end(sub, at, "customer.subscription.deleted")
        else:
            cycle["index"] += 1
            self._open_period(sub, cycle, at, rng, "subscription_cycle")
            self._emit("customer.subscription.updated", sub, at,
                       {"items": {"data": [{"current_period_start": cycle["start"]}]}})

    def _end(self, sub: dict[str, Any], at: int, kind: str, reason: str = "cancellation_requested"
             ) -> None:
        previous = {"status": sub["status"]}
        sub.update(status="canceled", ended_at=at, canceled_at=sub["canceled_at"] or at)
        sub["cancellation_details"]["reason"] = reason
        self._cycles.pop(sub["id"], None)
        self._emit(kind, sub, at, previous)

    def _invoice(self, sub: dict[str, Any], at: int, start: int, end: int, reason: str,
                 rng: random.Random, trial: bool = False) -> dict[str, Any]:
        invoice_id = self._id("in")
        customer = self.objects[sub["customer"]]
        previous_start = self._cycles.get(sub["id"], {}).get("previous_start")
        lines = []
        for item in sub["items"]["data"]:
            price = item["price"]
            metered = price["recurring"]["usage_type"] == "metered"
            quantity = (rng.randrange(0, 400) if previous_start else 0) if metered \
                else item["quantity"]
            amount = 0 if trial else price["unit_amount"] * quantity
            lines.append(objects.line_item(self._id("il"), invoice_id, sub["id"], item,
                                           quantity, amount, 0, start, end))
        self._discount_lines(sub, lines, at)
        if sub["id"] in self._cycles:
            self._cycles[sub["id"]]["previous_start"] = start
        number = f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}"
        customer["next_invoice_sequence"] += 1
        invoice = self._add(objects.invoice(invoice_id, number, customer, sub["id"],
                                            self.account, sub["currency"], at, start, end,
                                            lines, reason))
        sub["latest_invoice"] = invoice_id
        if invoice["total"] > 0:
            self._billed.add(sub["id"])
        self._emit("invoice.created", invoice, at)
        self._emit("invoice.finalized", invoice, at)
        roll = rng.random()
        if invoice["total"] > 0 and roll < 0.03:
            self._void(invoice, at + 3600)
        elif invoice["total"] > 0 and roll < 0.09:
            invoice.update(attempted=True, attempt_count=1)
            if sub["status"] == "active":
                sub["status"] = "past_due"
                self._emit("customer.subscription.updated", sub, at, {"status": "active"})
            heapq.heappush(self._queue, (at + LATE_PAYMENT_DAYS * DAY, sub["id"],
                                         f"settle:{invoice_id}"))
        else:
            self._pay(invoice, at + 60)
        return invoice

    def _discount_lines(self, sub: dict[str, Any], lines: list[dict[str, Any]], at: int) -> None:
        for discount_id in sub["discounts"]:
            found = self.objects[discount_id]
            spec = self.coupons[found["source"]["coupon"]]
            first = sub["id"] not in self._billed
            if (found["end"] is not None and at >= found["end"]) or \
                    (spec.duration == "once" and not first):
                continue
            left = spec.amount_off or 0
            for line in lines:
                if spec.percent_off is not None:
                    off = round(line["amount"] * spec.percent_off / 100)
                else:
                    off, left = min(left, line["amount"]), left - min(left, line["amount"])
                if off:
                    line["discount_amounts"] = [{"amount": off, "discount": discount_id}]
                    line["discounts"] = [discount_id]

    def _pay(self, invoice: dict[str, Any], at: int) -> None:
        invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0,
                       attempted=True, attempt_count=max(invoice["attempt_count"], 1))
        invoice["status_transitions"]["paid_at"] = at
        self._emit("invoice.paid", invoice, at, {"status": "open"})

    def _void(self, invoice: dict[str, Any], at: int) -> None:
        invoice.update(status="void", amount_remaining=0)
        invoice["status_transitions"]["voided_at"] = at
        self._emit("invoice.voided", invoice, at, {"status": "open"})

    def _settle(self, invoice: dict[str, Any], at: int) -> None:
        if invoice["status"] != "open":
            return
        self._pay(invoice, at)
        sub = self.objects[invoice["subscription"]]
        if sub["status"] == "past_due":
            sub["status"] = "active"
            self._emit("customer.subscription.updated", sub, at, {"status": "past_due"})

    # --- what customers do ------------------------------------------------------------------------
    def running(self) -> list[dict[str, Any]]:
        return [s for s in self.live("subscription")
                if s["status"] in ("trialing", "active", "past_due")]

    def new_customer(self, at: int, rng: random.Random) -> dict[str, Any]:
        currency, country = self.profile.currency, self.profile.country
        if self.profile.foreign and rng.random() < self.profile.foreign[2]:
            currency, country = self.profile.foreign[0], self.profile.foreign[1]
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        customer_id = self._id("cus")
        email = f"{name.lower().replace(' ', '.')}.{customer_id[-4:]}@example.com"
        customer = self._add(objects.customer(customer_id, name, email, currency, country, at))
        self._emit("customer.created", customer, at)
        return customer

    def _new_customer(self, at: int, rng: random.Random) -> None:
        self.subscribe(self.new_customer(at, rng), at, rng)

    def _add_item(self, at: int, rng: random.Random) -> None:
        candidates = []
        for sub in self.running():
            prices = {item["price"]["id"] for item in sub["items"]["data"]}
            plan = self.prices[sub["items"]["data"][0]["price"]["id"]]
            addons = [p for p in self._price_ids("addon", sub["currency"],
                                                 (plan.interval, plan.interval_count))
                      if p not in prices]
            if addons:
                candidates.append((sub, addons[0]))
        if candidates:
            sub, price_id = rng.choice(candidates)
            self._add_item_to(sub, price_id, rng.choice((1, 1, 2, 3)), at)
            self._emit("customer.subscription.updated", sub, at, {"items": {"data": []}})

    def _cancel_at_period_end(self, at: int, rng: random.Random) -> None:
        candidates = [s for s in self.running()
                      if s["status"] != "trialing" and not s["cancel_at_period_end"]]
        if candidates:
            self.cancel(rng.choice(candidates)["id"], at, at_period_end=True)

    def _cancel_now(self, at: int, rng: random.Random) -> None:
        candidates = self.running()
        if candidates:
            self.cancel(rng.choice(candidates)["id"], at, at_period_end=False)

    def cancel(self, subscription_id: str, at: int, *, at_period_end: bool) -> dict[str, Any]:
        sub = self.objects[subscription_id]
        if sub["status"] not in ("trialing", "active", "past_due"):
            raise ValueError(f"{subscription_id} is {sub['status']}")
        if at_period_end:
            cycle = self._cycles[subscription_id]
            sub.update(cancel_at_period_end=True, cancel_at=cycle["next"], canceled_at=at)
            self._emit("customer.subscription.updated", sub, at, {"cancel_at_period_end": False})
        else:
            self._end(sub, at, "customer.subscription.deleted")
        return sub

    def _switch_plan(self, at: int, rng: random.Random) -> None:
        candidates = [s for s in self.running() if s["status"] == "active"]
        if not candidates:
            return
        old = rng.choice(candidates)
        current = old["items"]["data"][0]["price"]["id"]
        others = [p for p in self._price_ids("plan", old["currency"]) if p != current]
        self._end(old, at, "customer.subscription.deleted", reason="cancellation_requested")
        self.subscribe(self.objects[old["customer"]], at, rng, price_id=rng.choice(others),
                       quantity=old["items"]["data"][0]["quantity"])

    def _without_running(self) -> list[dict[str, Any]]:
        running = {s["customer"] for s in self.running()}
        return [c for c in self.live("customer") if c["id"] not in running]

    def _reactivate(self, at: int, rng: random.Random) -> None:
        candidates = self._without_running()
        if candidates:
            self.subscribe(rng.choice(candidates), at, rng)

    def _delete_customer(self, at: int, rng: random.Random) -> None:
        candidates = self._without_running()
        if candidates:
            self.delete_customer(rng.choice(candidates)["id"], at)

    def delete_customer(self, customer_id: str, at: int) -> None:
        """Deleting a customer cancels its running subscriptions at once (as Stripe does)."""
        for sub in self.running():
            if sub["customer"] == customer_id:
                self._end(sub, at, "customer.subscription.deleted")
        customer = self.objects[customer_id]
        self._emit("customer.deleted", customer, at)
        self.objects[customer_id] = objects.deleted(customer_id, "customer")

    def add_item(self, subscription_id: str, price_id: str, quantity: int, at: int
                 ) -> dict[str, Any]:
        sub = self.objects[subscription_id]
        item = self._add_item_to(sub, price_id, quantity, at)
        self._emit("customer.subscription.updated", sub, at, {"items": {"data": []}})
        return item
