"""Odoo pages by keys, not offsets: a record written while an import pages moves behind the
others, and with offsets one record would shift past the page boundary and be skipped."""

import requests

from monitr_pipeline.providers.odoo.paging import KeysetPages


def _records(rows):
    return [{"id": i, "write_date": w} for i, w in rows]


def _read_all(table, limit):
    """Pages as the paginator asks for them, over a table that changes between pages."""
    pages = KeysetPages(limit, ("write_date", "id"))
    request = requests.Request(method="POST", json={"domain": [["parent_state", "=", "posted"]]})
    pages.init_request(request)
    seen, page_number = [], 0
    while True:
        page = table(request.json["domain"], request.json["limit"], page_number)
        seen += [r["id"] for r in page]
        pages.update_state(None, page)
        pages.update_request(request)
        page_number += 1
        if not pages.has_next_page:
            return seen


def _matches(domain, record):
    """The emulator's prefix notation, enough for these domains."""
    def term(items):
        head, *rest = items
        if head == "|":
            left, rest = term(rest)
            right, rest = term(rest)
            return left or right, rest
        if head == "&":
            left, rest = term(rest)
            right, rest = term(rest)
            return left and right, rest
        field, op, value = head
        actual = record.get(field, "posted" if field == "parent_state" else None)
        return {"=": actual == value, ">": actual > value}[op], rest

    items, ok = list(domain), True
    while items:
        result, items = term(items)
        ok = ok and result
    return ok


def test_a_record_written_mid_read_is_neither_skipped_nor_lost():
    rows = {i: "2025-01-01 10:00:00" for i in range(1, 8)}

    def table(domain, limit, page_number):
        if page_number == 1:
            rows[2] = "2025-01-02 09:00:00"  # record 2, already read, is written again
        ordered = sorted(rows.items(), key=lambda item: (item[1], item[0]))
        return [r for r in _records(ordered) if _matches(domain, r)][:limit]

    seen = _read_all(table, limit=3)
    assert set(seen) == set(range(1, 8))  # with offsets, record 4 would be skipped
    assert seen[-1] == 2  # and the rewritten record read again at the end


def test_the_next_page_starts_after_the_last_key():
    pages = KeysetPages(2, ("write_date", "id"))
    assert pages.after({"write_date": "d", "id": 5}) == [
        "|", ["write_date", ">", "d"], "&", ["write_date", "=", "d"], ["id", ">", 5]]
    assert KeysetPages(2).after({"id": 9}) == [["id", ">", 9]]
