"""A bad upload is rejected as a whole, each problem named by file, line, field and reason."""

import pytest

from monitr_pipeline.providers.csv_import.problems import CsvImportError, Problem
from monitr_pipeline.providers.csv_import.upload import load_administration

HEADER = "Dagboek;Boekstuk;Regel;Datum;Grootboekrekening;Omschrijving;Bedrag\r\n"
GOOD = (HEADER +
        "70;1;1;05-01-2026;1300;Factuur;121,00\r\n"
        "70;1;2;05-01-2026;8000;Omzet;-100,00\r\n"
        "70;1;3;05-01-2026;1500;Btw;-21,00\r\n")


def _problems(upload) -> list[Problem]:
    with pytest.raises(CsvImportError) as raised:
        load_administration(upload.folder, "Adm")
    return raised.value.problems


def test_a_good_upload_loads(with_accounts):
    with_accounts.write("gl_lines.csv", GOOD)
    assert len(load_administration(with_accounts.folder, "Adm").records["gl_lines"]) == 3


@pytest.mark.parametrize(("row", "field", "reason"), [
    ("70;1;3;05-01-2026;1500;Btw;-21,0x", "amount", "'-21,0x' is not a number"),
    ("70;1;3;31-02-2026;1500;Btw;-21,00", "date", "'31-02-2026' is not an existing date"),
    ("70;1;3;05-01-26;1500;Btw;-21,00", "date", "two-digit year"),
    ("70;1;3;;1500;Btw;-21,00", "date", "is empty"),
    ("70;1;3;05-01-2026;1500;Btw;", "amount", "is empty"),
    ("70;1;3;05-01-2026;9999;Btw;-21,00", "account_code", "account '9999' is not in the "
                                                          "administration's accounts*.csv"),
    ("70;1;2;05-01-2026;1500;Btw;-21,00", "line_number", "GL line '2026/70/1/2' is also on "
                                                         "Adm/gl_lines.csv line 3"),
    ("70;1;x;05-01-2026;1500;Btw;-21,00", "line_number", "'x' is not a whole number"),
    ("70;1;3;05-01-2026;1500;Btw;-21,001", "amount", "more than 2 decimals"),
])
def test_a_bad_cell_is_named_by_file_line_field_and_reason(with_accounts, row, field, reason):
    with_accounts.write("gl_lines.csv", GOOD.rsplit("\r\n", 2)[0] + "\r\n" + row + "\r\n")
    problems = _problems(with_accounts)
    bad = [p for p in problems if p.field == field]
    assert bad and bad[0].file == "Adm/gl_lines.csv" and bad[0].line == 4, problems
    assert reason in bad[0].reason


def test_the_error_message_lists_the_problems(with_accounts):
    with_accounts.write("gl_lines.csv", GOOD.replace("121,00", "121,0x"))
    with pytest.raises(CsvImportError) as raised:
        load_administration(with_accounts.folder, "Adm")
    message = str(raised.value)
    assert message.startswith("rejected 1 uploaded file(s) (Adm/gl_lines.csv); nothing was "
                              "imported, earlier data is unchanged.")
    assert ("Adm/gl_lines.csv line 2, field 'amount' (column 'Bedrag'): '121,0x' is not a number"
            in message)


def test_an_unbalanced_entry_is_named(with_accounts):
    with_accounts.write("gl_lines.csv", GOOD.replace("-21,00", "-20,00"))
    [problem] = _problems(with_accounts)
    assert (problem.file, problem.line, problem.field) == ("Adm/gl_lines.csv", 2, "amount")
    assert problem.reason == ("entry 1 (journal 70, fiscal year 2026; lines 2, 3, 4) does not "
                              "balance: debit 121.00, credit 120.00, difference 1.00")


def test_a_file_with_one_bad_row_loads_nothing_of_the_administration(with_accounts):
    # Even the good files of the administration are held back: SNAPSHOT must not see a partial folder.
    with_accounts.write("gl_lines_a.csv", GOOD)
    with_accounts.write("gl_lines_b.csv", HEADER + "90;2;1;06-01-2026;1100;Memo;5,00\r\n"
                                                   "90;2;2;06-01-2026;4000;Memo;-5,0O\r\n")
    problems = _problems(with_accounts)
    assert [(p.file, p.line, p.field) for p in problems] == [("Adm/gl_lines_b.csv", 3, "amount")]


def test_an_overlapping_export_is_a_duplicate_not_a_double_count(with_accounts):
    with_accounts.write("gl_lines_january.csv", GOOD)
    with_accounts.write("gl_lines_q1.csv", GOOD)
    problems = _problems(with_accounts)
    assert len(problems) == 3
    assert problems[0] == Problem("Adm/gl_lines_q1.csv", 2, "line_number",
                                  "GL line '2026/70/1/1' is also on Adm/gl_lines_january.csv line 2",
                                  ("Regel",))


