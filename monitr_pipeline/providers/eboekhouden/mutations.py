"""e-Boekhouden mutations on the wire: the list of headers, the detail with its rows, our row records.

Facts, from the official swagger (https://api.e-boekhouden.nl/swagger/v1/swagger.json as generated
into NixySoftware/eboekhouden: docs/MutationApi.md, MutationList.md, MutationListItem.md,
Mutation.md, MutationRow.md; paging, filters and error codes in src/apis/configuration.rs):
- GET /v1/mutation?limit&offset (limit 1..2000, default 100) answers {items, count}; an item is a
  MutationListItem {id, type, date, invoiceNumber, ledgerId, amount, entryNumber}: the header only.
  No rows, no description, and no field that changes on an edit (no modified date, version or
  hash); the order of the items is not documented.
- Its filters: type, id (numbers), description, invoiceNumber (strings) and date, each as
  `field=value` or `field[op]=value` (eq, not_eq, gt, gte, lt, lte, range `a,b` inclusive; like and
  not_like with % and ? on strings), one filter per field. None selects by modification.
- GET /v1/mutation/{id} answers the Mutation {id, type, date, description, termOfPayment, ledgerId,
  relationId, inExVat, invoiceNumber, entryNumber, rows[], vat[]} with its MutationRows {ledgerId,
  vatCode, vatAmount, costCenterId, amount, description, invoiceNumber, relationId}; the rows exist
  only here, one call per mutation; an unknown id is 404 MUT_300.
- The opening balance is mutation 0 (MUT_025), listed as one item per ledger (nlvegan/verenigingen's
  analyses of real payloads); its items carry all it has, so it needs no detail call.
Each row becomes one record carrying its mutation's header fields, keyed "<mutation id>-<row number>".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.providers.adapter import ProviderError

if TYPE_CHECKING:
    from monitr_pipeline.ingestion.endpoint_request import EndpointRequest

OPENING_BALANCE = 0  # mutation type 0, always mutation id 0 (error MUT_025)
_HEADER_FIELDS = ("type", "date", "description", "termOfPayment", "ledgerId", "relationId",
                  "inExVat", "invoiceNumber", "entryNumber")
_ROW_FIELDS = {"rowLedgerId": "ledgerId", "rowAmount": "amount", "rowVatCode": "vatCode",
               "rowVatAmount": "vatAmount", "rowCostCenterId": "costCenterId",
               "rowDescription": "description", "rowInvoiceNumber": "invoiceNumber",
               "rowRelationId": "relationId"}


@dataclass
class MutationList:
    """GET /v1/mutation read to the end: the headers by mutation id and the opening-balance items."""

    headers: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    opening: list[Mapping[str, Any]] = field(default_factory=list)


def list_mutations(client: RESTClient, request: EndpointRequest, hooks: dict[str, Any]
                   ) -> MutationList:
    """The endpoint's declared request (GET /v1/mutation, limit/offset pages of `items`)."""
    listed = MutationList()
    opening_ledgers: set[Any] = set()
    for page in client.paginate(request.path, params=request.params, paginator=request.paginator,
                                data_selector=request.data_selector, hooks=hooks):
        for item in page:
            if not isinstance(item, Mapping) or item.get("id") is None:
                raise ValueError(f"mutation list item without an id: {item!r}"[:300])
            # An item seen twice (offsets shift under a concurrent booking) counts once.
            if item.get("type") == OPENING_BALANCE:
                if item.get("ledgerId") not in opening_ledgers:
                    opening_ledgers.add(item.get("ledgerId"))
                    listed.opening.append(item)
            else:
                listed.headers[int(item["id"])] = item
    return listed


def read_detail(client: RESTClient, path: str, mutation_id: int, hooks: dict[str, Any]
                ) -> Mapping[str, Any] | None:
    """GET /v1/mutation/{id}; None when it was deleted since the list was read (404 MUT_300)."""
    try:
        response = client.get(f"{path}/{mutation_id}", hooks=hooks)
    except ProviderError as exc:
        if exc.status == 404:
            return None
        raise
    try:
        detail = response.json()
    except ValueError as exc:
        raise ValueError(f"mutation {mutation_id}: the detail is not JSON ({exc})") from None
    if not isinstance(detail, Mapping) or not isinstance(detail.get("rows"), list):
        raise ValueError(f"mutation {mutation_id}: the detail has no rows")
    return detail


def detail_rows(detail: Mapping[str, Any]) -> list[dict[str, Any]]:
    header = {"mutationId": detail.get("id"), **{f: detail.get(f) for f in _HEADER_FIELDS}}
    records = []
    for number, row in enumerate(detail["rows"], start=1):
        if not isinstance(row, Mapping):
            raise ValueError(f"mutation {detail.get('id')}: row {number} is not an object")
        records.append({"mutationRowId": row_key(detail.get("id"), number), **header,
                        "rowNumber": number,
                        **{ours: row.get(theirs) for ours, theirs in _ROW_FIELDS.items()}})
    return records


def row_key(mutation_id: Any, row_number: int) -> str:
    return f"{mutation_id}-{row_number}"


def opening_row(item: Mapping[str, Any], number: int) -> dict[str, Any]:
    """An opening-balance list item: the ledger and its opening amount (no main ledger)."""
    return {"mutationRowId": f"{item['id']}-{item.get('ledgerId')}", "mutationId": item["id"],
            "type": OPENING_BALANCE, "date": item.get("date"), "invoiceNumber": item.get("invoiceNumber"),
            "entryNumber": item.get("entryNumber"), "rowNumber": number,
            "rowLedgerId": item.get("ledgerId"), "rowAmount": item.get("amount")}


def opening_rows(items: list[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    for number, item in enumerate(items, start=1):
        yield opening_row(item, number)


def outstanding_item(item: Any) -> Any:
    """Outstanding invoices have no id of their own (all opening-balance items share mutation 0);
    a relation's invoice number is unique (MUT_019, MUT_020)."""
    if not isinstance(item, Mapping):
        return item
    key = f"{item.get('mutationId')}-{item.get('relationId')}-{item.get('invoiceNumber')}"
    return {**item, "outstandingItemId": key}


def outstanding_items(page: list[Any]) -> list[Any]:
    """The outstanding invoices endpoints' records: each keyed as outstanding_item says."""
    return [outstanding_item(item) for item in page]
