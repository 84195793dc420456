"""One dossier's books as Octopus shows them: book years and periods, accounts per book year,
bookings per journal (buy/sell documents and financial/miscellaneous bookings, the year-opening
journal included), cost centres, outstanding items and fixed assets, each with the moment it was
last modified (what the `/modified?modifiedTimeStamp=` endpoints compare)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from monitr_sandbox.ledger import Entry, Ledger, apply_day, generate_ledger
from monitr_sandbox.ledger.depreciation import depreciated_until, start_date
from monitr_sandbox.octopus.dossiers import Dossier

# Octopus journal types (the `journalTypeId` of the bookings endpoints; -1 asks for all) and the
# journal keys the sandbox dossiers use, by the ledger's journal type.
JOURNAL_TYPES = {"purchase": 1, "sales": 2, "bank": 3, "general": 4, "opening": 5}
JOURNAL_KEYS = {"purchase": "A1", "sales": "V1", "bank": "F1", "general": "D1", "opening": "OB"}
TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"


def wire_timestamp(moment: float) -> str:
    """Octopus's `YYYY-MM-DD HH:MM:SS.mmm` (UTC here: the zone is not documented)."""
    return datetime.fromtimestamp(moment, UTC).strftime(TIMESTAMP)[:-3]


def parse_timestamp(text: str) -> float:
    return datetime.strptime(text, TIMESTAMP).replace(tzinfo=UTC).timestamp()


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _booked_at(day: date) -> float:
    # Bookings of the generated history were entered on their own date, late afternoon.
    return datetime(day.year, day.month, day.day, 17, tzinfo=UTC).timestamp()


