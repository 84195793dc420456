"""Problems speak the file's words: its column headers, its debit/credit split, its own file name
(recognised by header), and one problem for one missing file rather than one per line."""

import pytest

from monitr_pipeline.providers.csv_import.problems import CsvImportError, Problem
from monitr_pipeline.providers.csv_import.upload import load_administration

# A Dutch package's journal export: debit and credit in two columns, no line numbers.
SPLIT = ("Datum;Rekening;Omschrijving;Debet;Credit;Boekstuk\r\n"
         "05-01-2026;1300;Factuur 2026-001;121,00;;26001\r\n"
         "05-01-2026;8000;Omzet;;100,00;26001\r\n"
         "05-01-2026;1500;Btw;;21,00;26001\r\n")
# A Belgian (French) one, as Windows Excel saves it.
FRENCH = ("Date;Compte;Libellé;Débit;Crédit;N° pièce\r\n"
          "05/01/2026;1300;Facture 2026/001;121,00;0,00;V26001\r\n"
          "05/01/2026;8000;Ventes;0,00;100,00;V26001\r\n"
          "05/01/2026;1500;TVA due;0,00;21,00;V26001\r\n")


def _problems(upload) -> list[Problem]:
    with pytest.raises(CsvImportError) as raised:
        load_administration(upload.folder, "Adm")
    return raised.value.problems


# --- 1. the column as the file heads it -------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("05-01-2026;8000", "31-02-2026;8000",
     "Adm/gl_lines.csv line 3, field 'date' (column 'Datum'): '31-02-2026' is not an existing "
     "date"),
    (";100,00;", ";100,0x;",
     "Adm/gl_lines.csv line 3, field 'credit' (column 'Credit'): '100,0x' is not a number"),
    ("05-01-2026;8000", "05-01-0201;8000",  # a typo'd year: the fiscal year comes from the date
     "Adm/gl_lines.csv line 3, field 'date' (column 'Datum'): year 201 is out of range "
     "(1900-2200)"),
    ("8000;Omzet", "9999;Omzet",
     "Adm/gl_lines.csv line 3, field 'account_code' (column 'Rekening'): account '9999' is not "
     "in the administration's accounts*.csv"),
    (";26001\r\n05-01-2026;8000", ";\r\n05-01-2026;8000",
     "Adm/gl_lines.csv line 2, field 'entry_number' (column 'Boekstuk'): is empty"),
])
def test_a_cell_problem_names_the_column_as_the_file_heads_it(with_accounts, old, new, expected):
    with_accounts.write("gl_lines.csv", SPLIT.replace(old, new, 1))
    assert expected in [str(p) for p in _problems(with_accounts)]


def test_a_missing_column_says_which_headers_would_be_accepted(with_accounts):
    with_accounts.write("gl_lines.csv", "Datum;Rekening;Omschrijving;Bedrag\r\n"
                                        "05-01-2026;1300;Factuur;121,00\r\n")
    [problem] = _problems(with_accounts)
    assert problem.reason.startswith("no header row naming the required columns")
    assert ("the nearest, line 1 ('Datum', 'Rekening', 'Omschrijving', 'Bedrag'), has no column "
            "for entry_number (accepted headers: 'entry_number', 'entry', 'boekstuk', "
            "'boekstuknummer', ") in problem.reason
    assert "account_code (accepted" not in problem.reason  # Rekening is there


def test_an_indicator_column_without_an_amount_column_names_the_accepted_headers(with_accounts):
    with_accounts.write("gl_lines.csv", SPLIT.replace("Boekstuk", "Boekstuk;D/C")
                        .replace("26001\r\n", "26001;D\r\n"))
    [problem] = _problems(with_accounts)
    assert str(problem) == ("Adm/gl_lines.csv line 1, field 'side' (column 'D/C'): a debit/credit "
                            "indicator column needs an amount column (accepted headers: 'amount', "
                            "'bedrag', 'montant', 'amount dc', 'bedrag eur')")


# --- 2. debit and credit, never 'amount', where the file splits them ---------------------------

def test_empty_debit_and_credit_are_named_by_their_columns(with_accounts):
    with_accounts.write("gl_lines.csv", SPLIT.replace(";;21,00;", ";;;"))
    [problem] = _problems(with_accounts)
    assert str(problem) == ("Adm/gl_lines.csv line 4, fields 'debit'/'credit' "
                            "(columns 'Debet'/'Credit'): are both empty")


