"""The CSV templates (docs/csv_templates.md): per table, its fields, the header names that mean
them (English, Dutch, French; compared without case, accents or punctuation) and their types."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from monitr_pipeline.providers.csv_import.values import normalise

# Field kinds: text, money (2 decimals), quantity (4 decimals), date, int, bool, and the
# enumerations below (their synonyms map to one canonical value).
ENTRY_TYPES = {
    "opening": ("opening", "opening balance", "beginbalans", "openingsbalans", "ouverture",
                "a nouveau", "a nouveaux"),
    "sales": ("sales", "verkoop", "verkoopboek", "verkoopfactuur", "vente", "ventes"),
    "sales_credit": ("sales credit", "sales credit note", "creditnota verkoop",
                     "verkoopcreditnota", "credit verkoop", "note de credit vente", "nc vente"),
    "purchase": ("purchase", "inkoop", "inkoopboek", "inkoopfactuur", "achat", "achats"),
    "purchase_credit": ("purchase credit", "purchase credit note", "creditnota inkoop",
                        "inkoopcreditnota", "credit inkoop", "note de credit achat", "nc achat"),
    "bank": ("bank", "kas", "bank kas", "kas bank", "banque", "caisse", "financier", "financial"),
    "depreciation": ("depreciation", "afschrijving", "afschrijvingen", "amortissement",
                     "amortissements"),
    "general": ("general", "memoriaal", "memoriaalboeking", "diverse", "diversen", "divers",
                "operations diverses", "od", "journal entry"),
    "other": ("other", "overig", "overige", "autre", "autres"),
}
STATEMENTS = {
    "balance_sheet": ("balance sheet", "balance", "b", "balans", "bilan", "bs"),
    "profit_and_loss": ("profit and loss", "profit loss", "w", "winst en verlies", "w en v",
                        "v en w", "w v", "v w", "wv", "vw", "resultaat", "resultatenrekening", "resultat",
                        "compte de resultats", "p l", "pl", "pnl"),
}
SIDES = {
    "debit": ("debit", "d", "debet", "db", "dr"),
    "credit": ("credit", "c", "cr", "k"),
}
ENUMERATIONS = {"entry_type": ENTRY_TYPES, "statement": STATEMENTS, "side": SIDES}


@cache
def synonyms(kind: str) -> dict[str, str]:
    return {normalise(s): value for value, words in ENUMERATIONS[kind].items()
            for s in (value, *words)}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def header_names(self) -> tuple[str, ...]:
        return tuple(normalise(a) for a in (self.name, *self.aliases))

    def accepted_headers(self) -> str:
        """The header names a user may give this field's column, to name when it is missing."""
        shown = dict.fromkeys(self.header_names)  # 'entry_number' and 'entry number' are one name
        shown.pop(normalise(self.name), None)
        return ", ".join(repr(name) for name in (self.name, *shown))


@dataclass(frozen=True)
class Template:
    """One uploadable table: files `<prefix>*.csv` in an administration folder."""

    table: str
    fields: tuple[Field, ...]
    # Alternatives where one of several fields will do (e.g. amount, or debit and credit).
    one_of: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def file_prefix(self) -> str:
        return self.table

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def match(self, header: str) -> Field | None:
        """The field a header cell names, if any (unknown columns are ignored)."""
        key = normalise(header)
        return next((f for f in self.fields if key in f.header_names), None)


_PROJECT = ("project", "project code", "projectcode", "projectnummer", "projectnr", "projet",
            "code projet")
_DESCRIPTION = ("description", "omschrijving", "libelle", "commentaire", "toelichting", "memo")

