"""Every sandbox emulator has a fixed demo port of its own (`monitr sandbox`, the demo and the
Dagster UI reach the same emulators there), clear of the OAuth redirect receiver's."""

from collections import Counter

from monitr_pipeline.cli.connect import DEFAULT_CALLBACK_PORT
from monitr_sandbox.provider import sandbox_providers


def test_demo_ports_are_one_per_emulator():
    ports = Counter()
    for slug, provider in sandbox_providers().items():
        servers = provider.environments
        if provider.default_ports:
            assert set(provider.default_ports) == set(servers), slug
        ports.update(provider.default_ports.values())
    assert [port for port, count in ports.items() if count > 1] == []
    assert DEFAULT_CALLBACK_PORT not in ports
