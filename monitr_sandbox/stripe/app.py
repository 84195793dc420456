"""The Stripe API emulator as a Flask app: /v1/account(s), lists with starting_after/has_more,
retrieval with expand, events of the last 30 days, Stripe's error shapes and its rate limit."""

from __future__ import annotations

import copy
import json
import re
import secrets
from email.utils import formatdate
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from monitr_sandbox.faults import Fault
from monitr_sandbox.stripe import objects
from monitr_sandbox.stripe.catalog import PLATFORM
from monitr_sandbox.stripe.sandbox import StripeSandbox
from monitr_sandbox.stripe.world import DAY, AccountWorld
from monitr_sandbox.wire import serve_faults

JSON = "application/json"
MAX_LIMIT, DEFAULT_LIMIT = 100, 10
EMBEDDED_ITEMS = 10  # items a subscription carries in its own list (assumed: a page's default)
EVENT_RETENTION = 30 * DAY
# Path segment -> object type, for the lists and retrievals the emulator serves.
RESOURCES = {"customers": "customer", "products": "product", "prices": "price",
             "coupons": "coupon", "subscriptions": "subscription", "invoices": "invoice",
             "events": "event"}
_RUNNING = ("trialing", "active", "past_due", "incomplete", "unpaid", "paused")
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")
_CREATED = re.compile(r"^created\[(gt|gte|lt|lte)\]$")


class StripeError(Exception):
    def __init__(self, status: int, kind: str, message: str, *, code: str | None = None,
                 param: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}
        self.body = objects.error(kind, message, code=code, param=param)


def _masked(key: str) -> str:
    return f"{key[:8]}{'*' * 12}{key[-4:]}" if len(key) > 12 else "****"


