"""Benchmark: a large Exact division through the real engine (HTTP emulator -> dlt -> DuckDB).

The emulator runs in its own process, so the figures are the client's: rows per second for a full
and an incremental import, API calls made against the minimum the page sizes allow, and the peak
memory of the importing process; the emulator's process reports the time to generate the ledger
and to be ready to serve it. Run: make bench (the small division), or
.venv/bin/python bench/ingest_throughput.py --size large (~200k GL lines); --invoices-per-month N
for any other size. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import math
import os
import multiprocessing
import resource
import socket
import tempfile
import threading
import time
from dataclasses import dataclass

import requests

from monitr_pipeline.ingestion.client import entity_client, oauth_client
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.registry import adapter_for
from monitr_pipeline.settings import Settings
from profiles import BENCH_DIVISION, SIZES, bench_profile  # bench/ is first on sys.path

REDIRECT_URI = "http://127.0.0.1:8799/oauth/callback"


@dataclass(frozen=True)
class EmulatorReady:
    """What the emulator's process reports once it serves the division."""

    lines: int
    generate_seconds: float
    ready_seconds: float  # generation, Exact's Timestamps and the replay of mutation days


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _serve(port: int, state_path: str, invoices_per_month: int, day: int, ready) -> None:
    from monitr_sandbox.exact_online import SANDBOX_ENVIRONMENTS, ExactSandbox, create_app
    from monitr_sandbox.ledger import generate_ledger
    from monitr_sandbox.server import EmulatorServer

    profile = bench_profile(invoices_per_month)
    SANDBOX_ENVIRONMENTS["bench"] = [profile]
    # Generation alone, timed apart from the emulator's own indexing; the emulator generates again.
    started = time.perf_counter()
    generate_ledger(profile)
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    emulator = ExactSandbox("bench", state_path=state_path, day=day, minutely_limit=1_000_000,
                            daily_limit=10_000_000)
    ledger = emulator.ledger(int(BENCH_DIVISION))
    ready_seconds = time.perf_counter() - started
    with EmulatorServer(create_app(emulator), port):
        ready.send(EmulatorReady(
            lines=sum(len(e.lines) for e in ledger.entries.values()),
            generate_seconds=generate_seconds, ready_seconds=ready_seconds))
        threading.Event().wait()


def raw_limit_seconds(sent: list[requests.PreparedRequest], home: str) -> float:
    """What the same pages cost with nothing but the unavoidable work: fetch each again, parse it
    once with orjson, build Arrow from its records as they are, insert into DuckDB."""
    import duckdb
    import orjson
    import pyarrow as pa

    session = requests.Session()
    connection = duckdb.connect(f"{home}/raw_limit.duckdb")
    started = time.perf_counter()
    for number, request in enumerate(sent):
        if request.method != "GET" or "/api/v1/" not in (request.url or ""):
            continue  # the token exchange and refreshes are not pages
        body = orjson.loads(session.send(request).content)
        records = body["d"]["results"] if isinstance(body.get("d"), dict) else body["d"]
        if not records:
            continue
        page = pa.Table.from_pylist(records)
        connection.register("page", page)
        connection.execute(f"CREATE TABLE page_{number} AS SELECT * FROM page")
        connection.unregister("page")
    connection.close()
    return time.perf_counter() - started


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


