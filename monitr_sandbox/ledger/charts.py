"""Standard charts of accounts for the sandbox ledgers: NL (Exact-style codes with RGS) and BE (PCMN/MAR)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class Account:
    """A general-ledger account. `category` is a provider-neutral role the generator books against."""

    code: str
    name: str
    balance_type: str  # 'B' balance sheet, 'W' profit and loss (Exact's and RGS's letters)
    balance_side: str  # 'D' debit-natured, 'C' credit-natured
    account_type: str  # asset | liability | equity | revenue | expense
    category: str
    rgs_code: str | None = None  # NL only: Referentie GrootboekSchema code
    vat_level: str | None = None  # 'high' | 'reduced' | 'exempt' for accounts invoices book to


@dataclass(frozen=True)
class VatCode:
    code: str
    description: str
    rate: Decimal
    direction: str  # 'sales' | 'purchase'
    level: str  # 'high' | 'reduced' | 'exempt'


@dataclass(frozen=True)
class JournalDef:
    code: str
    name: str
    type: str  # sales | purchase | bank | general | opening


@dataclass(frozen=True)
class AssetGroup:
    """Fixed-asset group: the accounts its cost, accumulated depreciation and charge are booked to."""

    code: str
    description: str
    cost_account: str
    depreciation_account: str
    expense_account: str
    life_months: int


@dataclass(frozen=True)
class Chart:
    country: str
    accounts: tuple[Account, ...]
    vat_codes: tuple[VatCode, ...]
    journals: tuple[JournalDef, ...]
    asset_groups: tuple[AssetGroup, ...]

    def __post_init__(self) -> None:
        codes = [a.code for a in self.accounts]
        if len(codes) != len(set(codes)):
            raise ValueError(f"duplicate account codes in the {self.country} chart")

    @cached_property
    def by_code(self) -> Mapping[str, Account]:
        return MappingProxyType({a.code: a for a in self.accounts})

    @cached_property
    def _accounts_by_category(self) -> Mapping[str, tuple[Account, ...]]:
        # Bookings ask for their control, VAT and bank accounts by category on every document.
        grouped: dict[str, list[Account]] = {}
        for account in self.accounts:
            grouped.setdefault(account.category, []).append(account)
        return MappingProxyType({category: tuple(found) for category, found in grouped.items()})

    def account(self, category: str) -> Account:
        """The one account with this category (control accounts, bank, VAT, ...)."""
        matches = self._accounts_by_category.get(category, ())
        if len(matches) != 1:
            raise KeyError(f"{self.country} chart has {len(matches)} accounts of category {category!r}")
        return matches[0]

    def vat_code(self, direction: str, level: str) -> VatCode:
        for vat in self.vat_codes:
            if vat.direction == direction and vat.level == level:
                return vat
        raise KeyError(f"{self.country} chart has no {direction} VAT code at level {level!r}")

    def vat_by_code(self, code: str) -> VatCode:
        for vat in self.vat_codes:
            if vat.code == code:
                return vat
        raise KeyError(code)

    def journal(self, journal_type: str) -> JournalDef:
        for journal in self.journals:
            if journal.type == journal_type:
                return journal
        raise KeyError(journal_type)

    def asset_group(self, code: str) -> AssetGroup:
        for group in self.asset_groups:
            if group.code == code:
                return group
        raise KeyError(code)


def _accounts(rows: list[tuple]) -> tuple[Account, ...]:
    # Rows are (code, name, B/W, D/C, account_type, category, rgs, vat_level) so the tables stay readable.
    return tuple(Account(*row) for row in rows)


# Exact's NL template numbers accounts in four digits (0xxx fixed assets and equity, 1xxx current,
# 4xxx costs, 7xxx cost of sales, 8xxx revenue). RGS codes are RGS 3.7 (MKB) level-4 codes, as in
# dbt_monitr/seeds/standard_charts/rgs_reference.csv; purchase VAT keeps BSchBepBtwVoo, a level-5
# code under BSchBepBtw as Moneybird's default chart has it (tests/sandbox/ledger checks both).
NL_CHART = Chart(
    country="NL",
    accounts=_accounts([
        ("0100", "Bedrijfsgebouwen", "B", "D", "asset", "buildings", "BMvaBegVvp", None),
        ("0105", "Cum. afschrijving bedrijfsgebouwen", "B", "C", "asset",
         "accumulated_depreciation", "BMvaBegCae", None),
        ("0200", "Inventaris en machines", "B", "D", "asset", "equipment", "BMvaMeiVvp", None),
        ("0205", "Cum. afschrijving inventaris en machines", "B", "C", "asset",
         "accumulated_depreciation", "BMvaMeiCae", None),
        ("0500", "Geplaatst aandelenkapitaal", "B", "C", "equity", "share_capital", "BEivGokGea", None),
        ("0600", "Overige reserves", "B", "C", "equity", "retained_earnings", "BEivOvrOrs", None),
        ("0700", "Hypothecaire lening bank", "B", "C", "liability", "loan", "BLasSakHvl", None),
        ("1000", "Kas", "B", "D", "asset", "cash", "BLimKasKas", None),
        ("1100", "Bank", "B", "D", "asset", "bank", "BLimBanRba", None),
        ("1200", "Voorraad handelsgoederen", "B", "D", "asset", "inventory", "BVrdHanVoo", None),
        ("1300", "Debiteuren", "B", "D", "asset", "receivables", "BVorDebHad", None),
        ("1400", "Vooruitbetaalde kosten", "B", "D", "asset", "prepaid", "BVorOvaVof", None),
        ("1500", "Te vorderen btw (voorbelasting)", "B", "D", "asset", "vat_recoverable",
         "BSchBepBtwVoo", None),
        ("1510", "Af te dragen btw", "B", "C", "liability", "vat_payable", "BSchBepBtw", None),
        ("1600", "Crediteuren", "B", "C", "liability", "payables", "BSchCreHac", None),
        ("1700", "Nog te betalen nettolonen", "B", "C", "liability", "wages_payable", "BSchSalNet", None),
        ("1710", "Af te dragen loonheffing", "B", "C", "liability", "wage_taxes_payable",
         "BSchBepLhe", None),
        ("1900", "Vraagposten", "B", "D", "asset", "suspense", "BLimKruSto", None),
        ("4000", "Lonen en salarissen", "W", "D", "expense", "wages", "WPerLesLon", None),
        ("4010", "Sociale lasten", "W", "D", "expense", "social_charges", "WPerSolPsv", None),
        ("4100", "Huur bedrijfsruimte", "W", "D", "expense", "rent", "WBedHuiBeh", "high"),
        ("4110", "Gas, water en elektra", "W", "D", "expense", "energy", "WBedHuiGwe", "high"),
        ("4120", "Onderhoud en reparaties", "W", "D", "expense", "maintenance", "WBedHuiOng", "high"),
        ("4300", "Afschrijving bedrijfsgebouwen", "W", "D", "expense", "depreciation",
         "WAfsAmvBeg", None),
        ("4310", "Afschrijving inventaris en machines", "W", "D", "expense", "depreciation",
         "WAfsAmvMei", None),
        ("4800", "Algemene kosten", "W", "D", "expense", "other_costs", "WBedAlkOal", "high"),
        ("4900", "Rentelasten lening", "W", "D", "expense", "interest", "WFbeRlsRhl", None),
        ("4910", "Bankkosten", "W", "D", "expense", "bank_charges", "WBedAdlBan", None),
        ("7000", "Inkoopwaarde van de omzet", "W", "D", "expense", "cost_of_goods", "WKprInhInh",
         "reduced"),
        ("8000", "Omzet hoog tarief", "W", "C", "revenue", "revenue_high", "WOmzNopOlh", "high"),
        ("8010", "Omzet laag tarief", "W", "C", "revenue", "revenue_low", "WOmzNopOlv", "reduced"),
        ("8100", "Omzet diensten", "W", "C", "revenue", "revenue_services", "WOmzNodOdh", "high"),
        ("8200", "Huuropbrengsten", "W", "C", "revenue", "revenue_rent", "WOvbHuoHuo", "exempt"),
        ("8900", "Rentebaten", "W", "C", "revenue", "interest_income", "WFbeRlmObr", None),
    ]),
    vat_codes=(
        VatCode("VH", "Btw verkoop hoog 21%", Decimal("0.21"), "sales", "high"),
        VatCode("VL", "Btw verkoop laag 9%", Decimal("0.09"), "sales", "reduced"),
        VatCode("V0", "Vrijgesteld van btw (verkoop)", Decimal("0"), "sales", "exempt"),
        VatCode("IH", "Btw inkoop hoog 21%", Decimal("0.21"), "purchase", "high"),
        VatCode("IL", "Btw inkoop laag 9%", Decimal("0.09"), "purchase", "reduced"),
        VatCode("I0", "Vrijgesteld van btw (inkoop)", Decimal("0"), "purchase", "exempt"),
    ),
    journals=(
        JournalDef("20", "Bank", "bank"),
        JournalDef("60", "Inkoopboek", "purchase"),
        JournalDef("70", "Verkoopboek", "sales"),
        JournalDef("90", "Memoriaal", "general"),
        JournalDef("95", "Beginbalans", "opening"),
    ),
    asset_groups=(
        AssetGroup("GEB", "Bedrijfsgebouwen", "0100", "0105", "4300", 360),
        AssetGroup("INV", "Inventaris en machines", "0200", "0205", "4310", 84),
    ),
)

# PCMN/MAR (royal decree 21 Oct 2018): six-digit codes, classes 1-5 balance sheet, 6-7 P&L;
# xxxxx9 sub-accounts hold the booked depreciation of the asset account above them.
BE_CHART = Chart(
    country="BE",
    accounts=_accounts([
        ("100000", "Geplaatst kapitaal", "B", "C", "equity", "share_capital", None, None),
        ("140000", "Overgedragen winst", "B", "C", "equity", "retained_earnings", None, None),
        ("173000", "Kredietinstellingen: leningen op meer dan een jaar", "B", "C", "liability",
         "loan", None, None),
        ("221000", "Gebouwen", "B", "D", "asset", "buildings", None, None),
        ("221009", "Gebouwen: geboekte afschrijvingen", "B", "C", "asset",
         "accumulated_depreciation", None, None),
        ("230000", "Installaties, machines en uitrusting", "B", "D", "asset", "equipment", None, None),
        ("230009", "Installaties, machines en uitrusting: geboekte afschrijvingen", "B", "C",
         "asset", "accumulated_depreciation", None, None),
        ("340000", "Handelsgoederen", "B", "D", "asset", "inventory", None, None),
        ("400000", "Handelsvorderingen: klanten", "B", "D", "asset", "receivables", None, None),
        ("411000", "Terug te vorderen btw", "B", "D", "asset", "vat_recoverable", None, None),
        ("440000", "Leveranciers", "B", "C", "liability", "payables", None, None),
        ("451000", "Te betalen btw", "B", "C", "liability", "vat_payable", None, None),
        ("453000", "Ingehouden voorheffingen", "B", "C", "liability", "wage_taxes_payable", None, None),
        ("455000", "Te betalen bezoldigingen", "B", "C", "liability", "wages_payable", None, None),
        ("490000", "Over te dragen kosten", "B", "D", "asset", "prepaid", None, None),
        ("499000", "Wachtrekening", "B", "D", "asset", "suspense", None, None),
        ("550000", "Kredietinstellingen: rekening-courant", "B", "D", "asset", "bank", None, None),
        ("570000", "Kassen: contanten", "B", "D", "asset", "cash", None, None),
        ("604000", "Aankopen van handelsgoederen", "W", "D", "expense", "cost_of_goods", None,
         "reduced"),
        ("610000", "Huur en huurlasten", "W", "D", "expense", "rent", None, "high"),
        ("611000", "Onderhoud en herstellingen", "W", "D", "expense", "maintenance", None, "high"),
        ("612000", "Water, gas en elektriciteit", "W", "D", "expense", "energy", None, "high"),
        ("613000", "Andere diensten en diverse goederen", "W", "D", "expense", "other_costs", None,
         "high"),
        ("620200", "Bezoldigingen bedienden", "W", "D", "expense", "wages", None, None),
        ("621000", "Werkgeversbijdragen sociale zekerheid", "W", "D", "expense", "social_charges",
         None, None),
        ("630200", "Afschrijvingen op materiele vaste activa", "W", "D", "expense", "depreciation",
         None, None),
        ("650000", "Kosten van schulden", "W", "D", "expense", "interest", None, None),
        ("657000", "Bankkosten", "W", "D", "expense", "bank_charges", None, None),
        ("700000", "Verkopen handelsgoederen (21%)", "W", "C", "revenue", "revenue_high", None, "high"),
        ("700100", "Verkopen verlaagd tarief (12%)", "W", "C", "revenue", "revenue_low", None,
         "reduced"),
        ("705000", "Dienstverlening", "W", "C", "revenue", "revenue_services", None, "high"),
        ("743000", "Huuropbrengsten", "W", "C", "revenue", "revenue_rent", None, "exempt"),
        ("751000", "Opbrengsten uit vlottende activa", "W", "C", "revenue", "interest_income", None,
         None),
    ]),
    vat_codes=(
        VatCode("V21", "Btw verkopen 21%", Decimal("0.21"), "sales", "high"),
        VatCode("V12", "Btw verkopen 12%", Decimal("0.12"), "sales", "reduced"),
        VatCode("V0", "Vrijgesteld (verkopen)", Decimal("0"), "sales", "exempt"),
        VatCode("A21", "Btw aankopen 21%", Decimal("0.21"), "purchase", "high"),
        VatCode("A12", "Btw aankopen 12%", Decimal("0.12"), "purchase", "reduced"),
        VatCode("A0", "Vrijgesteld (aankopen)", Decimal("0"), "purchase", "exempt"),
    ),
    journals=(
        JournalDef("20", "Bank", "bank"),
        JournalDef("60", "Aankoopdagboek", "purchase"),
        JournalDef("70", "Verkoopdagboek", "sales"),
        JournalDef("90", "Diverse posten", "general"),
        JournalDef("95", "Openingsbalans", "opening"),
    ),
    asset_groups=(
        AssetGroup("GEB", "Gebouwen", "221000", "221009", "630200", 396),
        AssetGroup("MACH", "Installaties, machines en uitrusting", "230000", "230009", "630200", 60),
    ),
)

CHARTS: Mapping[str, Chart] = MappingProxyType({"NL": NL_CHART, "BE": BE_CHART})


def chart_for(country: str) -> Chart:
    try:
        return CHARTS[country]
    except KeyError:
        raise ValueError(f"no sandbox chart of accounts for country {country!r}") from None
