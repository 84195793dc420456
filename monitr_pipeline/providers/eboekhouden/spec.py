"""e-Boekhouden.nl: the REST endpoints we import and their fields (API_FACTS.md section 7).

No change feed exists. mutation_rows is VERSIONED: the mutation list gives the versions, and only
new or possibly changed mutations are read in detail (mutation_reads.py); the other tables are
SNAPSHOTs (digests give incremental loads and deletions). Field names are the API's (swagger models
via NixySoftware/eboekhouden docs/*.md); mutation_rows is one record per mutation row, the
adapter's flattening of GET /v1/mutation/{id}.
"""

from monitr_pipeline.providers.eboekhouden.mutation_reads import VERSION_FIELD
from monitr_pipeline.providers.eboekhouden.mutations import outstanding_items
from monitr_pipeline.providers.eboekhouden.paging import short_pages
from monitr_pipeline.ingestion.values import DEFAULT_WIRE
from monitr_pipeline.providers.spec import Endpoint, KeyList, LoadMode, ProviderSpec

# "The parameter `limit` defaults to 100 and must be an integer between 1 and 2000" (swagger
# intro, "Paging"; error PAGE_001): the largest page means the fewest calls.
PAGE_SIZE = 2000

_OUTSTANDING_COLUMNS = {
    "outstandingItemId": "text",  # ours: mutationId-relationId-invoiceNumber (mutations.py)
    "date": "date", "mutationId": "bigint", "invoiceNumber": "text", "relationId": "bigint",
    "relationCode": "text", "company": "text", "totalAmount": "decimal", "paidAmount": "decimal",
    "outstandingAmount": "decimal",
}

MUTATION_ROW_COLUMNS = {
    "mutationRowId": "text",  # ours: "<mutation id>-<row number>"; opening balance "0-<ledger id>"
    # the mutation (header) fields, repeated on each of its rows
    "mutationId": "bigint", "type": "bigint", "date": "date", "description": "text",
    "termOfPayment": "bigint", "ledgerId": "bigint", "relationId": "bigint", "inExVat": "text",
    "invoiceNumber": "text", "entryNumber": "text",
    # the row (MutationRow)
    "rowNumber": "bigint", "rowLedgerId": "bigint", "rowAmount": "decimal", "rowVatCode": "text",
    "rowVatAmount": "decimal", "rowCostCenterId": "bigint", "rowDescription": "text",
    "rowInvoiceNumber": "text", "rowRelationId": "bigint",
}


def _outstanding(table: str, cred_deb: str, what: str) -> Endpoint:
    """GET /v1/mutation/invoice/outstanding?credDeb=D|C: one table per side."""
    return Endpoint(table=table, path="v1/mutation/invoice/outstanding",
                    primary_key="outstandingItemId", page_size=PAGE_SIZE,
                    params={"credDeb": cred_deb}, columns=_OUTSTANDING_COLUMNS,
                    records=outstanding_items,
                    description=f"{what}; amounts incl. VAT, positive.",
                    required=("date", "outstandingAmount"),
                    # What is open now: all paid is a valid answer.
                    guard_deletions=False)


SPEC = ProviderSpec(
    slug="eboekhouden",
    name="e-Boekhouden.nl",
    connection_kind="accounting",
    auth_kind="api_key",
    environments={"default": "https://api.e-boekhouden.nl"},
    default_environment="default",
    paginator=short_pages,
    data_selector="items",
    # ISO 8601 dates (swagger intro, "Dates"; a time part, should one come, is cut off), amounts
    # as JSON numbers, "" for an empty text: the default wire format.
    wire=DEFAULT_WIRE,
    endpoints=(
        Endpoint(
            table="mutation_rows",
            path="v1/mutation",
            primary_key="mutationRowId",
            mode=LoadMode.VERSIONED,
            cursor=VERSION_FIELD,
            page_size=PAGE_SIZE,
            # No request can say which details to read (mutation_reads.py): the adapter lists the
            # versions, reading details as it goes, and hands over the rows it kept.
            reader="mutation_versions",
            by_keys=KeyList(reader="mutation_rows", max_keys=PAGE_SIZE),
            description="Mutation rows from GET /v1/mutation/{id}, read for new mutations, changed "
                        "list headers, the recent month and weekly for all; the "
                        "row amount's sign is implied by the mutation type; ledgerId is the "
                        "mutation's main (contra) ledger. Opening balance: mutation 0, type 0.",
            columns=MUTATION_ROW_COLUMNS,
            required=("mutationId", "type", "date", "rowLedgerId", "rowAmount"),
        ),
        Endpoint(
            table="ledgers",
            path="v1/ledger",
            primary_key="id",
            page_size=PAGE_SIZE,
            description="Chart of accounts; category BAL/VW, FIN, DEB, CRED or a VAT category.",
            required=("code", "category"),
            columns={"id": "bigint", "code": "text", "description": "text", "category": "text",
                     "group": "text"},
        ),
        Endpoint(
            table="cost_centers",
            path="v1/costcenter",
            primary_key="id",
            page_size=PAGE_SIZE,
            optional=True,
            columns={"id": "bigint", "description": "text", "parentId": "bigint", "active": "bool"},
        ),
        Endpoint(
            table="relations",
            path="v1/relation",
            primary_key="id",
            page_size=PAGE_SIZE,
            description="Customers and suppliers: the list gives id, type (B/P) and code only.",
            columns={"id": "bigint", "type": "text", "code": "text"},
        ),
        _outstanding("outstanding_receivables", "D", "Open sales invoices (debtors)"),
        _outstanding("outstanding_payables", "C", "Open purchase invoices (creditors)"),
        Endpoint(
            table="administrations",
            path="v1/administration",
            primary_key="guid",
            page_size=PAGE_SIZE,
            description="The administration the API token belongs to.",
            columns={"guid": "text", "company": "text"},
        ),
    ),
)