def test_an_unbalanced_split_entry_speaks_of_debit_and_credit(with_accounts):
    with_accounts.write("gl_lines_2026.csv", FRENCH.replace("0,00;21,00", "0,00;20,00"),
                        encoding="cp1252")
    [problem] = _problems(with_accounts)
    assert str(problem) == (
        "Adm/gl_lines_2026.csv line 2, fields 'debit'/'credit' (columns 'Débit'/'Crédit'): entry "
        "V26001 (fiscal year 2026; lines 2, 3, 4) does not balance: debit 121.00, credit 120.00, "
        "difference 1.00")
    assert "amount" not in str(problem)


def test_amount_and_debit_credit_together_name_all_three_columns(with_accounts):
    with_accounts.write("gl_lines.csv", SPLIT.replace("Boekstuk", "Boekstuk;Bedrag")
                        .replace("26001\r\n", "26001;1,00\r\n"))
    [problem] = _problems(with_accounts)
    assert str(problem).startswith("Adm/gl_lines.csv line 1, fields 'amount'/'debit'/'credit' "
                                   "(columns 'Bedrag'/'Debet'/'Credit'): give either one")


# --- 3. a missing file is one problem -----------------------------------------------------------

def test_gl_lines_without_accounts_are_one_problem_not_one_per_line(upload):
    lines = "".join(f"05-01-2026;1100;Ontvangst {n};10,00;;{n}\r\n"
                    f"05-01-2026;1300;Ontvangst {n};;10,00;{n}\r\n" for n in range(1, 501))
    upload.write("gl_lines_2026.csv", SPLIT.split("\r\n")[0] + "\r\n" + lines)
    assert [str(p) for p in _problems(upload)] == [
        "Adm/accounts*.csv: missing: gl_lines files need the accounts they refer to"]


def test_an_unreadable_accounts_file_is_not_blamed_on_every_line(upload):
    upload.write("accounts.csv", "Rekening;Saldo\r\n1100;5,00\r\n")  # no name column
    upload.write("gl_lines.csv", SPLIT)
    [problem] = _problems(upload)
    assert problem.file == "Adm/accounts.csv"
    assert "no column for name (accepted headers: 'name', 'description', 'omschrijving'" in (
        problem.reason)


def test_hours_and_costs_without_projects_are_one_problem(upload):
    upload.write("project_hours.csv", "Project;Datum;Medewerker;Uren\r\n"
                                      "P1;05-01-2026;M1;8\r\nP2;05-01-2026;M1;4\r\n")
    upload.write("project_costs.csv", "Project;Datum;Bedrag\r\nP1;05-01-2026;10,00\r\n")
    assert [str(p) for p in _problems(upload)] == [
        "Adm/projects*.csv: missing: project_hours and project_costs files need the projects they "
        "refer to"]


# --- 4. a file's table from its header ------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "encoding"), [
    ("export_2025.csv", SPLIT, "utf-8"),
    ("Journaalposten 2025.csv", SPLIT, "utf-8"),
    ("Grand livre 2025.csv", FRENCH, "cp1252"),
])
def test_a_file_named_otherwise_is_recognised_by_its_header(with_accounts, name, content,
                                                             encoding):
    with_accounts.write(name, content, encoding)
    records = load_administration(with_accounts.folder, "Adm").records["gl_lines"]
    assert [(r["source_file"], r["account_code"], r["amount"]) for r in records] == [
        (name, "1300", 121), (name, "8000", -100), (name, "1500", -21)]


def test_an_accounts_file_named_otherwise_satisfies_the_gl_lines(upload):
    upload.write("Rekeningschema.csv", "Grootboekrekening;Omschrijving;Balans/W&V\r\n"
                                       "1300;Debiteuren;B\r\n1500;Te betalen btw;B\r\n"
                                       "8000;Omzet;W\r\n")
    upload.write("gl_lines.csv", SPLIT)
    loaded = load_administration(upload.folder, "Adm")
    assert len(loaded.records["accounts"]) == 3 and len(loaded.records["gl_lines"]) == 3


def test_a_header_fitting_two_tables_says_what_to_rename_the_file_to(with_accounts):
    with_accounts.write("stamgegevens.csv", "Code;Omschrijving\r\nP1;Badkamer Jansen\r\n")
    [problem] = _problems(with_accounts)
    assert str(problem) == (
        "Adm/stamgegevens.csv: the file name does not start with a table name and its header fits "
        "accounts and projects equally well (columns seen: 'Code', 'Omschrijving'); rename it to "
        "accounts_stamgegevens.csv or projects_stamgegevens.csv")
