"""Benchmark: time to generate one administration's sandbox books, by invoices per month.

Generation should grow linearly with the number of documents; this prints GL lines, seconds and
microseconds per line at each size, plus the cost of one bookkeeping day (apply_day) at that size.
Run: .venv/bin/python bench/ledger_generation.py [--sizes 60 200 500 1000]
"""

from __future__ import annotations

import argparse
import time

from monitr_sandbox.ledger import apply_day, generate_ledger
from profiles import bench_profile  # bench/ is the script's directory, so first on sys.path


def main(sizes: list[int]) -> None:
    print(f"{'invoices/month':>14} {'GL lines':>9} {'generate s':>10} {'CPU s':>7} "
          f"{'us/line':>7} {'one day s':>9}")
    for size in sizes:
        wall, cpu = time.perf_counter(), time.process_time()
        ledger = generate_ledger(bench_profile(size))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        lines = sum(len(entry.lines) for entry in ledger.entries.values())
        day = time.perf_counter()
        apply_day(ledger, 1)
        day = time.perf_counter() - day
        print(f"{size:>14,} {lines:>9,} {wall:>10.2f} {cpu:>7.2f} {cpu / lines * 1e6:>7.1f} "
              f"{day:>9.3f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 200, 500, 1000])
    main(parser.parse_args().sizes)
