"""Minox: the endpoints we import and the fields we keep (API_FACTS.md section 10; paths from
onetoweb/minox src/Endpoint/*, fields from its docs/*.rst; assumptions in __init__.py)."""

from __future__ import annotations

from dataclasses import dataclass

from monitr_pipeline.providers.minox import wire
from monitr_pipeline.providers.minox.paging import offset_pages
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

PAGE_SIZE = 1000  # the largest `limit` assumed accepted
ADMINISTRATION = "administration/{external_id.administration_id}"
# A fiscal year's lines: the adapter's reader fills in the year (one window).
TRANSACTION_LINES = f"{ADMINISTRATION}/year/{{year}}/transaction_lines"


@dataclass(frozen=True)
class AdministrationRef:
    """An entity's external id, `<client number>/<administration id>`: every path names both."""

    client_number: str
    administration_id: str

    @classmethod
    def parse(cls, external_id: str) -> AdministrationRef:
        client_number, _, administration_id = str(external_id).partition("/")
        if not (client_number.isdigit() and administration_id.isdigit()):
            raise ValueError(f"a Minox administration is '<client number>/<administration id>', "
                             f"not {external_id!r}")
        return cls(client_number, administration_id)

    def __str__(self) -> str:
        return f"{self.client_number}/{self.administration_id}"


def _listing(table: str, resource: str, columns: dict[str, str], *, primary_key: str = "id",
             **declared) -> Endpoint:
    """A list of one administration (`administration/{id}/<resource>`), read PAGE_SIZE a call."""
    return Endpoint(table=table, path=f"{ADMINISTRATION}/{resource}", columns=columns,
                    primary_key=primary_key, page_size=PAGE_SIZE, **declared)


def _reference(prefix: str, *fields: str) -> dict[str, str]:
    """A nested reference ({id, description}) read as dotted fields."""
    return {f"{prefix}.{field}": "text" for field in fields}


_OPEN_ITEM = {
    "id": "text", "type": "text", "account_id": "text", "account_name": "text",
    "invoice_number": "text",
    "invoice_date": "date", "due_date": "date", "total": "decimal", "paid": "decimal",
    "balance": "decimal", "memo": "text", **_reference("currency", "id"),
    **_reference("journal", "id"), "entry_number": "text",
}


def _open_items(table: str, resource: str, what: str) -> Endpoint:
    return _listing(
        table, resource, _OPEN_ITEM, required=("account_id", "balance", "invoice_date"),
        optional=True, guard_deletions=False,  # all paid is a valid answer
        description=f"Open {what} as of today (the list holds what is outstanding now; Minox "
                    f"cannot say what was outstanding on an earlier date). id is Minox's "
                    f"open-item id, not the invoice id; balance is the open amount.")


SPEC = ProviderSpec(
    slug="minox",
    name="Minox",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={"default": "https://app.minox.nl"},
    default_environment="default",
    external_id_type=AdministrationRef.parse,
    paginator=offset_pages,
    params={"limit": "{page_size}", "offset": 0},
    data_selector="$",
    oauth2=OAuth2Spec(
        authorize_path="/oauth/authorize",
        token_path="/oauth/token",
        scopes=("administration:read", "ledger_account:read", "journal:read",
                "transaction:read", "cost_center:read", "cost_type:read", "customer:read",
                "supplier:read"),
    ),
    endpoints=(
        Endpoint(
            table="administrations", path="administration", primary_key="id",
            only={"id": "{external_id.administration_id}"},
            columns={"id": "text", "name": "text"}, required=("name",),
            description="The administration itself (from the tenant's list of administrations)."),
        _listing(
            "ledger_accounts", "ledger_account",
            {"id": "text", "description": "text", "type": "text",
             "debit_credit_suggestion": "text", "blocked.active": "bool",
             "blocked.reason": "text"},
            required=("description",),
            description="The chart of accounts; type says balance sheet or profit and loss."),
        _listing(
            "journals", "journal", {"id": "text", "description": "text", "type": "text"},
            description="Journals (dagboeken) with their type (sales, purchase, bank, ...)."),
        _listing(
            "cost_centers", "cost_center", {"id": "text", "description": "text"}, optional=True,
            description="Cost centres (kostenplaatsen): the first analytical dimension."),
        _listing(
            "cost_types", "cost_type", {"id": "text", "description": "text"}, optional=True,
            description="Cost types (kostendragers): the second analytical dimension."),
        _listing(
            "fiscal_periods", "year",
            {"period_key": "text", "year": "bigint", "period": "bigint", "start_date": "date",
             "end_date": "date", "closed": "bool"},
            primary_key="period_key", records=wire.year_periods,
            required=("year", "period", "start_date", "end_date"),
            description="The periods of every fiscal year (boekjaar), one row each."),
        Endpoint(
            table="transaction_lines", path=TRANSACTION_LINES,
            primary_key="id", mode=LoadMode.WINDOWED, windows="fiscal_years",
            reader="year_lines", page_size=PAGE_SIZE,
            required=("batch_id", "document_date", "period.fiscal_year", "account.id"),
            columns={
                "id": "text", "batch_id": "text", "line_number": "bigint",
                "entry_number": "text", **_reference("journal", "id", "description"),
                "document_date": "date", "period.id": "bigint", "period.fiscal_year": "bigint",
                **_reference("account", "id", "scheme", "type", "description"),
                **_reference("relation", "id", "type", "name"),
                "debit": "decimal", "credit": "decimal", "description": "text",
                "invoice_number": "text", "due_date": "date",
                **_reference("cost_center", "id", "description"),
                **_reference("cost_type", "id", "description"),
                "vat.id": "text", "vat.amount": "decimal", "currency.id": "text",
            },
            description="GL lines per fiscal year (year/{year}/transaction_lines). Minox has no "
                        "change feed: every year not read before and every open year is read "
                        "again whole each import; a line gone from a year read again was "
                        "deleted, a changed one is updated. debit and credit are both >= 0."),
        _open_items("receivables", "receivable", "receivables (debiteuren)"),
        _open_items("payables", "payable", "payables (crediteuren)"),
    ),
)