def run(invoices_per_month: int, full_only: bool = False) -> None:
    from monitr_sandbox.exact_online import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

    adapter = adapter_for("exact_online")
    print(f"division {BENCH_DIVISION}: {invoices_per_month:,} sales and {invoices_per_month // 2:,}"
          f" purchase invoices a month; peak RSS before importing {_peak_rss_mb():,.0f} MB")
    with tempfile.TemporaryDirectory() as home:
        # The warehouse's memory limit may be set to compare (MONITR_DUCKDB_MEMORY_LIMIT).
        settings = Settings.from_env({"MONITR_HOME": home, **{
            name: value for name, value in os.environ.items() if name.startswith("MONITR_DUCKDB")}})
        entity = EntityContext(1, 1, BENCH_DIVISION, f"bench-{BENCH_DIVISION}", "Bench")
        pipeline = entity_pipeline(settings, adapter.spec, entity.partition_key)
        store = None
        for day, label in ((0, "full"), (1, "incremental"))[:1 if full_only else 2]:
            process, url, emulator = _start_emulator(home, invoices_per_month, day)
            line_count = emulator.lines
            print(f"emulator at day {day}: {emulator.lines:,} GL lines generated in "
                  f"{emulator.generate_seconds:.1f} s, served after {emulator.ready_seconds:.1f} s")
            try:
                if store is None:
                    oauth = oauth_client(adapter, url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET)
                    consent_url, state = oauth.authorization_url(f"{url}/api/oauth2/auth",
                                                                 REDIRECT_URI)
                    callback = requests.get(consent_url, allow_redirects=False).headers["Location"]
                    store = MemoryCredentialStore({
                        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET,
                        "token": oauth.exchange_code(callback, REDIRECT_URI, state)})
                client = entity_client(adapter, url, BENCH_DIVISION, store)
                calls = 0

                def count(response, *args, **kwargs):
                    nonlocal calls
                    calls += 1

                # Counted at the transport, below every hook the engine sets per request; the
                # requests are kept to measure the raw limit on exactly the same pages.
                send = client.session.send
                sent: list[requests.PreparedRequest] = []

                def counting_send(request, **kwargs):
                    count(None)
                    sent.append(request.copy())
                    return send(request, **kwargs)

                client.session.send = counting_send
                started = time.perf_counter()
                pipeline.run(provider_source(adapter, ImportRunContext(entity), client),
                             loader_file_format="parquet")
                seconds = time.perf_counter() - started
                # The import's own peak, before the raw-limit pass adds its own.
                import_peak_mb = _peak_rss_mb()
                raw_seconds = raw_limit_seconds(sent, home) if label == "full" else None
            finally:
                process.terminate()
            rows = sum(n for t, n in pipeline.last_trace.last_normalize_info.row_counts.items()
                       if not t.startswith("_dlt"))
            print(f"{label:>11}: {rows:>9,} rows in {seconds:6.2f} s = {rows / seconds:9,.0f} rows/s,"
                  f" {calls} API calls; peak RSS of the importing process {import_peak_mb:,.0f} MB")
            if raw_seconds is not None:
                print(f"  raw limit: the same {len(sent)} pages fetched, parsed (orjson), built "
                      f"into Arrow and inserted into DuckDB in {raw_seconds:.2f} s; import / raw "
                      f"throughput = {raw_seconds / seconds:.2f} (goal: at least 0.70)")
        print(f"GL line pages needed at 1000 rows/call: {math.ceil(line_count / 1000)}")


def flat_memory(sizes: list[int]) -> None:
    """Each size's full import in a fresh process: peak RSS must not grow with the ledger."""
    import re
    import subprocess
    import sys

    peaks = []
    for invoices in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--invoices-per-month", str(invoices), "--full-only"],
            capture_output=True, text=True, check=True).stdout
        print(output, end="")
        peaks.append(float(re.findall(r"importing process ([\d,]+) MB", output)[-1]
                           .replace(",", "")))
    print(f"peak RSS of the full import: {' vs '.join(f'{p:,.0f} MB' for p in peaks)}; "
          f"largest / smallest = {max(peaks) / min(peaks):.2f} (goal: at most 1.20)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--size", choices=SIZES, default="small",
                      help=", ".join(f"{name}: {n} invoices/month" for name, n in SIZES.items()))
    size.add_argument("--invoices-per-month", type=int)
    size.add_argument("--flat-memory", type=int, nargs="+", metavar="INVOICES_PER_MONTH",
                      help="full imports of these sizes, each in its own process, and their "
                           "peak RSS side by side (e.g. 500 5000: ~100k and ~1M GL lines)")
    parser.add_argument("--full-only", action="store_true", help="skip the incremental import")
    arguments = parser.parse_args()
    if arguments.flat_memory:
        flat_memory(arguments.flat_memory)
    else:
        run(arguments.invoices_per_month or SIZES[arguments.size], arguments.full_only)
