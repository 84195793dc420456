"""Many small sandbox entities, cheaply: one Exact emulator login that sees N divisions with a small
ledger each (~900 GL lines over two fiscal years, generated when first asked for), connected
through the real OAuth flow and administration discovery, with their partitions made."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from monitr_pipeline.connections.connect import discover, select_administrations
from monitr_pipeline.control.service import ConnectionInfo, ControlPlane
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.runner import sync_partitions
from monitr_sandbox.control_api import with_controls
from monitr_sandbox.exact_online import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_ENVIRONMENTS,
    ExactSandbox,
    create_app,
)
from monitr_sandbox.ledger import AdministrationProfile
from monitr_sandbox.oauth import connect_with_oauth_consent
from monitr_sandbox.server import EmulatorServer

ENVIRONMENT = "fanout"
FIRST_DIVISION = 500_001


def small_profile(number: int) -> AdministrationProfile:
    """A one-person business: two sales and one purchase invoice a month, no staff."""
    code = FIRST_DIVISION + number
    return AdministrationProfile(str(code), f"Fan-out {number:04d} B.V.", "NL", seed=code,
                                 sales_invoices_per_month=2, purchase_invoices_per_month=1,
                                 monthly_wages=0, equipment_items=1, loan_amount=0)


@dataclass
class SmallEntities:
    emulator: ExactSandbox
    connections: list[ConnectionInfo]


@contextmanager
def small_entities(control: ControlPlane, instance, count: int, state_dir) -> Iterator[SmallEntities]:
    """`count` divisions on one Exact login served on loopback (quotas out of the way: the bench
    measures the pipeline, not Exact's 60 calls a minute), connected and partitioned."""
    SANDBOX_ENVIRONMENTS[ENVIRONMENT] = [small_profile(n) for n in range(count)]
    emulator = ExactSandbox(ENVIRONMENT, state_path=state_dir / "exact_fanout.json",
                            minutely_limit=10_000_000, daily_limit=100_000_000)
    with EmulatorServer(with_controls(create_app(emulator), emulator)) as server:
        organisation = control.ensure_organisation("fanout", "Fan-out Accountants")
        integration = connect_with_oauth_consent(
            control, organisation, "exact_online", "nl", server.url, SANDBOX_CLIENT_ID,
            SANDBOX_CLIENT_SECRET, name="Exact Online (fan-out)")
        adapter = adapter_for("exact_online")
        select_administrations(control, adapter, integration,
                               discover(control, adapter, integration))
        sync_partitions(control, instance)
        yield SmallEntities(emulator, control.connections("exact_online"))
