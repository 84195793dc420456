"""The general ledger as calendar months of the GeneralLedger report: which months to read, in how
few requests, and the row each month becomes (the design is argued in the package docstring).

A full pass reads every month from the company's start (CompanyInfo.CompanyStartDate) through the
current one, plus one request for anything dated before (down to 2000) and one for anything
dated after (to the end of next year, e.g. post-dated bills). An incremental import asks change
data capture which transactions changed since the last import and re-reads only the months they
are dated in. Consecutive months go in one request of up to six months (Intuit's advice for report
date ranges); a request Intuit cuts at its size limit is asked again in halves, down to one day.
Every month read becomes one row holding all its posting lines, so a re-read month replaces what
was loaded for it: changed lines, removed lines and deleted transactions alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from monitr_pipeline.providers.quickbooks.cdc import (
    DELETED,
    LOOKBACK,
    MAX_OBJECTS,
    answer_time,
    changed_objects,
    since_param,
)
from monitr_pipeline.providers.quickbooks.general_ledger import (
    PATH,
    TRANSACTION_ENTITIES,
    ReportAnswer,
    ReportTruncated,
    read_report,
    report_params,
    window_label,
)

MAX_SPAN_MONTHS = 6  # "As a best practice, limit the date range ... to six months" (Intuit)
HISTORY_FLOOR = date(2000, 1, 1)  # QuickBooks Online began in 2001: older dates are migrated history
# Without a `time` in Intuit's answer, our own clock stands in, this much earlier for skew.
CLOCK_MARGIN = timedelta(minutes=5)

# (path, query parameters, what is being read) -> the JSON answer
Get = Callable[[str, dict[str, Any], str], dict[str, Any]]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def spans(months: Iterable[date]) -> list[tuple[date, date]]:
    """Runs of consecutive months, at most MAX_SPAN_MONTHS each, as (first day, last day)."""
    result: list[tuple[date, date]] = []
    run: list[date] = []
    for month in sorted(set(months)):
        if run and (month != next_month(run[-1]) or len(run) == MAX_SPAN_MONTHS):
            result.append((run[0], month_end(run[-1])))
            run = []
        run.append(month)
    if run:
        result.append((run[0], month_end(run[-1])))
    return result


def halves(start: date, end: date) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """A window split in two, at a month boundary when it spans months; None for a single day."""
    months = months_between(start, end)
    if len(months) > 1:
        middle = months[len(months) // 2]
        return (start, middle - timedelta(days=1)), (middle, end)
    if start >= end:
        return None
    middle = start + (end - start) // 2
    return (start, middle), (middle + timedelta(days=1), end)


def full_pass_due(seen_until: datetime | None, now: datetime) -> bool:
    """First import; changes older than change data capture remembers; or a new calendar month:
    once a month every month is read again, for what CDC never reports (QuickBooks recalculating
    cost of goods on old invoices, transaction types outside TRANSACTION_ENTITIES)."""
    return (seen_until is None or seen_until < now - LOOKBACK
            or (seen_until.year, seen_until.month) != (now.year, now.month))


class LedgerMonths:
    """Reads the months one import needs; `get` performs one API call and returns its JSON."""

    def __init__(self, get: Get, now: datetime):
        self._get = get
        self._now = now.astimezone(UTC)
        self._seen: datetime | None = None  # what every row of this import records as SeenUntil

    def pages(self, seen_until: datetime | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of month rows: one page per request span."""
        if full_pass_due(seen_until, self._now):
            yield from self._full_pass()
        else:
            yield from self._changed_months(seen_until)

    def _full_pass(self) -> Iterator[list[dict[str, Any]]]:
        body = self._get("query", {"query": "SELECT * FROM CompanyInfo"}, "CompanyInfo")
        self._seen = answer_time(body) or self._now - CLOCK_MARGIN
        current = month_start(self._now.date())
        first = min(_company_start(body) or current, current)
        for span in spans(months_between(first, current)):
            yield self._rows(span, every_month=True)
        if first > HISTORY_FLOOR:
            yield self._rows((HISTORY_FLOOR, first - timedelta(days=1)), every_month=False)
        yield self._rows((next_month(current), date(current.year + 1, 12, 31)), every_month=False)

    def _changed_months(self, since: datetime) -> Iterator[list[dict[str, Any]]]:
        body = self._get("cdc", {"entities": ",".join(TRANSACTION_ENTITIES),
                                 "changedSince": since_param(since)}, f"cdc since {since_param(since)}")
        objects = changed_objects(body)
        if len(objects) >= MAX_OBJECTS:
            # More changes than one answer holds: reading every month costs less than paging
            # through them and re-reading most months anyway.
            yield from self._full_pass()
            return
        self._seen = answer_time(body) or self._now - CLOCK_MARGIN
        months = {month_start(_txn_date(entity, record)) for entity, record in objects
                  if record.get("status") != DELETED}
        for span in spans(months):
            yield self._rows(span, every_month=True)

    def _rows(self, span: tuple[date, date], every_month: bool) -> list[dict[str, Any]]:
        """The month rows of one span: every month in it, or (probing beyond the company's known
        range) only the months that hold postings."""
        answers = self._read(*span)
        by_month: dict[date, list[dict[str, Any]]] = {}
        for answer in answers:
            for line in answer.lines:
                by_month.setdefault(month_start(date.fromisoformat(line["tx_date"])), []).append(line)
        months = months_between(*span) if every_month else sorted(by_month)
        return [self._month_row(month, answers, by_month.get(month, [])) for month in months]

    def _read(self, start: date, end: date) -> list[ReportAnswer]:
        body = self._get(PATH, report_params(start, end), window_label(start, end))
        try:
            return [read_report(body, start, end)]
        except ReportTruncated:
            parts = halves(start, end)
            if parts is None:
                raise ValueError(f"{window_label(start, end)}: cut at Intuit's size limit even "
                                 "for a single day") from None
            return [*self._read(*parts[0]), *self._read(*parts[1])]

    def _month_row(self, month: date, answers: list[ReportAnswer], lines: list[dict[str, Any]]
                   ) -> dict[str, Any]:
        last = month_end(month)
        covering = [answer for answer in answers if answer.start <= last and answer.end >= month]
        return {
            "Month": f"{month:%Y-%m}", "StartDate": month.isoformat(), "EndDate": last.isoformat(),
            # The earliest answer covering the month: a change after it may be missing from it.
            "ReportTime": min(answer.time for answer in covering).isoformat(),
            "SeenUntil": self._seen.isoformat(),
            "ReportBasis": covering[0].basis, "Currency": covering[0].currency,
            "Lines": sorted(lines, key=lambda line: (line["tx_date"], line["txn_entity"],
                                                     line["txn_id"], line["line_number"])),
        }


def _company_start(body: dict[str, Any]) -> date | None:
    companies = (body.get("QueryResponse") or {}).get("CompanyInfo") or []
    text = companies[0].get("CompanyStartDate") if companies else None
    try:
        return month_start(date.fromisoformat(text)) if text else None
    except ValueError:
        raise ValueError(f"CompanyInfo: CompanyStartDate {text!r} is not a date") from None


def _txn_date(entity: str, record: dict[str, Any]) -> date:
    try:
        return date.fromisoformat(str(record.get("TxnDate")))
    except ValueError:
        raise ValueError(f"cdc: {entity} {record.get('Id')} has TxnDate "
                         f"{record.get('TxnDate')!r}") from None
