"""Monthly ECB euro reference rates (month's average and last daily rate) from the ECB's eurofxref-hist.csv.

Usage (refreshing the seed; see _fx__seeds.yml):

    curl -sLO https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip && unzip eurofxref-hist.zip
    python dbt_monitr/seeds/fx/build_monthly_rates.py eurofxref-hist.csv \
        > dbt_monitr/seeds/fx/ecb_reference_rates_monthly.csv

The input is the ECB's wide file: a `Date` column (YYYY-MM-DD, newest first) and one column per
currency with units of that currency per 1 EUR, `N/A` or empty where the ECB published no rate.
Only complete months are written: a month counts as complete once the file holds a rate dated in
a later month (the file is published daily, so its newest month is usually still running).
Arithmetic is in decimals, so the same input always gives the same bytes.
"""

import argparse
import csv
import sys
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Iterable, TextIO

# Currencies NL/BE businesses invoice and bank in besides the euro: Europe outside the euro area,
# the main trading partners overseas. Each must be an ECB reference currency.
DEFAULT_CURRENCIES = (
    "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "ISK",
    "JPY", "AUD", "CAD", "NZD", "CNY", "HKD", "SGD", "ZAR", "TRY", "INR",
)
DEFAULT_FIRST_MONTH = "2020-01"
# The ECB publishes five significant figures; six decimals keep the average of JPY- and
# SEK-sized rates exact to well below the published precision.
AVERAGE_DECIMALS = Decimal("0.000001")
OUTPUT_COLUMNS = (
    "currency", "month_start", "average_rate", "month_end_rate", "month_end_rate_date", "rate_days",
)


def read_daily_rates(lines: Iterable[str], currencies: Iterable[str]) -> dict[str, dict[str, Decimal]]:
    """Daily rates per currency: {currency: {YYYY-MM-DD: rate}}, skipping days without a rate."""
    reader = csv.DictReader(lines)
    wanted = tuple(currencies)
    missing = [currency for currency in wanted if currency not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"not in the ECB file: {', '.join(missing)}")
    rates: dict[str, dict[str, Decimal]] = {currency: {} for currency in wanted}
    for row in reader:
        day = row["Date"].strip()
        for currency in wanted:
            value = (row[currency] or "").strip()
            if value and value != "N/A":
                rates[currency][day] = Decimal(value)
    return rates


def last_complete_month(days: Iterable[str]) -> str | None:
    """The month before the newest month with a rate (that one may still be running)."""
    newest = max(days, default=None)
    if newest is None:
        return None
    year, month = int(newest[:4]), int(newest[5:7])
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def monthly_rates(
    daily: dict[str, dict[str, Decimal]], first_month: str, last_month: str
) -> list[dict[str, str]]:
    """One row per currency and month in [first_month, last_month] with at least one daily rate."""
    rows = []
    for currency in sorted(daily):
        by_month: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for day, rate in daily[currency].items():
            if first_month <= day[:7] <= last_month:
                by_month[day[:7]].append((day, rate))
        for month in sorted(by_month):
            days = sorted(by_month[month])
            average = sum(rate for _, rate in days) / len(days)
            last_day, last_rate = days[-1]
            rows.append({
                "currency": currency,
                "month_start": f"{month}-01",
                "average_rate": str(average.quantize(AVERAGE_DECIMALS, rounding=ROUND_HALF_EVEN)),
                "month_end_rate": str(last_rate),
                "month_end_rate_date": last_day,
                "rate_days": str(len(days)),
            })
    return rows


def write_rows(rows: list[dict[str, str]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ecb_file", help="path of eurofxref-hist.csv (unzipped)")
    parser.add_argument("--first-month", default=DEFAULT_FIRST_MONTH, help="YYYY-MM (default %(default)s)")
    parser.add_argument("--currencies", default=",".join(DEFAULT_CURRENCIES), help="comma-separated ISO codes")
    args = parser.parse_args(argv)

    with open(args.ecb_file, newline="", encoding="utf-8") as ecb_file:
        daily = read_daily_rates(ecb_file, args.currencies.split(","))
    last_month = last_complete_month(day for rates in daily.values() for day in rates)
    if last_month is None or last_month < args.first_month:
        print(f"no complete month from {args.first_month} in {args.ecb_file}", file=sys.stderr)
        return 1
    write_rows(monthly_rates(daily, args.first_month, last_month), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
