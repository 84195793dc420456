"""One GL export written the ways NL and BE packages write it reads as the same lines."""

from decimal import Decimal

import pytest

from monitr_pipeline.providers.csv_import.templates import TEMPLATES
from monitr_pipeline.providers.csv_import.upload import load_administration
from monitr_pipeline.settings import PROJECT_ROOT

# (encoding, text): the same two entries, eight lines each time in another dialect.
VARIANTS = {
    # Dutch package, Excel 'CSV UTF-8': BOM, ';', decimal comma with grouped thousands, dd-mm-yyyy.
    "utf8_bom_semicolon_decimal_comma": ("utf-8-sig", (
        "Dagboek;Boekstuk;Regel;Datum;Grootboekrekening;Omschrijving;Bedrag;Btw-code;Boekingstype\r\n"
        "70;2026001;1;05-01-2026;1300;Café De Smet;1.210,00;;Verkoop\r\n"
        "70;2026001;2;05-01-2026;8000;Omzet;-1.000,00;VH;Verkoop\r\n"
        "70;2026001;3;05-01-2026;1500;Btw;-210,00;VH;Verkoop\r\n"
        '90;2026002;1;31-01-2026;4000;"Memo ""correctie; januari""";12,50;;Memoriaal\r\n'
        "90;2026002;2;31-01-2026;1100;Memo;12,50-;;Memoriaal\r\n")),
    # Belgian package, Excel plain 'CSV' on Windows: cp1252, ';', decimal comma, dd/mm/yyyy,
    # French headers, debit and credit columns, no line numbers.
    "cp1252_semicolon_debit_credit": ("cp1252", (
        "Journal;N° pièce;Date;Compte;Libellé;Débit;Crédit;Code TVA;Type de journal\r\n"
        "70;2026001;05/01/2026;1300;Café De Smet;1210,00;;;Vente\r\n"
        "70;2026001;05/01/2026;8000;Omzet;;1000,00;VH;Vente\r\n"
        "70;2026001;05/01/2026;1500;Btw;;210,00;VH;Vente\r\n"
        '90;2026002;31/01/2026;4000;"Memo ""correctie; januari""";12,50;;;Opérations diverses\r\n'
        "90;2026002;31/01/2026;1100;Memo;;12,50;;Opérations diverses\r\n")),
    # A tool's export: UTF-8 without BOM, ',' with decimal points, ISO dates, English headers,
    # unsigned amounts with a D/C indicator, LF line ends.
    "utf8_comma_decimal_point_side": ("utf-8", (
        "journal,entry_number,line_number,date,account_code,description,amount,side,vat_code,entry_type\n"
        "70,2026001,1,2026-01-05,1300,Café De Smet,1210.00,D,,sales\n"
        "70,2026001,2,2026-01-05,8000,Omzet,1000.00,C,VH,sales\n"
        "70,2026001,3,2026-01-05,1500,Btw,210.00,C,VH,sales\n"
        '90,2026002,1,2026-01-31,4000,"Memo ""correctie; januari""",12.50,D,,general\n'
        "90,2026002,2,2026-01-31,1100,Memo,12.50,C,,general\n")),
    # Excel 'Unicode text': UTF-16 with BOM, tab separated.
    "utf16_tab": ("utf-16", (
        "Dagboek\tBoekstuk\tRegel\tBoekdatum\tRekening\tOmschrijving\tBedrag\tBtw\tType\r\n"
        "70\t2026001\t1\t2026-01-05\t1300\tCafé De Smet\t1210,00\t\tverkoop\r\n"
        "70\t2026001\t2\t2026-01-05\t8000\tOmzet\t-1000,00\tVH\tverkoop\r\n"
        "70\t2026001\t3\t2026-01-05\t1500\tBtw\t-210,00\tVH\tverkoop\r\n"
        '90\t2026002\t1\t2026-01-31\t4000\t"Memo ""correctie; januari"""\t12,50\t\tmemoriaal\r\n'
        "90\t2026002\t2\t2026-01-31\t1100\tMemo\t-12,50\t\tmemoriaal\r\n")),
    # latin-1 with Excel's 'sep=' hint and a title above the header.
    "latin1_sep_hint_title": ("latin-1", (
        "sep=;\r\n"
        "Grootboekmutaties januari 2026\r\n"
        "\r\n"
        "Dagboek;Boekstuknummer;Regelnummer;Datum;Grootboek;Omschrijving;Debet;Credit;BTW-code;Dagboektype\r\n"
        "70;2026001;1;05-01-2026;1300;Café De Smet;1210,00;0,00;;Verkoop\r\n"
        "70;2026001;2;05-01-2026;8000;Omzet;0,00;1000,00;VH;Verkoop\r\n"
        "70;2026001;3;05-01-2026;1500;Btw;0,00;210,00;VH;Verkoop\r\n"
        '90;2026002;1;31-01-2026;4000;"Memo ""correctie; januari""";12,50;0,00;;Memoriaal\r\n'
        "90;2026002;2;31-01-2026;1100;Memo;0,00;12,50;;Memoriaal\r\n"
        ";;;;;;;;;\r\n")),  # Excel's empty trailing row
}