GL_LINES = Template("gl_lines", (
    Field("line_id", "text", ("line id", "regel id", "regelid", "id", "guid")),
    Field("journal", "text", ("journal", "journal code", "dagboek", "dagboekcode", "dgb",
                              "code journal")),
    Field("journal_name", "text", ("journal name", "dagboeknaam", "dagboek omschrijving",
                                   "omschrijving dagboek", "nom journal", "libelle journal")),
    Field("entry_number", "text", ("entry number", "entry", "boekstuk", "boekstuknummer",
                                   "boekstuknr", "boekingsnummer", "journaalpost",
                                   "journaalpostnummer", "piece", "n piece", "no piece",
                                   "numero de piece", "numero piece"), required=True),
    Field("line_number", "int", ("line number", "line", "regel", "regelnummer", "regelnr",
                                 "ligne", "numero de ligne", "n ligne")),
    Field("date", "date", ("booking date", "datum", "boekdatum", "boekingsdatum",
                           "date comptable", "date de comptabilisation"), required=True),
    Field("fiscal_year", "int", ("fiscal year", "year", "boekjaar", "jaar", "exercice",
                                 "annee")),
    Field("fiscal_period", "int", ("fiscal period", "period", "periode", "boekperiode")),
    Field("account_code", "text", ("account", "account code", "gl account", "grootboek",
                                   "grootboekrekening", "grootboeknummer", "rekening",
                                   "rekeningnummer", "compte", "compte general",
                                   "numero de compte"), required=True),
    Field("account_name", "text", ("account name", "grootboekomschrijving",
                                   "omschrijving grootboek", "omschrijving grootboekrekening",
                                   "rekeningnaam", "libelle compte", "intitule compte",
                                   "nom du compte")),
    Field("description", "text", _DESCRIPTION),
    Field("amount", "money", ("bedrag", "montant", "amount dc", "bedrag eur")),
    Field("debit", "money", ("debet", "bedrag debet", "debit amount")),
    Field("credit", "money", ("bedrag credit", "credit amount")),
    Field("side", "side", ("debit credit", "d c", "dc", "debet credit", "debetcredit", "sens")),
    Field("currency", "text", ("currency code", "valuta", "valutacode", "munt", "devise")),
    Field("transaction_amount", "money", ("amount fc", "bedrag valuta", "bedrag vv",
                                          "montant devise")),
    Field("transaction_currency", "text", ("valuta transactie", "transactievaluta",
                                           "devise transaction")),
    Field("vat_code", "text", ("vat", "btw code", "btwcode", "btw", "code tva", "tva")),
    Field("vat_amount", "money", ("btw bedrag", "bedrag btw", "montant tva")),
    Field("cost_centre", "text", ("cost center", "kostenplaats", "kpl", "centre de cout")),
    Field("cost_unit", "text", ("kostendrager", "kdr", "porteur de cout")),
    Field("project_code", "text", _PROJECT),
    Field("relation_code", "text", ("relation", "relatie", "relatiecode", "relatienummer",
                                    "debiteur crediteur", "tiers", "code tiers")),
    Field("relation_name", "text", ("relatienaam", "naam relatie", "nom tiers", "nom du tiers")),
    Field("invoice_number", "text", ("invoice", "factuurnummer", "factuurnr", "factuur",
                                     "facture", "n facture", "numero de facture")),
    Field("due_date", "date", ("vervaldatum", "echeance", "date d echeance")),
    Field("entry_type", "entry_type", ("type", "boekingstype", "soort boeking", "type boeking",
                                       "dagboektype", "dagboek type", "type journal",
                                       "type de journal")),
), one_of=(("amount", "debit", "credit"),))

ACCOUNTS = Template("accounts", (
    Field("code", "text", ("account", "account code", "grootboekrekening", "grootboeknummer",
                           "rekening", "rekeningnummer", "nummer", "compte", "numero de compte",
                           "numero"), required=True),
    Field("name", "text", ("description", "omschrijving", "naam", "libelle", "intitule", "nom"),
          required=True),
    Field("statement", "statement", ("balance type", "balans winst en verlies", "balans w en v",
                                     "balans w v", "balans wv",
                                     "balans resultaat", "rekeningsoort", "soort",
                                     "type de compte", "bilan resultat")),
    Field("normal_balance", "side", ("balance side", "debet credit", "debit credit", "d c",
                                     "zijde", "sens")),
    Field("account_type", "text", ("type", "rekeningtype", "categorie", "category")),
    Field("rgs_code", "text", ("rgs", "rgs code", "referentiecode", "rgs referentiecode")),
    Field("is_blocked", "bool", ("blocked", "geblokkeerd", "bloque")),
))