class DossierBooks:
    def __init__(self, dossier: Dossier, now: float):
        self.dossier = dossier
        self.ledger: Ledger = generate_ledger(dossier.profile)
        first = self.ledger.fiscal_years[0]
        self.years = {year: index + 1 for index, year in enumerate(self.ledger.fiscal_years)}
        # Nothing was modified after now (a sandbox clock set before the last booking date).
        self.accounts_modified = min(datetime(first - 1, 12, 15, 9, tzinfo=UTC).timestamp(), now)
        self.modified = {number: min(_booked_at(entry.date), now)
                         for number, entry in self.ledger.entries.items()}

    # --- time moves on ----------------------------------------------------------------------------
    def apply_day(self, day: int, now: float) -> None:
        changes = apply_day(self.ledger, day)
        for number in changes.added_entries:
            self.modified[number] = now
        for line_id in changes.changed_lines:
            entry, _ = self.ledger.find_line(line_id)
            self.modified[entry.entry_number] = now
        for number in changes.deleted_entries:
            self.modified.pop(number, None)  # gone without a trace: Octopus has no tombstones

    def touch(self, entry: Entry, now: float) -> None:
        self.modified[entry.entry_number] = now

    # --- book years -------------------------------------------------------------------------
    def bookyear_id(self, year: int) -> int:
        return self.years[year]

    def year_of(self, bookyear_id: int) -> int:
        for year, key in self.years.items():
            if key == bookyear_id:
                return year
        raise KeyError(bookyear_id)

    def bookyears(self) -> list[dict[str, Any]]:
        last = self.ledger.fiscal_years[-1]
        return [{
            "bookyearKey": {"id": key},
            "bookyearDescription": f"Boekjaar {year}",
            "startDate": f"{year}-01-01",
            "endDate": f"{year}-12-31",
            # Every year but the last was closed at year end (its balance carried into the next
            # year's opening journal).
            "closed": year != last,
            "periods": [{"bookyearPeriod": p.period, "startDate": p.start.isoformat(),
                         "endDate": p.end.isoformat()}
                        for p in self.ledger.periods if p.year == year],
        } for year, key in self.years.items()]

    # --- accounts ---------------------------------------------------------------------------
    def accounts(self, bookyear_id: int | None = None) -> list[dict[str, Any]]:
        chart = self.ledger.chart
        vat = {code.level: code.code for code in chart.vat_codes}
        rows = []
        for year, key in self.years.items():
            if bookyear_id not in (None, key):
                continue
            for account in chart.accounts:
                rows.append({
                    "accountKey": {"id": int(account.code), "bookyearKey": {"id": key}},
                    "description": {"description_NL": account.name, "description_FR": None,
                                    "description_EN": None},
                    "costCentreType": 1 if account.balance_type == "W" else 0,
                    "salesVatCode": vat.get(account.vat_level) if account.account_type == "revenue"
                    else None,
                    "purchaseVatCode": vat.get(account.vat_level)
                    if account.account_type == "expense" else None,
                    "vatRecupPercentage": 100.0, "fiscProfessionalPercentage": 100.0,
                    "fiscRecupPercentage": 100.0,
                })
        return rows

    # --- bookings ---------------------------------------------------------------------------
    def bookings(self, bookyear_id: int | None, since: float, journal_type: int) -> list[dict]:
        """Bookings modified after `since`, of one book year (None: all) and one journal type
        (-1: all)."""
        rows = []
        for number, entry in self.ledger.entries.items():
            if self.modified.get(number, 0) <= since:
                continue
            if bookyear_id is not None and self.years[entry.fiscal_year] != bookyear_id:
                continue
            kind = self.journal_type(entry)
            if journal_type != -1 and JOURNAL_TYPES[kind] != journal_type:
                continue
            rows.append(self.booking(entry))
        return rows

    def journal_type(self, entry: Entry) -> str:
        return next(j.type for j in self.ledger.journals if j.code == entry.journal_code)

    def booking(self, entry: Entry) -> dict[str, Any]:
        kind = self.journal_type(entry)
        header: dict[str, Any] = {
            "bookyearKey": {"id": self.years[entry.fiscal_year]},
            "journalKey": JOURNAL_KEYS[kind],
            "journalTypeId": JOURNAL_TYPES[kind],
            "documentSequenceNr": int(str(entry.entry_number)[4:]),
            "bookyearPeriodeNr": entry.date.month,
            "documentDate": entry.date.isoformat(),
            "expiryDate": entry.due_date.isoformat() if entry.due_date else None,
            "comment": entry.description,
            "reference": str(entry.invoice_number) if entry.invoice_number else None,
            "relationKey": {"id": int(entry.relation.code)} if entry.relation else None,
            "currencyCode": self.ledger.profile.currency,
            "exchangeRate": 1.0,
            "modifiedTimeStamp": wire_timestamp(self.modified[entry.entry_number]),
        }
        if kind in ("sales", "purchase"):
            return {**header, **self._buy_sell(entry, kind)}
        return {**header, "accountKey": None, "amount": None, "bookingLines": [
            {"lineNr": index, "accountKey": int(line.account_code), "amount": float(line.amount),
             "comment": line.description or None,
             "relationKey": ({"id": int(line.open_item.relation.code)} if line.open_item
                             else None),
             "costCentreKey": {"id": line.cost_centre} if line.cost_centre else None}
            for index, line in enumerate(entry.lines, start=1)]}

    def _buy_sell(self, entry: Entry, kind: str) -> dict[str, Any]:
        """A purchase or sales document: the relation's collective account and the document total
        on the header (negative for a credit note), every other line positive as the document
        shows it: the line's own sign is the document's (an invoice, or a credit note)."""
        control, *lines = entry.lines
        if control.open_item is None:
            raise ValueError(f"{kind} entry {entry.entry_number} has no relation line first")
        # The total as the document shows it: what the customer owes (sales, a debit), what is
        # owed to the supplier (purchase, a credit); a credit note's total is negative.
        total = control.amount if kind == "sales" else -control.amount
        sign = 1 if total >= 0 else -1
        # A line's GL amount is credit on sales (revenue, VAT) and debit on purchases for an
        # invoice, the other way round for a credit note: shown positive either way.
        natural = -1 if kind == "sales" else 1
        return {
            "accountKey": int(control.account_code), "amount": float(total),
            "bookingLines": [
                {"lineNr": index, "accountKey": int(line.account_code),
                 "baseAmount": float(line.amount * natural * sign),
                 "vatAmount": _money(None if line.vat_amount is None
                                     else line.vat_amount * natural * sign),
                 "vatCodeKey": line.vat_code, "comment": line.description or None,
                 "costCentreKey": {"id": line.cost_centre} if line.cost_centre else None}
                for index, line in enumerate(lines, start=1)],
        }

    # --- cost centres, outstanding items, fixed assets ------------------------------------------
    def cost_centres(self) -> list[dict[str, Any]]:
        return [{"costCentreKey": {"id": c.code}, "description": c.name, "closed": False}
                for c in self.ledger.cost_centres]

    def outstanding_items(self) -> list[dict[str, Any]]:
        rows = []
        for item in self.ledger.open_items:
            entry = next(e for e in self.ledger.entries.values()
                         if e.entry_number == item.entry_number)
            kind = self.journal_type(entry)
            rows.append({
                "bookyearKey": {"id": self.years[entry.fiscal_year]},
                "journalKey": JOURNAL_KEYS[kind],
                "documentSequenceNr": int(str(entry.entry_number)[4:]),
                "relationKey": {"id": int(item.relation.code)},
                "relationName": item.relation.name,
                "relationType": "customer" if item.kind == "receivable" else "supplier",
                "reference": str(item.invoice_number),
                "documentDate": item.invoice_date.isoformat(),
                "expiryDate": item.due_date.isoformat(),
                "comment": item.description,
                "openAmount": float(item.amount),
                "currencyCode": item.currency,
            })
        return rows

    def fixed_assets(self, today: date) -> list[dict[str, Any]]:
        chart = self.ledger.chart
        rows = []
        for asset in self.ledger.fixed_assets:
            group = chart.asset_group(asset.group)
            rows.append({
                "fixedAssetKey": {"id": asset.code},
                "description": asset.description,
                "assetGroup": group.description,
                "accountKey": int(group.cost_account),
                "depreciationAccountKey": int(group.depreciation_account),
                "purchaseDate": asset.purchase_date.isoformat(),
                "startDepreciationDate": start_date(asset).isoformat(),
                "purchaseValue": float(asset.purchase_value),
                "residualValue": float(asset.residual_value),
                "durationMonths": asset.life_months,
                "depreciationMethod": asset.method.upper(),
                "depreciatedValue": float(depreciated_until(asset, today)),
            })
        return rows

    def last_booking_day(self) -> date:
        return self.ledger.profile.last_booking_date + timedelta(days=self.ledger.day)
