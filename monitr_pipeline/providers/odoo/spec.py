"""Odoo: the models we import over the JSON-2 API and the fields we read (API_FACTS.md section 11).

Every endpoint is POST /json/2/<model>/search_read with a JSON body: the domain, the fields, the
order, offset and limit (paged by dlt's OffsetPaginator in the body), and the entity's company in
context.allowed_company_ids (the administration is a res.company of the database). The JSON-RPC
transport (ingestion/transports/json_rpc.py) reads the same declarations as execute_kw calls.

Journal items (move_lines) are INCREMENTAL on write_date: `write_date >= last` ordered by write_date
then id (each page asks for the items after the last one read, by write_date and id: paging.py;
the boundary second is read again and merged). Odoo unlinks without a trace, so move_line_keys is
a SNAPSHOT of the ids of every posted item: ids missing from it were deleted (or reset to draft) and staging keeps
only items whose id is still listed. Only posted items are read (parent_state = posted).

Many2one fields come as [id, display name] or false: a column named after the field holds the id
(the wire format reads a pair as its id and false as no value), a `*_name` column beside it
(MANY2ONE_NAMES) the display name, which each endpoint's `records` puts in the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.odoo.paging import KeysetPages
from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec

PAGE_SIZE = 2000
KEY_PAGE_SIZE = 20000
POSTED = ["parent_state", "=", "posted"]
COMPANY_CONTEXT = {"allowed_company_ids": ["{external_id}"]}
# Derived column -> the many2one field whose display name it holds.
MANY2ONE_NAMES = {
    "currency_name": "currency_id", "country_name": "country_id", "journal_name": "journal_id",
    "account_name": "account_id", "partner_name": "partner_id", "plan_name": "plan_id",
    "parent_name": "parent_id", "move_display_name": "move_id",
}
DERIVED = frozenset(MANY2ONE_NAMES)


def many2one_names(columns: Mapping[str, str]) -> Callable[[list[Any]], list[Any]] | None:
    """The records of a page with their declared `*_name` columns: the display name of the
    many2one pair beside them (None when the pair is false). A value that is no pair gets no name;
    its id column's type names it."""
    names = {name: source for name, source in MANY2ONE_NAMES.items() if name in columns}
    if not names:
        return None

    def records(page: list[Any]) -> list[Any]:
        for record in page:
            if isinstance(record, dict):
                for name, source in names.items():
                    pair = record.get(source)
                    record[name] = pair[1] if type(pair) is list and len(pair) == 2 else None
        return page

    return records


def odoo_datetime(value: datetime) -> str:
    """A cursor value as Odoo writes datetimes in domains: UTC, no zone."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def search_read(model: str, table: str, columns: dict[str, str], *, domain: list | None = None,
                keys: tuple[str, ...] = ("id",), page_size: int = PAGE_SIZE,
                **options) -> Endpoint:
    # Pages follow the keys (paging.py): the order is theirs, ascending.
    order = ", ".join(f"{key} asc" for key in keys)
    return Endpoint(
        table=table, path=f"json/2/{model}/search_read", method="POST", primary_key="id",
        columns=columns, page_size=page_size,
        paginator=lambda e: KeysetPages(e.page_size, keys),
        records=many2one_names(columns),
        json={"domain": domain or [], "order": order, "context": COMPANY_CONTEXT,
              "fields": [name for name in columns if name not in DERIVED]},
        **options)


SPEC = ProviderSpec(
    slug="odoo",
    name="Odoo",
    connection_kind="accounting",
    auth_kind="api_credentials",
    external_id_type=int,  # a company id, compared as an integer in allowed_company_ids
    # Every customer has its own host (mycompany.odoo.com or self-hosted): the URL the user gives.
    environments={"default": "https://odoo.example.com"},
    default_environment="default",
    # false for an unset value of any type but bool; many2one [id, name] pairs read as their id;
    # datetimes in UTC without a zone ("2025-01-31 09:00:00").
    wire=WireFormat(false_is_null=True, pairs_are_ids=True),
    endpoints=(
        search_read("account.move.line", "move_lines", {
            "id": "bigint", "move_id": "bigint", "move_name": "text", "move_display_name": "text",
            "date": "date", "ref": "text", "journal_id": "bigint", "journal_name": "text",
            "account_id": "bigint", "account_name": "text", "partner_id": "bigint",
            "partner_name": "text", "name": "text", "debit": "decimal", "credit": "decimal",
            "balance": "decimal", "amount_currency": "decimal", "currency_id": "bigint",
            "currency_name": "text", "company_id": "bigint", "parent_state": "text",
            "analytic_distribution": "json", "reconciled": "bool", "amount_residual": "decimal",
            # Odoo 17+: the lines of one receivable/payable item share it (settlement history).
            "matching_number": "text", "full_reconcile_id": "bigint",
            "date_maturity": "date", "create_date": "timestamp", "write_date": "timestamp",
        }, domain=[POSTED, ["write_date", ">=", "{incremental.start_value}"]],
            keys=("write_date", "id"), mode=LoadMode.INCREMENTAL, cursor="write_date",
            initial_value=datetime(1970, 1, 1, tzinfo=UTC), cursor_format=odoo_datetime,
            required=("move_id", "date", "account_id", "balance", "company_id"),
            description="Posted journal items; balance = debit - credit in the company currency."),
        search_read("account.move.line", "move_line_keys", {"id": "bigint"}, domain=[POSTED],
                    page_size=KEY_PAGE_SIZE,
                    description="The id of every posted journal item now: items missing were "
                                "unlinked (or reset to draft)."),
        search_read("res.company", "companies", {
            "id": "bigint", "name": "text", "currency_id": "bigint", "currency_name": "text",
            "country_id": "bigint", "country_name": "text", "country_code": "text",
            "fiscalyear_last_day": "bigint", "fiscalyear_last_month": "bigint",
        }, only={"id": "{external_id}"}, required=("name", "fiscalyear_last_day",
                                                   "fiscalyear_last_month"),
            description="The company (administration) with its fiscal year end."),
        search_read("account.account", "accounts", {
            "id": "bigint", "code": "text", "name": "text", "account_type": "text",
            "reconcile": "bool", "active": "bool",
        }, required=("code", "account_type"), description="Chart of accounts (Odoo 17+ types)."),
        search_read("account.journal", "journals", {
            "id": "bigint", "code": "text", "name": "text", "type": "text",
        }, description="Journals."),
        search_read("account.analytic.plan", "analytic_plans", {
            "id": "bigint", "name": "text", "parent_id": "bigint", "parent_name": "text",
        }, description="Analytic plans (Odoo 16+); shared by the companies."),
        search_read("account.analytic.account", "analytic_accounts", {
            "id": "bigint", "code": "text", "name": "text", "plan_id": "bigint",
            "plan_name": "text", "active": "bool", "company_id": "bigint",
        }, domain=[["active", "in", [True, False]]], description="Analytic accounts."),
        search_read("res.partner", "partners", {
            "id": "bigint", "name": "text", "ref": "text", "is_company": "bool",
        }, description="Partners (customers and suppliers)."),
    ),
)
