"""Benchmark: a large Exact division through the real engine (HTTP emulator -> dlt -> DuckDB).

The emulator runs in its own process, so the figures are the client's: rows per second for a full
and an incremental import, API calls made against the minimum the page sizes allow, and the peak
memory of the importing process. Run: make bench (--invoices-per-month N scales the ledger).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import resource
import socket
import tempfile
import threading
import time

import requests

from monitr_pipeline.ingestion.client import entity_client, oauth_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.source import EntityContext, provider_source
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.settings import Settings

BENCH_DIVISION = "990001"
REDIRECT_URI = "http://127.0.0.1:8799/oauth/callback"


def _serve(port: int, state_path: str, invoices_per_month: int, day: int, ready) -> None:
    from monitr_pipeline.sandbox.exact_online import SANDBOX_ENVIRONMENTS, ExactSandbox, create_app
    from monitr_pipeline.sandbox.ledger import AdministrationProfile
    from monitr_pipeline.sandbox.server import EmulatorServer

    SANDBOX_ENVIRONMENTS["bench"] = [AdministrationProfile(
        BENCH_DIVISION, "Bench Groothandel B.V.", "NL", seed=990_001,
        sales_invoices_per_month=invoices_per_month,
        purchase_invoices_per_month=invoices_per_month // 2)]
    emulator = ExactSandbox("bench", state_path=state_path, day=day, minutely_limit=1_000_000,
                            daily_limit=10_000_000)
    lines = sum(len(e.lines) for e in emulator.ledger(int(BENCH_DIVISION)).entries.values())
    with EmulatorServer(create_app(emulator), port):
        ready.send(lines)
        threading.Event().wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MemoryCredentialStore:
    """Credentials kept in memory: the benchmark measures the data path, not the control plane."""

    def __init__(self, credentials: dict):
        self._credentials = credentials
        self._lock = threading.Lock()

    def load(self) -> dict:
        return dict(self._credentials)

    def save(self, credentials: dict) -> None:
        self._credentials = credentials

    def lock(self):
        return self._lock

    def mark_unhealthy(self, health: str, reason: str) -> None:
        raise RuntimeError(reason)


def _start_emulator(home: str, invoices_per_month: int, day: int) -> tuple:
    port = _free_port()
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(
        target=_serve, args=(port, f"{home}/exact.json", invoices_per_month, day, send), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{port}", receive.recv()


def run(invoices_per_month: int) -> None:
    from monitr_pipeline.sandbox.exact_online import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

    adapter = adapter_for("exact_online")
    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env({"MONITR_HOME": home})
        entity = EntityContext(1, 1, BENCH_DIVISION, f"bench-{BENCH_DIVISION}", "Bench")
        pipeline = entity_pipeline(settings, adapter.spec, entity.partition_key)
        store = None
        for day, label in ((0, "full"), (1, "incremental")):
            process, url, line_count = _start_emulator(home, invoices_per_month, day)
            try:
                if store is None:
                    oauth = oauth_client(adapter, url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
                    consent_url, state = oauth.authorization_url(f"{url}/api/oauth2/auth",
                                                                 REDIRECT_URI)
                    callback = requests.get(consent_url, allow_redirects=False).headers["Location"]
                    store = MemoryCredentialStore({
                        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET,
                        "token": oauth.exchange_code(callback, REDIRECT_URI, state)})
                    print(f"ledger: {line_count:,} GL lines")
                client = entity_client(adapter, url, BENCH_DIVISION, store)
                calls = 0

                def count(response, *args, **kwargs):
                    nonlocal calls
                    calls += 1

                # Counted at the transport, below every hook the engine sets per request.
                send = client.session.send

                def counting_send(request, **kwargs):
                    count(None)
                    return send(request, **kwargs)

                client.session.send = counting_send
                started = time.perf_counter()
                pipeline.run(provider_source(adapter, entity, client), loader_file_format="parquet")
                seconds = time.perf_counter() - started
            finally:
                process.terminate()
            rows = sum(n for t, n in pipeline.last_trace.last_normalize_info.row_counts.items()
                       if not t.startswith("_dlt"))
            print(f"{label:>11}: {rows:>9,} rows in {seconds:6.2f} s = {rows / seconds:9,.0f} rows/s,"
                  f" {calls} API calls")
        print(f"GL line pages needed at 1000 rows/call: {math.ceil(line_count / 1000)}; "
              f"peak RSS of the importing process "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices-per-month", type=int, default=60)
    run(parser.parse_args().invoices_per_month)
