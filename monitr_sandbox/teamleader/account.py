"""The sandbox's Teamleader account: its departments (named after the sandbox entities they sit
beside), users, deal pipelines with their phases, and the app registration the emulator knows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

SANDBOX_CLIENT_ID = "monitr-sandbox-teamleader"
SANDBOX_CLIENT_SECRET = "teamleader-sandbox-secret-not-for-production"
_NAMESPACE = uuid.UUID("5b0f2d4e-7c1a-4e8b-9a36-0d7e1f2a3b4c")


def sandbox_id(*parts: object) -> str:
    """A stable UUID for a sandbox record (Teamleader ids are UUIDs)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, parts))))


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    vat_number: str
    currency: str
    seed: int


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    probability: Decimal


@dataclass(frozen=True)
class Pipeline:
    id: str
    name: str
    phases: tuple[Phase, ...]


def _pipeline(key: str, name: str, phases: tuple[tuple[str, str], ...]) -> Pipeline:
    return Pipeline(sandbox_id("pipeline", key), name, tuple(
        Phase(sandbox_id("phase", key, label), label, Decimal(p)) for label, p in phases))


ACCOUNT_ID = sandbox_id("account", "monitr-sandbox")
USER_ID = sandbox_id("user", "admin")
USERS = tuple(sandbox_id("user", n) for n in ("admin", "sofie", "jens", "lotte"))
DEPARTMENTS: tuple[Department, ...] = (
    Department(sandbox_id("department", "janssens"), "Brasserie Janssens BV", "BE0456123789",
               "EUR", seed=1401),
    Department(sandbox_id("department", "peeters"), "Frituur Peeters BV", "BE0789456123",
               "EUR", seed=1402),
)
PIPELINES: tuple[Pipeline, ...] = (
    _pipeline("sales", "Verkoop", (("Nieuw", "0.1"), ("Contact gelegd", "0.25"),
                                   ("Offerte verstuurd", "0.5"), ("Onderhandeling", "0.75"))),
    _pipeline("events", "Catering en events", (("Aanvraag", "0.2"), ("Voorstel", "0.5"),
                                               ("Bevestiging", "0.8"))),
)


def phase(phase_id: str) -> tuple[Pipeline, Phase]:
    for pipeline in PIPELINES:
        for found in pipeline.phases:
            if found.id == phase_id:
                return pipeline, found
    raise KeyError(phase_id)