@pytest.mark.parametrize(("content", "reason"), [
    ("Datum;Bedrag\r\n05-01-2026;1,00\r\n", "no header row naming the required columns "
                                            "(entry_number, date, account_code, amount or debit "
                                            "or credit)"),
    (HEADER.replace("Bedrag", "Bedrag;Debet") + "70;1;1;05-01-2026;1300;F;1,00;1,00\r\n",
     "either one signed amount column or debit/credit columns"),
    (HEADER.replace("Bedrag", "Bedrag;Montant") + "70;1;1;05-01-2026;1300;F;1,00;1,00\r\n",
     "field 'amount' (columns 'Bedrag'/'Montant'): named by two columns; keep one of them"),
    (HEADER + "70;1;1;05-01-2026;1300;F;1,00;extra\r\n", "8 cells where the header has 7"),
    (HEADER + "70;1;1;05-01-2026;1300;F;1,50\r\n70;1;2;05-01-2026;1300;F;-1.50\r\n",
     "decimal commas ('1,50') and decimal points ('-1.50') are mixed"),
])
def test_file_level_problems(with_accounts, content, reason):
    with_accounts.write("gl_lines.csv", content)
    problems = _problems(with_accounts)
    assert any(reason in str(p) and p.file == "Adm/gl_lines.csv" for p in problems), problems


def test_currency_is_one_per_administration(with_accounts):
    with_accounts.write("gl_lines.csv", (
        "Dagboek;Boekstuk;Datum;Rekening;Bedrag;Valuta\r\n"
        "90;1;05-01-2026;1100;10,00;EUR\r\n90;1;05-01-2026;4000;-10,00;USD\r\n"))
    [problem] = _problems(with_accounts)
    assert (problem.line, problem.field) == (3, "currency")
    assert problem.reason.startswith("USD differs from EUR on Adm/gl_lines.csv line 2")


def test_files_that_cannot_be_read_are_named(upload):
    upload.write("gl_lines.csv", GOOD)  # no accounts*.csv next to it
    upload.write("grootboek.csv", "Rekening;Saldo\r\n1100;5,00\r\n")  # which table is that?
    upload.write("gl_lines.xlsx", b"PK\x03\x04")
    upload.write("~$gl_lines.csv", b"lock file")  # Excel's lock file: ignored
    upload.write("notes.txt", "not data")  # ignored
    reasons = {p.file: p.reason for p in _problems(upload)}
    assert reasons["Adm/grootboek.csv"] == (
        "the file name does not start with a table name and its header has the required columns "
        "of no table (columns seen: 'Rekening', 'Saldo'); rename it to gl_lines_grootboek.csv, "
        "accounts_grootboek.csv, projects_grootboek.csv, project_hours_grootboek.csv or "
        "project_costs_grootboek.csv")
    assert reasons["Adm/gl_lines.xlsx"] == "a spreadsheet workbook; save it as CSV"
    assert reasons["Adm/accounts*.csv"] == "missing: gl_lines files need the accounts they refer to"


def test_hours_and_costs_need_known_projects(upload):
    upload.write("projects.csv", "code;name\r\nP1;Project 1\r\n")
    upload.write("project_hours.csv", "project;date;employee;hours\r\n"
                                      "P2;05-01-2026;M1;8\r\nP1;05-01-2026;M1;25\r\n")
    upload.write("project_costs.csv", "project;date;amount\r\nP9;05-01-2026;10,00\r\n")
    problems = [(p.file, p.line, p.field, p.reason) for p in _problems(upload)]
    assert problems == [
        ("Adm/project_hours.csv", 2, "project_code",
         "project 'P2' is not in the administration's projects*.csv"),
        ("Adm/project_hours.csv", 3, "hours", "25.0000 hours in one row (more than 24)"),
        ("Adm/project_costs.csv", 2, "project_code",
         "project 'P9' is not in the administration's projects*.csv"),
    ]


def test_hours_need_an_employee_column(upload):
    upload.write("projects.csv", "code;name\r\nP1;Project 1\r\n")
    upload.write("project_hours.csv", "project;date;hours\r\nP1;05-01-2026;8\r\n")
    [problem] = _problems(upload)
    assert "employee_code or employee_name" in problem.reason


def test_a_missing_administration_folder_fails_instead_of_deleting_everything(upload):
    upload.folder.mkdir(parents=True)
    [problem] = _problems(upload)
    assert problem.file == "Adm" and "no such administration folder" in problem.reason
