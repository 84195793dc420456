"""A portal's deals: about 18 months of them generated from the portal's seed, and the days that
follow (deals move on, close, are archived, new ones come in), all deterministic."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from monitr_sandbox.hubspot.portals import TIME_ZONE, Portal

# The sandbox's "now" at day 0; day d is d days later. Deals start 18 months before.
BASE_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIRST_DAY = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
# One import of deals from a spreadsheet: every deal of it has the same create and modification
# time to the millisecond (what makes ties at a search window's edge).
IMPORT_BATCH = range(20, 34)
IMPORT_AT = datetime(2025, 9, 15, 13, 45, 12, 345000, tzinfo=UTC)

_CUSTOMERS = ("Woonzorg Oost", "Van Dijk Vastgoed", "Gemeente Zwolle", "Bakker Bouw",
              "Stichting Het Anker", "De Vries Installaties", "Hotel Zonneveld", "Jansen Retail",
              "Basisschool De Regenboog", "Meijer Logistiek", "Autobedrijf Mulder",
              "Zorggroep Salland", "Visser & Zn", "Restaurant De Molen", "Kantoorpark Noord")
_PRODUCTS = ("warmtepomp", "cv-vervanging", "zonnepanelen", "onderhoudscontract",
             "ventilatie", "airco", "renovatie badkamer", "groepenkast", "kerstpakketten",
             "taarten weekabonnement", "banket voor evenement", "export stroopwafels")
_OWNERS = ("512937", "512938", "618204")


def iso(moment: datetime) -> str:
    """HubSpot writes datetimes as UTC ISO 8601 with milliseconds and Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def now_at(day: int) -> datetime:
    return BASE_NOW + timedelta(days=day)


@dataclass(frozen=True)
class Deal:
    id: int
    name: str
    pipeline: str
    stage: str
    amount: Decimal
    currency: str
    close_date: datetime
    created: datetime
    modified: datetime
    owner: str
    deal_type: str
    archived_at: datetime | None = None