PROJECTS = Template("projects", (
    Field("code", "text", _PROJECT, required=True),
    Field("name", "text", ("description", "omschrijving", "naam", "projectnaam", "libelle",
                           "nom", "nom du projet"), required=True),
    Field("start_date", "date", ("start", "startdatum", "begindatum", "date de debut", "debut")),
    Field("end_date", "date", ("end", "einddatum", "date de fin", "fin")),
    Field("is_active", "bool", ("active", "actief", "actif")),
    Field("status", "text", ("statut",)),
    Field("project_type", "text", ("type", "projecttype", "soort", "type de projet")),
    Field("customer_code", "text", ("customer", "klant", "klantcode", "debiteur", "client",
                                    "code client")),
    Field("customer_name", "text", ("klantnaam", "naam klant", "nom client", "nom du client")),
    Field("budget_hours", "quantity", ("budget uren", "begrote uren", "heures budget",
                                       "budget heures")),
    Field("budget_amount", "money", ("budget", "budget bedrag", "begroot bedrag",
                                     "montant budget", "budget montant")),
))

PROJECT_HOURS = Template("project_hours", (
    Field("id", "text", ("registration id", "registratie id", "registratienummer",
                         "urenregistratie id", "regel id", "line id")),
    Field("project_code", "text", _PROJECT, required=True),
    Field("date", "date", ("datum", "werkdatum", "date de prestation"), required=True),
    Field("employee_code", "text", ("employee", "medewerker", "medewerkercode",
                                    "personeelsnummer", "werknemer", "employe", "code employe",
                                    "collaborateur", "code collaborateur")),
    Field("employee_name", "text", ("naam medewerker", "medewerkernaam", "nom employe",
                                    "nom collaborateur", "nom du collaborateur")),
    Field("activity", "text", ("activiteit", "uursoort", "taak", "activite", "tache")),
    Field("hours", "quantity", ("uren", "aantal uren", "aantal", "heures", "duur", "duree"),
          required=True),
    Field("rate", "money", ("tarief", "uurtarief", "taux", "tarif", "taux horaire")),
    Field("amount", "money", ("bedrag", "montant")),
    Field("is_billable", "bool", ("billable", "declarabel", "facturabel", "factureerbaar",
                                  "facturable")),
    Field("description", "text", (*_DESCRIPTION, "opmerking")),
), one_of=(("employee_code", "employee_name"),))

PROJECT_COSTS = Template("project_costs", (
    Field("id", "text", ("cost id", "regel id", "line id", "kostenregel id")),
    Field("project_code", "text", _PROJECT, required=True),
    Field("date", "date", ("datum", "kostendatum", "boekdatum", "date de cout"), required=True),
    Field("cost_type", "text", ("kostensoort", "soort kosten", "kostentype", "categorie",
                                "category", "type", "type de cout")),
    Field("description", "text", _DESCRIPTION),
    Field("quantity", "quantity", ("aantal", "quantite", "hoeveelheid")),
    Field("amount", "money", ("bedrag", "kosten", "kostprijs", "montant", "cout"), required=True),
    Field("currency", "text", ("valuta", "munt", "devise")),
    Field("relation_code", "text", ("supplier", "leverancier", "crediteur", "relatie",
                                    "relation", "fournisseur")),
    Field("relation_name", "text", ("supplier name", "naam leverancier", "leveranciersnaam",
                                    "nom fournisseur")),
    Field("document_number", "text", ("document", "boekstuk", "boekstuknummer", "factuurnummer",
                                      "piece", "n piece", "numero de piece")),
    Field("account_code", "text", ("account", "grootboekrekening", "rekening", "compte")),
))

TEMPLATES: dict[str, Template] = {t.table: t for t in
                                  (GL_LINES, ACCOUNTS, PROJECTS, PROJECT_HOURS, PROJECT_COSTS)}
