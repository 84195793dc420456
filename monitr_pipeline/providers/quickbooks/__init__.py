"""QuickBooks Online (Intuit): OAuth2 per company (realm), the v3 query language, change data capture,
and the general ledger from the GeneralLedger report.

Why the ledger comes from a report. A QuickBooks company books most of its ledger through
invoices, bills, payments, bill payments, sales receipts, expenses, deposits, transfers, credit
memos and vendor credits; journal entries are only the memorial bookings. The API has no ledger
line entity, and rebuilding postings from those objects would mean re-implementing QuickBooks'
accounting (items to income and asset accounts, tax codes to tax accounts, inventory and cost of
goods, discounts, linked payments). Its reports hold the postings QuickBooks itself made:
- GeneralLedger (chosen): every posting line with its transaction (type and id), account, customer
  or vendor, class and location, debit and credit; `accounting_method=Accrual` regardless of the
  company's report preference.
- JournalReport: the same postings grouped per transaction, but without class or location
  columns (our cost centres and cost units) and without an accounting method parameter.
- TransactionList(WithSplits): one amount column and no class column.

How it is loaded (ledger_months.py). Reports are not paged, are cut at 400,000 cells and carry no
modification time. So the ledger is read per calendar month, and each month read becomes one row
(general_ledger_months) holding all its lines, replacing the row loaded before: changed lines,
lines that disappeared and deleted transactions are reflected without per-line bookkeeping.
Which months to read comes from change data capture: one call lists every transaction changed
since the last import with its TxnDate, and only those months are read again (consecutive months
in one request of at most six). A full pass (first import, no import for 29 days, or the first
import of a calendar month) reads every month, for what change data capture never reports.
Deleted transactions come through cdc_changes; staging leaves out the lines of a transaction
deleted after its month was last read, and of a transaction moved to another month keeps the
later read. An incremental import costs one CDC call per table that uses it plus one report call
per run of changed months.
"""

from monitr_pipeline.providers.quickbooks.adapter import QuickBooksAdapter
from monitr_pipeline.providers.quickbooks.spec import SPEC

ADAPTER = QuickBooksAdapter()

__all__ = ["ADAPTER", "SPEC", "QuickBooksAdapter"]
