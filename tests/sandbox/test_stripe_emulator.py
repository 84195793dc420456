"""The Stripe emulator over real HTTP: every object type it serves has the fields and value types
of Stripe's own example object of that type (stripe/openapi fixtures3.json, as it is in
/work/shared/providers/specs/stripe/ at test time); keys, Connect, paging, filters, expansion,
events and their retention, error shapes, the rate limit, and a day that adds events."""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import requests

from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.stripe import StripeSandbox, create_app

FIXTURES = Path("/work/shared/providers/specs/stripe/fixtures3.json")
VISSER, CLAES = "acct_1VisserOntwerp", "acct_1ClaesDrukkerij"


@pytest.fixture(scope="module")
def emulator():
    sandbox = StripeSandbox(requests_per_second=1_000_000)
    with EmulatorServer(create_app(sandbox)) as server:
        yield sandbox, server.url


@pytest.fixture(scope="module")
def fixtures() -> dict:
    return json.loads(FIXTURES.read_text())["resources"]


def _get(emulator, path: str, account: str | None = VISSER, key: str | None = None,
         **params) -> requests.Response:
    sandbox, url = emulator
    headers = {"Authorization": f"Bearer {key or sandbox.api_key}"}
    if account:
        headers["Stripe-Account"] = account
    return requests.get(f"{url}{path}", params=params, headers=headers, timeout=10)


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _differences(served: dict, example: dict, fixtures: dict, where: str) -> list[str]:
    """Where a served object departs from Stripe's example of its type: a field missing or extra,
    or a value of another JSON type (null goes with any type: Stripe's nullable fields). Nested
    Stripe objects (with an `object` field) are compared with the example of their own type."""
    found = []
    if set(served) != set(example):
        found.append(f"{where}: missing {sorted(set(example) - set(served))}, "
                     f"extra {sorted(set(served) - set(example))}")
    for name in set(served) & set(example):
        mine, theirs = served[name], example[name]
        if _kind(mine) != _kind(theirs) and "null" not in (_kind(mine), _kind(theirs)):
            found.append(f"{where}.{name}: {_kind(mine)}, Stripe's example has {_kind(theirs)}")
        if where.endswith("event") and name == "data":  # an event carries its object's state
            mine = mine["object"]
            found += _differences(mine, fixtures[mine["object"]], fixtures, f"{where}.data")
            continue
        for value in (mine if isinstance(mine, list) else [mine]):
            if isinstance(value, dict) and isinstance(value.get("object"), str) \
                    and value["object"] in fixtures \
                    and value["object"] != "list":
                found += _differences(value, fixtures[value["object"]], fixtures,
                                      f"{where}.{name}")
            elif isinstance(value, dict) and value.get("object") == "list":
                for item in value["data"][:3]:
                    if isinstance(item, dict) and item.get("object") in fixtures:
                        found += _differences(item, fixtures[item["object"]], fixtures,
                                              f"{where}.{name}.data")
    return found


def _served_objects(emulator) -> dict[str, list[dict]]:
    """Some objects of every type the emulator serves, as a client reads them."""
    sandbox, _ = emulator
    world = sandbox.world(VISSER)
    served: dict[str, list[dict]] = {"account": [_get(emulator, "/v1/account").json()]}
    for resource, kind in (("customers", "customer"), ("products", "product"),
                           ("prices", "price"), ("coupons", "coupon"), ("invoices", "invoice"),
                           ("events", "event")):
        served[kind] = _get(emulator, f"/v1/{resource}", limit=5).json()["data"]
    subs = _get(emulator, "/v1/subscriptions", status="all", limit=100,
                **{"expand[]": "data.discounts.source.coupon"}).json()["data"]
    served["subscription"] = subs[:5] + [s for s in subs if s["discounts"]][:2]
    served["discount"] = [s["discounts"][0] for s in subs if s["discounts"]][:3]
    served["discount"] = [{**d, "source": {**d["source"], "coupon": d["source"]["coupon"]["id"]}}
                          for d in served["discount"]]
    served["subscription_item"] = [i for s in subs[:5] for i in s["items"]["data"]]
    served["line_item"] = [line for i in served["invoice"] for line in i["lines"]["data"]]
    gone = next(c for c in world.order["customer"] if world.objects[c].get("deleted"))
    served["deleted_customer"] = [_get(emulator, f"/v1/customers/{gone}").json()]
    return served


def test_every_object_type_served_matches_stripes_example(emulator, fixtures):
    served = _served_objects(emulator)
    assert {kind for kind, found in served.items() if found} == set(served)
    problems = [problem for kind, found in served.items() for obj in found
                for problem in _differences(obj, fixtures[kind], fixtures, kind)]
    assert problems == []
    assert all(obj["object"] == kind.removeprefix("deleted_") for kind, found in served.items()
               for obj in found if kind not in ("subscription_item", "line_item"))


