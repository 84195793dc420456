"""Moneybird: the endpoints we import and the fields we keep (API_FACTS.md section 2, openapi.yml).

Documents (journal documents, bank mutations, sales and purchase invoices) are VERSIONED through
Moneybird's synchronization API; their booking lines stay nested in the document row (json
columns), so a changed or deleted document replaces or removes all of its lines at once.
Staging unnests them.
"""

from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, KeyList, LoadMode, OAuth2Spec, ProviderSpec

PAGE_SIZE = 100  # per_page maximum of every paginated Moneybird endpoint
# POST .../synchronization.json {"ids": [...]} answers the documents of the first 100 ids.
MAX_IDS_PER_FETCH = 100
_PER_PAGE = {"per_page": "{page_size}"}


def _link_pages(endpoint: Endpoint) -> HeaderLinkPaginator:
    """Paginated lists name the next page in the Link header (rel="next"); ledger_accounts,
    administrations and the synchronization lists are one answer each."""
    return HeaderLinkPaginator()

# The synchronization list defaults to `period:this_year`, and any filter replaces the defaults:
# an explicit period as wide as the administration's history lists every document.
ALL_PERIODS = {"filter": "period:20000101..20991231"}

_DOCUMENT = {
    "id": "text", "administration_id": "text", "created_at": "timestamp",
    "updated_at": "timestamp", "version": "bigint",
}
_INVOICE = {
    **_DOCUMENT, "contact_id": "text", "contact": "json", "state": "text", "due_date": "date",
    "reference": "text", "currency": "text", "paid_at": "date", "prices_are_incl_tax": "bool",
    "total_price_excl_tax": "decimal", "total_price_excl_tax_base": "decimal",
    "total_price_incl_tax": "decimal", "total_price_incl_tax_base": "decimal",
    "details": "json", "payments": "json",
}


def _versioned(table: str, path: str, columns: dict[str, str], description: str,
               required: tuple[str, ...]) -> Endpoint:
    """GET .../synchronization.json lists {id, version}; POSTing it {"ids": [...]} answers the
    documents."""
    return Endpoint(table=table, path=f"{path}/synchronization.json", columns=columns,
                    primary_key="id", mode=LoadMode.VERSIONED, cursor="version",
                    params=ALL_PERIODS, description=description, required=required,
                    by_keys=KeyList(method="POST", json={"ids": "{keys}"},
                                    max_keys=MAX_IDS_PER_FETCH))


SPEC = ProviderSpec(
    slug="moneybird",
    name="Moneybird",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={"default": "https://moneybird.com"},
    default_environment="default",
    # Ids as strings (or integers), decimals as dot strings, ISO dates, times always with their
    # zone; "" in a text field is what Moneybird says, not a missing value.
    wire=WireFormat(timestamps_need_zone=True, empty_text_is_null=False),
    oauth2=OAuth2Spec(authorize_path="/oauth/authorize", token_path="/oauth/token",
                      scopes=("sales_invoices", "documents", "bank", "settings")),
    endpoints=(
        _versioned(
            "general_journal_documents", "documents/general_journal_documents",
            {**_DOCUMENT, "reference": "text", "date": "date", "journal_type": "text",
             "general_journal_document_entries": "json"},
            "Memorial bookings (opening balances, payroll, depreciation, corrections): debit and "
            "credit per entry.",
            required=("date", "general_journal_document_entries")),
        _versioned(
            "financial_mutations", "financial_mutations",
            {**_DOCUMENT, "amount": "decimal", "code": "text", "date": "date", "message": "text",
             "contra_account_name": "text", "state": "text", "amount_open": "decimal",
             "financial_account_id": "text", "currency": "text", "processed_at": "timestamp",
             "payments": "json", "ledger_account_bookings": "json"},
            "Bank lines (+ money in) and what they were booked against: invoice payments and "
            "ledger account bookings.",
            required=("date", "amount")),
        _versioned(
            "sales_invoices", "sales_invoices",
            {**_INVOICE, "invoice_id": "text", "invoice_date": "date",
             "original_sales_invoice_id": "text", "total_paid": "decimal",
             "total_unpaid": "decimal", "total_unpaid_base": "decimal", "tax_totals": "json"},
            "Sales invoices and credit invoices (negative); details per revenue line, tax per "
            "rate.",
            required=("state", "currency", "details")),
        _versioned(
            "purchase_invoices", "documents/purchase_invoices",
            {**_INVOICE, "date": "date", "entry_number": "bigint"},
            "Purchase invoices; details per cost line, VAT is the incl - excl difference.",
            required=("date", "currency", "details")),
        Endpoint(
            table="ledger_accounts",
            path="ledger_accounts.json",
            primary_key="id",
            description="Chart of accounts; taxonomy_item.code is the RGS code. Not paginated.",
            required=("name", "account_type"),
            columns={
                "id": "text", "administration_id": "text", "name": "text", "account_type": "text",
                "account_id": "text", "parent_id": "text", "active": "bool",
                "created_at": "timestamp", "updated_at": "timestamp",
                "allowed_document_types": "json", "taxonomy_item": "json",
                "financial_account_id": "text",
            },
        ),
        Endpoint(
            table="projects",
            path="projects.json",
            primary_key="id",
            page_size=PAGE_SIZE,
            # The default lists active projects only.
            params={"filter": "state:all", **_PER_PAGE},
            paginator=_link_pages,
            description="Projects: Moneybird's only analytical dimension.",
            optional=True,
            required=("name",),
            columns={"id": "text", "name": "text", "state": "text", "budget": "bigint"},
        ),
        Endpoint(
            table="assets",
            path="assets.json",
            primary_key="id",
            page_size=PAGE_SIZE,
            params=_PER_PAGE,
            paginator=_link_pages,
            # `active` defaults to true (active assets only); asking for both values lists every
            # asset whether `false` means 'inactive only' or 'all', and ids seen twice are dropped.
            variants=({"active": "true"}, {"active": "false"}),
            description="Fixed assets with their value change plan and value changes.",
            optional=True,
            required=("ledger_account_id", "purchase_date", "purchase_value"),
            columns={
                "id": "text", "ledger_account_id": "text", "name": "text", "purchase_date": "date",
                "purchase_value": "decimal", "calculated_purchase_value": "decimal",
                "current_value": "decimal", "value_change_plan": "json", "disposal": "json",
                "value_changes": "json", "sources": "json",
            },
        ),
        Endpoint(
            table="administrations",
            # The login's list sits above the administration's path (.../api/v2/{id}/), which dlt
            # joins every path onto: a relative reference (RFC 3986) reaches it, and requests
            # resolves its dot segments before sending. Of that list we keep our own.
            path="../administrations.json",
            only={"id": "{external_id}"},
            primary_key="id",
            description="The administration itself (currency, country, period_start_date), from "
                        "the login's list above the administration path.",
            required=("currency",),
            columns={
                "id": "text", "name": "text", "language": "text", "currency": "text",
                "country": "text", "time_zone": "text", "access": "text", "suspended": "bool",
                "period_locked_until": "date", "period_start_date": "date",
            },
        ),
    ),
)
