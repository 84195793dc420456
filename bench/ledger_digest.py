"""Digest of the generated sandbox books for every profile the emulators, tests and bench use.

Changing the generator's speed must not change its output: the demo, the emulators' tests and
anyone's bookmarked sandbox figures depend on the same seed giving the same books. Run this before
and after a change to the ledger package and compare the lines (`--days N` also replays N
bookkeeping days, whose changes and open items are part of the digest).
"""

from __future__ import annotations

import argparse
import hashlib
import time

from monitr_sandbox.ledger import AdministrationProfile, Ledger, apply_day, generate_ledger
from profiles import SIZES, bench_profile  # bench/ is the script's directory, so first on sys.path


def sandbox_profiles() -> dict[str, AdministrationProfile]:
    """The administrations the emulators serve, the ledger tests build, and the small bench."""
    from monitr_sandbox.csv_import.uploads import UPLOAD_PROFILES
    from monitr_sandbox.eboekhouden.administration import SANDBOX_ADMINISTRATION
    from monitr_sandbox.exact_online.environments import SANDBOX_ENVIRONMENTS
    from monitr_sandbox.moneybird.administrations import SANDBOX_ADMINISTRATIONS
    from monitr_sandbox.quickbooks.company import SANDBOX_COMPANY
    from monitr_sandbox.xero.tenants import SANDBOX_TENANTS

    profiles = [p for environment in SANDBOX_ENVIRONMENTS.values() for p in environment]
    profiles += [u.profile for u in UPLOAD_PROFILES]
    profiles += [a.profile for a in SANDBOX_ADMINISTRATIONS]
    profiles += [t.profile for t in SANDBOX_TENANTS]
    profiles += [SANDBOX_ADMINISTRATION, SANDBOX_COMPANY]
    # tests/sandbox/ledger's profiles, and bench/ingest_throughput.py's default division.
    profiles += [
        AdministrationProfile("T-NL", "Testbakkerij B.V.", "NL", seed=7),
        AdministrationProfile("T-NL", "Testbakkerij B.V.", "NL", seed=9),
        AdministrationProfile("T-MUT", "Mutatie B.V.", "NL", seed=11),
        AdministrationProfile(
            "T-BE", "Test Immo BV", "BE", seed=8, sales_invoices_per_month=14,
            purchase_invoices_per_month=8, avg_sales_amount=2800, avg_purchase_amount=700,
            monthly_wages=4000, monthly_rent=0, buildings=4, equipment_items=1, loan_amount=900_000,
            revenue_categories=("revenue_rent", "revenue_services"),
            purchase_categories=("maintenance", "energy", "other_costs")),
        bench_profile(SIZES["small"]),
    ]
    return {f"{p.code}/{p.seed}": p for p in profiles}


def _books(ledger: Ledger) -> str:
    # Dataclass reprs spell out every field (Decimals, dates, UUIDs), in booking order.
    return repr((ledger.relations, ledger.cost_centres, ledger.cost_units, ledger.projects,
                 ledger.periods, ledger.fixed_assets, list(ledger.entries.values()),
                 sorted(ledger.sequences.items()), ledger.open_items))


def digest(profile: AdministrationProfile, days: int) -> str:
    ledger = generate_ledger(profile)
    hashed = hashlib.sha256(_books(ledger).encode())
    for day in range(1, days + 1):
        hashed.update(repr(apply_day(ledger, day)).encode())
        hashed.update(_books(ledger).encode())
    return hashed.hexdigest()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=3)
    days = parser.parse_args().days
    started = time.perf_counter()
    for name, profile in sandbox_profiles().items():
        print(f"{name:<28} {digest(profile, days)}")
    print(f"# {time.perf_counter() - started:.1f} s", flush=True)