def create_app(sandbox: StripeSandbox) -> Flask:
    app = Flask("monitr_sandbox.stripe")
    serve_faults(app, sandbox, _fault_response)

    @app.errorhandler(StripeError)
    def stripe_error(error: StripeError) -> Response:
        return _json(error.body, error.status, error.headers, sandbox)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        body = objects.error("invalid_request_error",
                             f"Unrecognized request URL (GET: {request.path}). Please see "
                             "https://stripe.com/docs or we can help at "
                             "https://support.stripe.com/.")
        return _json(body, error.code or 404, {}, sandbox)

    def account_for_request() -> AccountWorld:
        """The account a call is for: the key's own, or the connected account Stripe-Account
        names (which the platform must still reach)."""
        auth = request.headers.get("Authorization", "")
        key = auth[7:] if auth.startswith("Bearer ") else (
            request.authorization.username if request.authorization
            and request.authorization.type == "basic" else "")
        if not key:
            raise StripeError(401, "invalid_request_error",
                              "You did not provide an API key. You need to provide your API key "
                              "in the Authorization header, using Bearer auth (e.g. "
                              "'Authorization: Bearer YOUR_SECRET_KEY').")
        if sandbox.key_expired(key):
            raise StripeError(401, "invalid_request_error",
                              f"Expired API Key provided: {_masked(key)}", code="api_key_expired")
        own = sandbox.key_account(key)
        if own is None:
            raise StripeError(401, "invalid_request_error",
                              f"Invalid API Key provided: {_masked(key)}")
        version = request.headers.get("Stripe-Version")
        sandbox.versions_seen.add(version)
        if version is not None and not _VERSION.match(version):
            raise StripeError(400, "invalid_request_error",
                              f"Invalid Stripe API version: {version}", param="Stripe-Version")
        if not sandbox.allow_request():
            raise StripeError(429, "invalid_request_error",
                              "Request rate limit exceeded. Learn more about rate limits here "
                              "https://stripe.com/docs/rate-limits.", code="rate_limit",
                              headers={"Stripe-Should-Retry": "true"})
        target = request.headers.get("Stripe-Account") or own
        if target != own and (own != PLATFORM.account_id or not sandbox.reachable(target)):
            raise StripeError(403, "invalid_request_error",
                              f"The provided key '{_masked(key)}' does not have access to account "
                              f"'{target}' (or that account does not exist). Application access "
                              "may have been revoked.", code="account_invalid")
        return sandbox.world(target)

    @app.get("/v1/account")
    def account() -> Response:
        with sandbox.lock:
            return _json(account_for_request().account, 200, {}, sandbox)

    @app.get("/v1/accounts")
    def accounts() -> Response:
        with sandbox.lock:
            world = account_for_request()
            if world.profile.account_id != PLATFORM.account_id:
                raise StripeError(400, "invalid_request_error",
                                  "This application does not have the required permissions for "
                                  "this endpoint: only a Connect platform lists accounts.")
            listed = [w.account for w in reversed(sandbox.connected())]
            return _json(_page(listed, "/v1/accounts"), 200, {}, sandbox)

    @app.get("/v1/subscription_items")
    def subscription_items() -> Response:
        with sandbox.lock:
            world = account_for_request()
            subscription_id = request.args.get("subscription")
            if not subscription_id:
                raise StripeError(400, "invalid_request_error",
                                  "Missing required param: subscription.", param="subscription")
            found = world.objects.get(subscription_id)
            if found is None or found["object"] != "subscription":
                raise StripeError(404, "invalid_request_error",
                                  f"No such subscription: '{subscription_id}'",
                                  code="resource_missing", param="subscription")
            page = _page(found["items"]["data"], "/v1/subscription_items")
            return _json(page, 200, {}, sandbox)

    @app.get("/v1/<resource>")
    def listing(resource: str) -> Response:
        kind = _kind(resource)
        with sandbox.lock:
            world = account_for_request()
            found = _filtered(world, kind, sandbox.now())
            page = _page(found, f"/v1/{resource}")
            page["data"] = [_embedded_lists_cut(obj) for obj in page["data"]]
            for path in _expand_paths():
                if not path.startswith("data."):
                    raise StripeError(400, "invalid_request_error",
                                      f"This property cannot be expanded ({path}).",
                                      param="expand")
                page["data"] = [_expanded(world, obj, path[5:].split(".")) for obj in page["data"]]
            return _json(page, 200, {}, sandbox)

    @app.get("/v1/<resource>/<object_id>")
    def retrieve(resource: str, object_id: str) -> Response:
        kind = _kind(resource)
        with sandbox.lock:
            world = account_for_request()
            found = world.objects.get(object_id)
            if kind == "event":
                found = next((e for e in _events(world, sandbox.now()) if e["id"] == object_id),
                             None)
            if found is None or found["object"] != kind:
                raise StripeError(404, "invalid_request_error",
                                  f"No such {kind}: '{object_id}'", code="resource_missing",
                                  param="id")
            obj = _embedded_lists_cut(copy.deepcopy(found))
            if not obj.get("deleted"):
                for path in _expand_paths():
                    obj = _expanded(world, obj, path.split("."))
            return _json(obj, 200, {}, sandbox)

    return app


def _kind(resource: str) -> str:
    kind = RESOURCES.get(resource)
    if kind is None:
        raise StripeError(404, "invalid_request_error",
                          f"Unrecognized request URL (GET: /v1/{resource}).")
    return kind


def _embedded_lists_cut(obj: dict[str, Any]) -> dict[str, Any]:
    """A subscription embeds its first EMBEDDED_ITEMS items; has_more says when there are more
    (read them from /v1/subscription_items)."""
    if obj.get("object") == "subscription" and len(obj["items"]["data"]) > EMBEDDED_ITEMS:
        obj["items"] = {**obj["items"], "data": obj["items"]["data"][:EMBEDDED_ITEMS],
                        "has_more": True}
    return obj


def _expand_paths() -> list[str]:
    return request.args.getlist("expand[]") + request.args.getlist("expand")


def _expanded(world: AccountWorld, obj: Any, path: list[str]) -> Any:
    """The object with the id at `path` replaced by the object it names (through lists)."""
    if not path:
        return obj
    if isinstance(obj, list):
        return [_expanded(world, item, path) for item in obj]
    if not isinstance(obj, dict) or path[0] not in obj:
        raise StripeError(400, "invalid_request_error",
                          f"This property cannot be expanded ({'.'.join(path)}).", param="expand")
    obj = dict(obj)
    value = obj[path[0]]
    if isinstance(value, str):
        value = copy.deepcopy(world.objects.get(value, value))
    elif isinstance(value, list):
        value = [copy.deepcopy(world.objects.get(v, v)) if isinstance(v, str) else v
                 for v in value]
    obj[path[0]] = _expanded(world, value, path[1:])
    return obj


