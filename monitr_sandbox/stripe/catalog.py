"""The sandbox's Stripe accounts: a Connect platform and three connected accounts named after the
sandbox entities they sit beside, each with its products, prices and coupons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class PriceSpec:
    key: str
    product: str
    currency: str
    unit_amount: int  # minor units
    interval: str
    interval_count: int = 1
    role: str = "plan"  # plan | addon | metered
    weight: int = 1  # how often a new plan subscription picks it


@dataclass(frozen=True)
class CouponSpec:
    key: str
    name: str
    duration: str  # forever | repeating | once
    percent_off: float | None = None
    amount_off: int | None = None
    currency: str | None = None
    duration_in_months: int | None = None


@dataclass(frozen=True)
class AccountProfile:
    account_id: str
    name: str
    country: str
    currency: str
    seed: int
    tag: str  # in object ids: tells the accounts' objects apart
    prices: tuple[PriceSpec, ...] = ()
    coupons: tuple[CouponSpec, ...] = ()
    # Share of new customers billed in another currency, and that currency's country.
    foreign: tuple[str, str, float] | None = None
    created: datetime = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)

    @property
    def products(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.product for p in self.prices))


PLATFORM = AccountProfile("acct_1MonitrPlatf0rm", "Monitr Demo Platform", "NL", "eur", 0, "PL",
                          created=datetime(2025, 1, 6, 9, 0, tzinfo=UTC))

_EUR_COUPONS = (
    CouponSpec("VAST10", "Vaste klant 10%", "forever", percent_off=10.0),
    CouponSpec("KORTING5", "EUR 5 korting", "forever", amount_off=500, currency="eur"),
    CouponSpec("INTRO50", "Introductie 50% (3 mnd)", "repeating", percent_off=50.0,
               duration_in_months=3),
    CouponSpec("EERSTE25", "Eerste factuur 25%", "once", percent_off=25.0),
)

CONNECTED = (
    AccountProfile(
        "acct_1VisserOntwerp", "Studio Visser Ontwerp", "NL", "eur", 880_101, "SV",
        prices=(
            PriceSpec("basis_m", "Ontwerp Basis", "eur", 4900, "month", weight=4),
            PriceSpec("basis_y", "Ontwerp Basis", "eur", 49000, "year", weight=2),
            PriceSpec("pro_m", "Ontwerp Pro", "eur", 12900, "month", weight=2),
            PriceSpec("pro_q", "Ontwerp Pro", "eur", 34900, "month", 3, weight=1),
            PriceSpec("seat_m", "Extra gebruiker", "eur", 900, "month", role="addon"),
            PriceSpec("proof_m", "Drukproeven (gebruik)", "eur", 150, "month", role="metered"),
        ),
        coupons=_EUR_COUPONS),
    AccountProfile(
        "acct_1VanLeeuwenKof", "Koffiebranderij Van Leeuwen B.V.", "NL", "usd", 880_202, "VL",
        prices=(
            PriceSpec("beans_w", "Koffie-abonnement", "usd", 1850, "week", weight=4),
            PriceSpec("beans_2w", "Koffie-abonnement", "usd", 3500, "week", 2, weight=2),
            PriceSpec("beans_m", "Koffie-abonnement", "usd", 6900, "month", weight=3),
            PriceSpec("office_y", "Kantoorpakket", "usd", 99000, "year", weight=1),
            PriceSpec("extra_w", "Extra kilo", "usd", 900, "week", role="addon"),
            PriceSpec("extra_m", "Extra kilo", "usd", 3600, "month", role="addon"),
            PriceSpec("tasting_m", "Proeverij (gebruik)", "usd", 500, "month", role="metered"),
        ),
        coupons=(
            CouponSpec("LOYAL10", "Loyal customer 10%", "forever", percent_off=10.0),
            CouponSpec("OFF3", "USD 3 off", "forever", amount_off=300, currency="usd"),
            CouponSpec("WELCOME50", "Welcome 50% (3 months)", "repeating", percent_off=50.0,
                       duration_in_months=3),
        )),
    AccountProfile(
        "acct_1ClaesDrukkerij", "Drukkerij Claes BV", "BE", "eur", 880_303, "DC",
        prices=(
            PriceSpec("small_m", "Drukwerk Abonnement S", "eur", 2900, "month", weight=3),
            PriceSpec("small_q", "Drukwerk Abonnement S", "eur", 7900, "month", 3, weight=1),
            PriceSpec("large_m", "Drukwerk Abonnement L", "eur", 8900, "month", weight=2),
            PriceSpec("large_y", "Drukwerk Abonnement L", "eur", 89000, "year", weight=1),
            PriceSpec("small_m_gbp", "Drukwerk Abonnement S", "gbp", 2500, "month", weight=3),
            PriceSpec("large_m_gbp", "Drukwerk Abonnement L", "gbp", 7900, "month", weight=2),
            PriceSpec("format_m", "Extra formaat", "eur", 1500, "month", role="addon"),
            PriceSpec("format_m_gbp", "Extra formaat", "gbp", 1300, "month", role="addon"),
            PriceSpec("clicks_m", "Kliks (gebruik)", "eur", 12, "month", role="metered"),
        ),
        coupons=_EUR_COUPONS + (
            CouponSpec("UK5", "GBP 5 off", "forever", amount_off=500, currency="gbp"),
        ),
        foreign=("gbp", "GB", 0.3)),
)

ACCOUNTS = (PLATFORM, *CONNECTED)
