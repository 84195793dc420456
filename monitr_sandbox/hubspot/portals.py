"""The two sandbox portals (HubSpot accounts), their deal pipelines and stages, and the app
registration the emulator knows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SANDBOX_CLIENT_ID = "5f0c7c1e-hubspot-monitr-sandbox"
SANDBOX_CLIENT_SECRET = "hubspot-sandbox-secret-not-for-production"
# Both sandbox portals' time zone (account details' timeZone).
TIME_ZONE = "Europe/Amsterdam"


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    probability: Decimal  # metadata.probability, 0.0-1.0
    is_closed: bool  # metadata.isClosed

    @property
    def is_won(self) -> bool:
        return self.is_closed and self.probability == 1


@dataclass(frozen=True)
class Pipeline:
    id: str
    label: str
    display_order: int
    stages: tuple[Stage, ...]

    @property
    def open_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if not s.is_closed)

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)


@dataclass(frozen=True)
class Portal:
    """One HubSpot account (hub_id). `name` is its account name as token info's hub_domain gives
    it: the sandbox entity it belongs beside."""

    environment: str
    hub_id: int
    name: str
    currency: str
    # Other currencies of a multi-currency portal, with the exchange rate to `currency` used for
    # amount_in_home_currency.
    rates: dict[str, Decimal]
    pipelines: tuple[Pipeline, ...]
    seed: int
    deals: int  # how many deals the portal starts with
    first_deal_id: int

    def pipeline(self, pipeline_id: str) -> Pipeline:
        return next(p for p in self.pipelines if p.id == pipeline_id)

    def stage(self, stage_id: str) -> tuple[Pipeline, Stage]:
        for pipeline in self.pipelines:
            for stage in pipeline.stages:
                if stage.id == stage_id:
                    return pipeline, stage
        raise KeyError(stage_id)


def _d(value: str) -> Decimal:
    return Decimal(value)


# HubSpot's default deal pipeline: its ids and probabilities as every new portal has them.
_DEFAULT = Pipeline("default", "Sales Pipeline", 0, (
    Stage("appointmentscheduled", "Appointment Scheduled", _d("0.2"), False),
    Stage("qualifiedtobuy", "Qualified To Buy", _d("0.4"), False),
    Stage("presentationscheduled", "Presentation Scheduled", _d("0.6"), False),
    Stage("decisionmakerboughtin", "Decision Maker Bought-In", _d("0.8"), False),
    Stage("contractsent", "Contract Sent", _d("0.9"), False),
    Stage("closedwon", "Closed Won", _d("1.0"), True),
    Stage("closedlost", "Closed Lost", _d("0.0"), True),
))

PORTALS: tuple[Portal, ...] = (
    Portal("portal_a", 146720311, "Installatiebedrijf Verhoeven B.V.", "EUR", {}, (
        _DEFAULT,
        Pipeline("75231450", "Onderhoudscontracten", 1, (
            Stage("75231451", "Offerte aangevraagd", _d("0.1"), False),
            Stage("75231452", "Offerte verstuurd", _d("0.3"), False),
            Stage("75231453", "Onderhandeling", _d("0.7"), False),
            Stage("75231454", "Getekend", _d("1.0"), True),
            Stage("75231455", "Afgewezen", _d("0.0"), True),
        )),
    ), seed=1301, deals=180, first_deal_id=18_400_001_000),
    Portal("portal_b", 25884190, "Banketbakkerij Smit B.V.", "EUR",
           {"USD": _d("0.9200")}, (
        _DEFAULT,
        Pipeline("31877201", "Groothandel en export", 1, (
            Stage("31877202", "Proeverij gepland", _d("0.2"), False),
            Stage("31877203", "Proefbestelling", _d("0.5"), False),
            Stage("31877204", "Raamcontract in review", _d("0.8"), False),
            Stage("31877205", "Raamcontract getekend", _d("1.0"), True),
            Stage("31877206", "Geen deal", _d("0.0"), True),
        )),
    ), seed=1302, deals=140, first_deal_id=9_100_002_000),
)


def portal(hub_id: int | str) -> Portal:
    for found in PORTALS:
        if str(found.hub_id) == str(hub_id):
            return found
    raise KeyError(f"no sandbox portal {hub_id}")


def portal_of_environment(environment: str) -> Portal:
    for found in PORTALS:
        if found.environment == environment:
            return found
    raise KeyError(f"no sandbox portal for environment {environment!r}")