def _events(world: AccountWorld, now: int) -> list[dict[str, Any]]:
    """Events are kept for 30 days."""
    return [e for e in world.events if e["created"] >= now - EVENT_RETENTION]


def _filtered(world: AccountWorld, kind: str, now: int) -> list[dict[str, Any]]:
    """The list's objects, newest first, as its filters keep them."""
    args = request.args
    found = _events(world, now) if kind == "event" else world.live(kind)
    if kind == "subscription":
        status = args.get("status")
        if status is None:
            found = [s for s in found if s["status"] in _RUNNING]
        elif status == "ended":
            found = [s for s in found if s["status"] in ("canceled", "incomplete_expired")]
        elif status != "all":
            found = [s for s in found if s["status"] == status]
    elif kind == "invoice" and args.get("status"):
        found = [i for i in found if i["status"] == args["status"]]
    if kind == "event":
        types = args.getlist("types[]")
        if len(types) > 20:
            raise StripeError(400, "invalid_request_error",
                              "You may pass at most 20 types.", param="types")
        if args.get("type"):
            pattern = re.compile(re.escape(args["type"]).replace(r"\*", ".*") + "$")
            found = [e for e in found if pattern.match(e["type"])]
        if types:
            found = [e for e in found if e["type"] in types]
    if args.get("customer"):
        found = [o for o in found if o.get("customer") == args["customer"]]
    for name, value in args.items():
        bound = _CREATED.match(name)
        if bound:
            found = _created_bound(found, bound[1], value)
    return list(reversed(found))


def _created_bound(found: list[dict[str, Any]], op: str, value: str) -> list[dict[str, Any]]:
    try:
        moment = int(value)
    except ValueError:
        raise StripeError(400, "invalid_request_error", f"Invalid integer: {value}",
                          param=f"created[{op}]") from None
    keep = {"gt": lambda c: c > moment, "gte": lambda c: c >= moment,
            "lt": lambda c: c < moment, "lte": lambda c: c <= moment}[op]
    return [o for o in found if keep(o["created"])]


def _page(found: list[dict[str, Any]], url: str) -> dict[str, Any]:
    args = request.args
    try:
        limit = int(args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise StripeError(400, "invalid_request_error",
                          f"Invalid integer: {args.get('limit')}", param="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise StripeError(400, "invalid_request_error",
                          "This value must be between 1 and 100 (it currently is "
                          f"{limit}).", param="limit")
    start = 0
    after, before = args.get("starting_after"), args.get("ending_before")
    ids = [o["id"] for o in found]
    if after or before:
        cursor = after or before
        if cursor not in ids:
            raise StripeError(404, "invalid_request_error", f"No such object: '{cursor}'",
                              code="resource_missing",
                              param="starting_after" if after else "ending_before")
        if after:
            start = ids.index(cursor) + 1
        else:
            end = ids.index(cursor)
            start = max(end - limit, 0)
            data = found[start:end]
            return {"object": "list", "data": copy.deepcopy(data), "has_more": start > 0,
                    "url": url}
    data = found[start:start + limit]
    return {"object": "list", "data": copy.deepcopy(data),
            "has_more": start + limit < len(found), "url": url}


def _json(body: Any, status: int, headers: dict[str, str], sandbox: StripeSandbox) -> Response:
    response = Response(json.dumps(body), status=status, content_type=JSON)
    response.headers.update(headers)
    response.headers["Request-Id"] = f"req_{secrets.token_hex(7)}"
    response.headers["Stripe-Version"] = objects.API_VERSION
    # The emulator's clock, as Stripe's servers send theirs.
    response.headers["Date"] = formatdate(sandbox.now(), usegmt=True)
    return response


def _fault_response(fault: Fault) -> Response:
    headers = dict(fault.headers)
    if fault.status == 429:
        headers.setdefault("Stripe-Should-Retry", "true")
        body = objects.error("invalid_request_error", "Request rate limit exceeded.",
                             code="rate_limit")
    else:
        body = objects.error("api_error", f"Injected fault {fault.status}.")
    text = fault.body if fault.body is not None else json.dumps(body)
    has_type = any(name.lower() == "content-type" for name in headers)
    return Response(text, status=fault.status, headers=headers,
                    content_type=None if has_type else JSON)