def test_errors_have_stripes_shape(emulator):
    unknown = _get(emulator, "/v1/customers/cus_nope")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": {
        "type": "invalid_request_error", "code": "resource_missing", "param": "id",
        "message": "No such customer: 'cus_nope'",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing"}}
    bad_key = _get(emulator, "/v1/customers", key="sk_test_wrong000000000000")
    assert bad_key.status_code == 401
    assert bad_key.json()["error"]["message"].startswith("Invalid API Key provided: sk_test_")
    assert "wrong000000000000" not in bad_key.text  # keys are masked
    assert _get(emulator, "/v1/customers", limit=101).json()["error"]["param"] == "limit"


def test_a_platform_lists_its_connected_accounts_and_reads_each(emulator):
    listed = _get(emulator, "/v1/accounts", account=None).json()
    assert [a["business_profile"]["name"] for a in listed["data"]] == [
        "Drukkerij Claes BV", "Koffiebranderij Van Leeuwen B.V.", "Studio Visser Ontwerp"]
    assert _get(emulator, "/v1/account", account=None).json()["id"] == "acct_1MonitrPlatf0rm"
    claes = _get(emulator, "/v1/customers", account=CLAES, limit=100).json()["data"]
    assert {c["currency"] for c in claes} == {"eur", "gbp"}
    stranger = _get(emulator, "/v1/customers", account="acct_1Unknown")
    assert stranger.status_code == 403 and stranger.json()["error"]["code"] == "account_invalid"


def test_lists_page_newest_first_with_starting_after(emulator):
    sandbox, _ = emulator
    ids, params = [], {"limit": 100}
    while True:
        page = _get(emulator, "/v1/invoices", **params).json()
        ids += [i["id"] for i in page["data"]]
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    world = sandbox.world(VISSER)
    assert ids == list(reversed(world.order["invoice"]))
    assert len(ids) > 300


def test_subscriptions_leave_canceled_ones_out_unless_asked(emulator):
    default = _get(emulator, "/v1/subscriptions", limit=100).json()["data"]
    assert default and all(s["status"] != "canceled" for s in default)
    every = _get(emulator, "/v1/subscriptions", status="all", limit=100).json()
    statuses = {s["status"] for s in every["data"]}
    assert {"canceled", "active"} <= statuses


def test_events_are_kept_30_days_and_filtered_by_type(emulator):
    sandbox, _ = emulator
    response = _get(emulator, "/v1/events", limit=100, **{"types[]": ["invoice.paid"]})
    events = response.json()["data"]
    assert events and {e["type"] for e in events} == {"invoice.paid"}
    now = int(parsedate_to_datetime(response.headers["Date"]).timestamp())
    assert now == sandbox.now()
    every = _get(emulator, "/v1/events", limit=100, type="customer.subscription.*").json()["data"]
    assert {e["type"].rsplit(".", 1)[0] for e in every} == {"customer.subscription"}
    assert all(e["created"] >= now - 30 * 86_400 for e in events)
    history = sandbox.world(VISSER).order["invoice"]
    oldest_invoice = history[0]
    gone = _get(emulator, "/v1/events", limit=100, **{"created[lt]": now - 30 * 86_400}).json()
    assert gone["data"] == [] and _get(emulator, f"/v1/invoices/{oldest_invoice}").ok


def test_a_day_adds_events_and_changes(emulator):
    sandbox, _ = emulator
    before = len(sandbox.world(VISSER).events)
    since = sandbox.now()
    sandbox.advance_to_day(sandbox.day + 2)
    new = _get(emulator, "/v1/events", limit=100, **{"created[gte]": since}).json()["data"]
    assert len(sandbox.world(VISSER).events) > before and new
    assert all(since <= e["created"] < sandbox.now() for e in new)


def test_replaying_the_days_gives_the_same_objects(emulator, tmp_path):
    sandbox, _ = emulator
    again = StripeSandbox(tmp_path / "stripe.json", day=sandbox.day)
    world, other = sandbox.world(VISSER), again.world(VISSER)
    assert other.order == world.order
    assert other.objects["sub_SV0000000005"] == world.objects["sub_SV0000000005"]


def test_the_rate_limit_answers_429_with_should_retry(emulator):
    sandbox, _ = emulator
    sandbox.requests_per_second = 2
    try:
        answers = [_get(emulator, "/v1/products", limit=1) for _ in range(4)]
    finally:
        sandbox.requests_per_second = 1_000_000
    limited = [a for a in answers if a.status_code == 429]
    assert limited and limited[0].json()["error"]["code"] == "rate_limit"
    assert limited[0].headers["Stripe-Should-Retry"] == "true"