class DealBook:
    """Every deal of one portal, archived ones included, at the sandbox's current day."""

    def __init__(self, portal: Portal):
        self.portal = portal
        self.deals: dict[int, Deal] = {}
        self._next_id = portal.first_deal_id
        rng = random.Random(portal.seed)
        for n in range(portal.deals):
            self._add(self._generated(rng, n))

    # --- what the API reads ------------------------------------------------------------------------
    def live(self) -> list[Deal]:
        return sorted((d for d in self.deals.values() if d.archived_at is None),
                      key=lambda d: d.id)

    def archived(self) -> list[Deal]:
        return sorted((d for d in self.deals.values() if d.archived_at is not None),
                      key=lambda d: d.id)

    def properties(self, deal: Deal) -> dict[str, str]:
        """Every property of the deal as HubSpot writes it: all text."""
        pipeline, stage = self.portal.stage(deal.stage)
        rate = Decimal(1) if deal.currency == self.portal.currency else \
            self.portal.rates[deal.currency]
        home = (deal.amount * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return {
            "dealname": deal.name, "amount": str(deal.amount),
            "amount_in_home_currency": str(home), "deal_currency_code": deal.currency,
            "closedate": iso(deal.close_date), "createdate": iso(deal.created),
            "dealstage": deal.stage, "pipeline": deal.pipeline,
            "hs_deal_stage_probability": str(stage.probability),
            "hs_is_closed": str(stage.is_closed).lower(),
            "hs_is_closed_won": str(stage.is_won).lower(),
            "hs_lastmodifieddate": iso(deal.modified), "hs_object_id": str(deal.id),
            "hubspot_owner_id": deal.owner, "dealtype": deal.deal_type,
        }

    # --- a day passes --------------------------------------------------------------------------------
    def apply_day(self, day: int) -> None:
        """Three open deals move on (a stage further, won or lost, a new amount), one deal is
        archived, two new deals come in; each change at its own moment of the day."""
        rng = random.Random(self.portal.seed * 1000 + day)
        moment = now_at(day) - timedelta(hours=8)
        step = timedelta(seconds=37, milliseconds=rng.randrange(1000))
        live = self.live()
        open_deals = [d for d in live if not self.portal.stage(d.stage)[1].is_closed]
        for deal in rng.sample(open_deals, min(3, len(open_deals))):
            moment += step
            self.deals[deal.id] = self._moved_on(rng, deal, moment)
        moment += step
        gone = rng.choice(self.live())
        self.deals[gone.id] = replace(gone, archived_at=moment)
        for _ in range(2):
            moment += step
            self._add(self._new_deal(rng, moment))

    # --- generation ------------------------------------------------------------------------------------
    def _add(self, deal: Deal) -> None:
        self.deals[deal.id] = deal

    def _take_id(self) -> int:
        self._next_id += 7  # ids of other objects sit between a portal's deal ids
        return self._next_id

    def _pipeline(self, rng: random.Random):
        return self.portal.pipelines[0 if rng.random() < 0.65 else 1]

    def _currency(self, rng: random.Random) -> str:
        if self.portal.rates and rng.random() < 0.2:
            return sorted(self.portal.rates)[0]
        return self.portal.currency

    def _name(self, rng: random.Random) -> str:
        return f"{rng.choice(_CUSTOMERS)} - {rng.choice(_PRODUCTS)}"

    def _amount(self, rng: random.Random) -> Decimal:
        return Decimal(rng.randrange(50_000, 6_000_000, 25)) / 100

    def _generated(self, rng: random.Random, n: int) -> Deal:
        span = (BASE_NOW - timedelta(days=3) - FIRST_DAY).total_seconds()
        created = FIRST_DAY + timedelta(milliseconds=rng.randrange(int(span * 1000)))
        if self.portal.environment == "portal_a" and n in IMPORT_BATCH:
            created = IMPORT_AT
        pipeline = self._pipeline(rng)
        age = (BASE_NOW - created).days
        closes = age > 200 or (age > 45 and rng.random() < 0.7)
        if closes:
            won = rng.random() < 0.4
            stage = next(s for s in pipeline.stages if s.is_closed and s.is_won == won)
            close_day = min(created + timedelta(days=rng.randint(14, 120)),
                            BASE_NOW - timedelta(days=1))
            modified = close_day
        else:
            stage = rng.choice(pipeline.open_stages)
            close_day = created + timedelta(days=rng.randint(20, 200))
            modified = min(created + timedelta(days=rng.randint(0, 40), seconds=rng.randint(0, 9999)),
                           BASE_NOW - timedelta(hours=1))
        if created == IMPORT_AT:
            modified = IMPORT_AT
        deal = Deal(self._take_id(), self._name(rng), pipeline.id, stage.id, self._amount(rng),
                    self._currency(rng), _day_start(close_day), created, max(modified, created),
                    rng.choice(_OWNERS), rng.choice(("newbusiness", "existingbusiness")))
        if n % 29 == 11:  # now and then a deal was deleted (archived) since
            deal = replace(deal, archived_at=min(deal.modified + timedelta(days=3),
                                                 BASE_NOW - timedelta(minutes=5)))
        return deal

    def _new_deal(self, rng: random.Random, moment: datetime) -> Deal:
        pipeline = self._pipeline(rng)
        return Deal(self._take_id(), self._name(rng), pipeline.id, pipeline.open_stages[0].id,
                    self._amount(rng), self._currency(rng),
                    _day_start(moment + timedelta(days=rng.randint(30, 120))), moment, moment,
                    rng.choice(_OWNERS), "newbusiness")

    def _moved_on(self, rng: random.Random, deal: Deal, moment: datetime) -> Deal:
        pipeline = self.portal.pipeline(deal.pipeline)
        roll = rng.random()
        if roll < 0.3:
            won = rng.random() < 0.5
            stage = next(s for s in pipeline.stages if s.is_closed and s.is_won == won)
            return replace(deal, stage=stage.id, close_date=_day_start(moment), modified=moment)
        opens = pipeline.open_stages
        index = [s.id for s in opens].index(deal.stage)
        stage = opens[min(index + 1, len(opens) - 1)]
        amount = (deal.amount * Decimal(rng.choice(("0.9", "1.0", "1.1")))).quantize(
            Decimal("0.01"), ROUND_HALF_UP)
        return replace(deal, stage=stage.id, amount=amount, modified=moment)


def _day_start(moment: datetime) -> datetime:
    """A close date as HubSpot's date picker writes one (assumed): the start of the chosen day in
    the portal's time zone, so 22:00 or 23:00 UTC of the day before."""
    zone = ZoneInfo(TIME_ZONE)
    return moment.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0
                                           ).astimezone(UTC)
