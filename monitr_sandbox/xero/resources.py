"""The emulated list endpoints: which records a query selects and how they are paged.

Query options as in Xero-OpenAPI 16.1: /Journals `offset` (100 journals numbered above it);
/Invoices `Statuses`, `IDs`, `InvoiceNumbers`, `ContactIDs`, `page`/`pageSize` (up to 1000; with
`page` the invoices carry LineItems and a `pagination` object, without it every match comes back
without lines, as Xero documents); /TrackingCategories `includeArchived`; If-Modified-Since on
Journals (CreatedDateUTC), Accounts and Invoices (UpdatedDateUTC), inclusive. `where` and
`order` are not emulated (ignored). Assets API: `status` is required, `page`/`pageSize` (default
10, at most 200 here).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitr_sandbox.xero.books import TenantBooks
from monitr_sandbox.xero.render import accounting_envelope
from monitr_sandbox.xero.shapes import from_ms

JOURNALS_PER_CALL = 100
INVOICES_DEFAULT_PAGE, INVOICES_MAX_PAGE = 100, 1000
ASSETS_DEFAULT_PAGE, ASSETS_MAX_PAGE = 10, 200
ASSET_STATUSES = ("DRAFT", "REGISTERED", "DISPOSED")


class BadQuery(ValueError):
    """A query option the API refuses (HTTP 400)."""


@dataclass(frozen=True)
class Resource:
    scopes: tuple[str, ...]  # any one of them grants access (write scopes imply read)
    answer: Callable[[TenantBooks, Mapping[str, str], datetime | None], dict[str, Any]]


def _int(args: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise BadQuery(f"{name} must be at least {minimum}")
    return value


def _listed(args: Mapping[str, str], name: str) -> set[str] | None:
    raw = args.get(name)
    return {part.strip().strip('"') for part in raw.split(",") if part.strip()} if raw else None


def journals(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    offset = _int(args, "offset", 0, 0)
    selected = [j for j in books.journals if j["JournalNumber"] > offset
                and (since is None or from_ms(j["CreatedDateUTC"]) >= since)]
    return accounting_envelope("Journals", selected[:JOURNALS_PER_CALL])


def accounts(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    rows = [a for a in books.shapes.accounts()
            if since is None or from_ms(a["UpdatedDateUTC"]) >= since]
    return accounting_envelope("Accounts", rows)


def tracking_categories(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    archived = args.get("includeArchived", "").lower() == "true"
    categories = books.shapes.tracking_categories(books.as_of)
    if not archived:
        categories = [{**c, "Options": [o for o in c["Options"] if o["Status"] == "ACTIVE"]}
                      for c in categories if c["Status"] == "ACTIVE"]
    return accounting_envelope("TrackingCategories", categories)


def organisation(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    return accounting_envelope("Organisations", [books.shapes.organisation()])


def invoices(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    paged = "page" in args
    page = _int(args, "page", 1, 1)
    size = min(_int(args, "pageSize", INVOICES_DEFAULT_PAGE, 1), INVOICES_MAX_PAGE)
    filters = {"Status": _listed(args, "Statuses"), "InvoiceID": _listed(args, "IDs"),
               "InvoiceNumber": _listed(args, "InvoiceNumbers")}
    contacts = _listed(args, "ContactIDs")
    selected = [row for updated, row in books.invoices(with_lines=paged)
                if (since is None or updated >= since)
                and all(wanted is None or row.get(field) in wanted
                        for field, wanted in filters.items())
                and (contacts is None or row["Contact"]["ContactID"] in contacts)]
    if not paged:
        return accounting_envelope("Invoices", selected)
    pagination = {"page": page, "pageSize": size, "pageCount": math.ceil(len(selected) / size),
                  "itemCount": len(selected)}
    return accounting_envelope("Invoices", selected[(page - 1) * size:page * size],
                               pagination=pagination)


def assets(books: TenantBooks, args: Mapping[str, str], since: datetime | None) -> dict:
    status = args.get("status")
    if status is None:
        raise BadQuery("status is required when retrieving a collection of assets")
    if status.upper() not in ASSET_STATUSES:
        raise BadQuery(f"status must be one of {', '.join(ASSET_STATUSES)}")
    page = _int(args, "page", 1, 1)
    size = min(_int(args, "pageSize", ASSETS_DEFAULT_PAGE, 1), ASSETS_MAX_PAGE)
    # Every sandbox asset is registered; none is a draft or disposed of.
    selected = books.assets() if status.upper() == "REGISTERED" else []
    pagination = {"page": page, "pageSize": size, "pageCount": math.ceil(len(selected) / size),
                  "itemCount": len(selected)}
    return {"pagination": pagination, "items": selected[(page - 1) * size:page * size]}


_SETTINGS = ("accounting.settings", "accounting.settings.read")
ACCOUNTING: dict[str, Resource] = {
    "journals": Resource(("accounting.journals.read",), journals),
    "accounts": Resource(_SETTINGS, accounts),
    "trackingcategories": Resource(_SETTINGS, tracking_categories),
    "organisation": Resource(_SETTINGS, organisation),
    "invoices": Resource(("accounting.transactions", "accounting.transactions.read"), invoices),
}
ASSETS: dict[str, Resource] = {"assets": Resource(("assets", "assets.read"), assets)}
