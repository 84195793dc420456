"""Mutation rows: GET /v1/mutation lists headers only, so each mutation's rows need GET /v1/mutation/{id}.

One list call per 2000 mutations, then one detail call per mutation (N+1; nothing in the list tells
a changed mutation from an unchanged one, so every import reads them all). The opening balance
(mutation 0, type 0) is listed as one item per ledger and needs no detail call. Each row becomes one
record carrying its mutation's header fields, keyed "<mutation id>-<row number>".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator

from monitr_pipeline.providers.adapter import ProviderError

OPENING_BALANCE = 0  # mutation type 0, always mutation id 0 (error MUT_025)
_HEADER_FIELDS = ("type", "date", "description", "termOfPayment", "ledgerId", "relationId",
                  "inExVat", "invoiceNumber", "entryNumber")
_ROW_FIELDS = {"rowLedgerId": "ledgerId", "rowAmount": "amount", "rowVatCode": "vatCode",
               "rowVatAmount": "vatAmount", "rowCostCenterId": "costCenterId",
               "rowDescription": "description", "rowInvoiceNumber": "invoiceNumber",
               "rowRelationId": "relationId"}


def mutation_rows(client: RESTClient, path: str, params: dict[str, Any], paginator: BasePaginator,
                  hooks: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    seen: set[Any] = set()
    opening_rows = 0
    for page in client.paginate(path, params=params, paginator=paginator, hooks=hooks):
        records: list[dict[str, Any]] = []
        for item in page:
            if not isinstance(item, Mapping) or item.get("id") is None:
                raise ValueError(f"mutation list item without an id: {item!r}"[:300])
            if item.get("type") == OPENING_BALANCE:
                opening_rows += 1
                records.append(opening_row(item, opening_rows))
            elif item["id"] not in seen:  # offsets can shift under a concurrent change
                seen.add(item["id"])
                detail = _detail(client, path, item["id"], hooks)
                if detail is not None:
                    records += detail_rows(detail)
        yield records


def _detail(client: RESTClient, path: str, mutation_id: Any, hooks: dict[str, Any]
            ) -> Mapping[str, Any] | None:
    try:
        response = client.get(f"{path}/{mutation_id}", hooks=hooks)
    except ProviderError as exc:
        if exc.status == 404:  # deleted since the list was read (MUT_300): gone, like its rows
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
        records.append({"mutationRowId": f"{detail.get('id')}-{number}", **header,
                        "rowNumber": number,
                        **{ours: row.get(theirs) for ours, theirs in _ROW_FIELDS.items()}})
    return records


def opening_row(item: Mapping[str, Any], number: int) -> dict[str, Any]:
    """An opening-balance list item: the ledger and its opening amount (no main ledger)."""
    return {"mutationRowId": f"{item['id']}-{item.get('ledgerId')}", "mutationId": item["id"],
            "type": OPENING_BALANCE, "date": item.get("date"), "invoiceNumber": item.get("invoiceNumber"),
            "entryNumber": item.get("entryNumber"), "rowNumber": number,
            "rowLedgerId": item.get("ledgerId"), "rowAmount": item.get("amount")}


def outstanding_item(item: Any) -> Any:
    """Outstanding invoices have no id of their own (all opening-balance items share mutation 0);
    a relation's invoice number is unique (MUT_019, MUT_020)."""
    if not isinstance(item, Mapping):
        return item
    key = f"{item.get('mutationId')}-{item.get('relationId')}-{item.get('invoiceNumber')}"
    return {**item, "outstandingItemId": key}