EXPECTED = [
    ("2026/70/2026001/1", "1300", "Café De Smet", Decimal("1210.00"), "sales"),
    ("2026/70/2026001/2", "8000", "Omzet", Decimal("-1000.00"), "sales"),
    ("2026/70/2026001/3", "1500", "Btw", Decimal("-210.00"), "sales"),
    ("2026/90/2026002/1", "4000", 'Memo "correctie; januari"', Decimal("12.50"), "general"),
    ("2026/90/2026002/2", "1100", "Memo", Decimal("-12.50"), "general"),
]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_dialect_reads_as_the_same_lines(variant, with_accounts):
    encoding, text = VARIANTS[variant]
    with_accounts.write("gl_lines.csv", text, encoding)
    records = load_administration(with_accounts.folder, "Adm").records["gl_lines"]
    assert [(r["id"], r["account_code"], r["description"], r["amount"], r["entry_type"])
            for r in records] == EXPECTED
    first = records[0]
    assert (first["entry_id"], first["fiscal_year"], first["fiscal_period"], first["currency"],
            first["administration"], first["source_file"]) == (
        "2026/70/2026001", 2026, 1, "EUR", "Adm", "gl_lines.csv")
    assert str(first["date"]) == "2026-01-05"


def test_accounts_projects_hours_and_costs_templates(upload):
    upload.write("accounts.csv", "Grootboekrekening;Omschrijving;Balans/W&V;Debet/Credit;"
                                 "RGS-code;Geblokkeerd\r\n8000;Omzet;W&V;Credit;WOmzNop;nee\r\n",
                 "utf-8-sig")
    upload.write("projects.csv", "Code projet,Nom du projet,Date de début,Date de fin,Actif\r\n"
                                 "P1,Rénovation,2026-01-01,,oui\r\n", "cp1252")
    upload.write("project_hours.csv",
                 "Project;Datum;Medewerker;Uren;Tarief;Declarabel\r\n"
                 "P1;05-01-2026;M01;7,5;95,00;ja\r\nP1;05-01-2026;M01;7,5;95,00;ja\r\n")
    upload.write("project_costs.csv", "id;project;date;amount\r\nK1;P1;2026-01-06;1.250,00\r\n")
    records = load_administration(upload.folder, "Adm").records
    [account] = records["accounts"]
    assert (account["statement"], account["normal_balance"], account["rgs_code"],
            account["is_blocked"]) == ("profit_and_loss", "credit", "WOmzNop", False)
    [project] = records["projects"]
    assert (project["name"], project["is_active"], project["end_date"]) == ("Rénovation", True, None)
    first, second = records["project_hours"]
    # Identical rows without an id are two registrations with two keys.
    assert first["id"].startswith("P1/2026-01-05/M01/") and second["id"] == first["id"] + "#2"
    assert first["hours"] == Decimal("7.5") and first["rate"] == Decimal("95")
    [cost] = records["project_costs"]
    assert (cost["id"], cost["amount"]) == ("K1", Decimal("1250.00"))


def test_header_aliases_are_unambiguous():
    for template in TEMPLATES.values():
        owners: dict[str, str] = {}
        for field in template.fields:
            for name in set(field.header_names):
                assert owners.setdefault(name, field.name) == field.name, (template.table, name)


EXAMPLES = PROJECT_ROOT / "docs" / "csv_templates"


@pytest.mark.parametrize("administration", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_documented_example_files_load(administration):
    records = load_administration(EXAMPLES, administration).records
    assert all(records[table] for table in TEMPLATES), {t: len(r) for t, r in records.items()}
    assert sum(r["amount"] for r in records["gl_lines"]) == 0
