"""The data model of a sandbox ledger: administrations, dimensions, entries, lines, assets, open items."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from monitr_sandbox.ledger.charts import Account, Chart, JournalDef

ENTRY_TYPES = ("opening", "sales", "sales_credit", "purchase", "bank", "depreciation", "general")


@dataclass(frozen=True)
class AdministrationProfile:
    """What to generate for one administration. Scale knobs are per month; amounts in whole euros."""

    code: str
    name: str
    country: str  # 'NL' | 'BE'
    seed: int
    currency: str = "EUR"
    fiscal_years: tuple[int, ...] = (2025, 2026)
    last_booking_date: date = date(2026, 11, 20)
    sales_invoices_per_month: int = 15
    purchase_invoices_per_month: int = 10
    avg_sales_amount: int = 2400  # net, per invoice
    avg_purchase_amount: int = 1100
    monthly_wages: int = 14000  # gross; 0 means no staff
    monthly_rent: int = 2800  # 0 means the administration owns its premises
    buildings: int = 0
    equipment_items: int = 5
    loan_amount: int = 60000
    revenue_categories: tuple[str, ...] = ("revenue_low", "revenue_high")
    purchase_categories: tuple[str, ...] = ("cost_of_goods", "energy", "maintenance", "other_costs")


@dataclass(frozen=True)
class Relation:
    code: str
    name: str
    kind: str  # 'customer' | 'supplier'
    id: UUID
    payment_days: int = 30
    category: str | None = None  # suppliers: the purchase category they invoice


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    id: UUID


@dataclass(frozen=True)
class CostUnit:
    code: str
    name: str
    id: UUID


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    id: UUID
    start_date: date
    end_date: date | None
    kind: str = "fixed_price"  # fixed_price | time_and_material | non_billable

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class FiscalPeriod:
    year: int
    period: int
    start: date
    end: date
    id: UUID


@dataclass(frozen=True)
class FixedAsset:
    code: str
    description: str
    group: str  # AssetGroup code of the chart
    purchase_date: date
    purchase_value: Decimal
    residual_value: Decimal
    life_months: int
    id: UUID
    method: str = "linear"


@dataclass(frozen=True)
class OpenItemRef:
    """The invoice a line on a receivables/payables control account adds to or settles."""

    relation: Relation
    invoice_number: int
    invoice_date: date
    due_date: date


@dataclass
class Line:
    id: UUID
    line_number: int
    account_code: str
    amount: Decimal  # signed: debit positive, credit negative, two decimals
    description: str = ""
    vat_code: str | None = None
    vat_amount: Decimal | None = None  # the VAT charged on this (base) line, booked elsewhere
    cost_centre: str | None = None
    cost_unit: str | None = None
    project_code: str | None = None
    asset_code: str | None = None
    open_item: OpenItemRef | None = None


@dataclass
class Entry:
    id: UUID
    entry_number: int
    journal_code: str
    entry_type: str
    date: date
    description: str
    lines: list[Line]
    relation: Relation | None = None
    invoice_number: int | None = None  # own number (sales/purchase), or the invoice a payment settles
    due_date: date | None = None
    your_ref: str | None = None  # the supplier's own invoice reference on purchase entries

    @property
    def fiscal_year(self) -> int:
        # Sandbox fiscal years are calendar years.
        return self.date.year

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class OpenItem:
    """An unpaid invoice at the provider: `amount` is the positive amount still open."""

    kind: str  # 'receivable' | 'payable'
    id: UUID  # the id of the line that opened it
    relation: Relation
    invoice_number: int
    invoice_date: date
    due_date: date
    entry_number: int
    journal_code: str
    description: str
    amount: Decimal
    currency: str
    your_ref: str | None


@dataclass(frozen=True)
class DayChanges:
    """What one `apply_day` changed, so an emulator can stamp it and tests can assert it."""

    day: int
    added_entries: tuple[int, ...]
    changed_lines: tuple[UUID, ...]
    deleted_entries: tuple[int, ...]
    deleted_lines: tuple[UUID, ...]


@dataclass
class Ledger:
    profile: AdministrationProfile
    chart: Chart
    relations: tuple[Relation, ...]
    cost_centres: tuple[CostCentre, ...]
    cost_units: tuple[CostUnit, ...]
    projects: tuple[Project, ...]
    periods: tuple[FiscalPeriod, ...]
    fixed_assets: tuple[FixedAsset, ...]
    entries: dict[int, Entry] = field(default_factory=dict)  # by entry number, in booking order
    # Last number issued per (journal, year); numbers of deleted entries are never reused.
    sequences: dict[tuple[str, int], int] = field(default_factory=dict)
    day: int = 0  # the last mutation day applied
    # Where each line is, kept by add/remove once a lookup has built it: emulators look lines up
    # by id for every open item and every day's change, which a scan would make quadratic.
    _line_index: dict[UUID, tuple[Entry, Line]] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def accounts(self) -> tuple[Account, ...]:
        return self.chart.accounts

    @property
    def journals(self) -> tuple[JournalDef, ...]:
        return self.chart.journals

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        return self.profile.fiscal_years

    def entry(self, entry_number: int) -> Entry:
        try:
            return self.entries[entry_number]
        except KeyError:
            raise KeyError(f"no entry {entry_number}") from None

    def has_entry(self, entry_number: int) -> bool:
        return entry_number in self.entries

    def add(self, entry: Entry) -> None:
        if entry.entry_number in self.entries:
            raise ValueError(f"entry {entry.entry_number} exists already")
        self.entries[entry.entry_number] = entry
        if self._line_index is not None:
            self._line_index.update((line.id, (entry, line)) for line in entry.lines)

    def remove(self, entry_number: int) -> Entry:
        entry = self.entry(entry_number)
        del self.entries[entry_number]
        if self._line_index is not None:
            for line in entry.lines:
                self._line_index.pop(line.id, None)
        return entry

    def lines(self) -> Iterator[tuple[Entry, Line]]:
        for entry in self.entries.values():
            for line in entry.lines:
                yield entry, line

    def find_line(self, line_id: UUID) -> tuple[Entry, Line]:
        found = self._line_index.get(line_id) if self._line_index is not None else None
        if found is None or not self._still_booked(*found):
            # First lookup, entries changed behind add/remove, or no such line (an error, so the
            # rescan is no hot path): index the ledger as it is now.
            self._line_index = {line.id: (entry, line) for entry, line in self.lines()}
            found = self._line_index.get(line_id)
        if found is None:
            raise KeyError(f"no line {line_id}")
        return found

    def _still_booked(self, entry: Entry, line: Line) -> bool:
        return self.entries.get(entry.entry_number) is entry and any(
            booked is line for booked in entry.lines)

    def relation(self, code: str) -> Relation:
        return next(r for r in self.relations if r.code == code)

    def cost_centre(self, code: str) -> CostCentre:
        return next(c for c in self.cost_centres if c.code == code)

    def cost_unit(self, code: str) -> CostUnit:
        return next(c for c in self.cost_units if c.code == code)

    def project(self, code: str) -> Project:
        return next(p for p in self.projects if p.code == code)

    def fixed_asset(self, code: str) -> FixedAsset:
        return next(a for a in self.fixed_assets if a.code == code)

    @property
    def open_items(self) -> list[OpenItem]:
        from monitr_sandbox.ledger.openitems import open_items  # avoids an import cycle

        return open_items(self)
