"""`monitr accounts`: overrides mapped, unmapped and listed through the command line (and copied
to the warehouse at once), and an organisation's accounts listed from marts.dim_account_mappings."""

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

import monitr_pipeline.control.account_mappings as account_mappings
from monitr_pipeline.account_mapping_table import QUALIFIED_TABLE
from monitr_pipeline.cli import main
from monitr_pipeline.control.account_mappings import CHART_FILES, list_overrides
from monitr_pipeline.control.models import Entity
from monitr_pipeline.warehouse import query


@pytest.fixture
def charts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Small reference charts in the seeds' shape, read by the commands in place of the seeds."""
    directory = tmp_path / "standard_charts"
    directory.mkdir()
    (directory / CHART_FILES["RGS"]).write_text(
        "standard_code,name_nl,name_en\nBLimKasKas,Kas,Cash in hand\nWOmzNop,Netto-omzet,Revenue\n",
        encoding="utf-8")
    (directory / CHART_FILES["PCMN"]).write_text(
        "standard_code,name_nl,name_en,name_fr\n700,Verkopen,Sales,Ventes\n", encoding="utf-8")
    monkeypatch.setattr(account_mappings, "STANDARD_CHARTS_DIR", directory)
    return directory


def _organisations(control) -> tuple[int, list[int]]:
    """Organisation acme with entities Bakery and Shop; and globex with Plant."""
    organisation_id = control.ensure_organisation("acme", "Acme")
    globex = control.ensure_organisation("globex", "Globex")
    with control.session() as s:
        entities = [Entity(organisation_id=organisation_id, name=name) for name in
                    ("Bakery", "Shop")] + [Entity(organisation_id=globex, name="Plant")]
        s.add_all(entities)
        s.flush()
        return organisation_id, [entity.id for entity in entities]


@pytest.fixture
def acme(control) -> tuple[int, list[int]]:
    return _organisations(control)


def _in_warehouse(settings) -> list[tuple]:
    return query(settings, f"select organisation_id, entity_id, account_code, standard_code, "
                           f"note from {QUALIFIED_TABLE}")


def test_map_unmap_and_overrides(control, settings, charts_dir, acme, capsys):
    organisation_id, (bakery, _, _) = acme
    assert main(["accounts", "map", "acme", "1000", "BLimKasKas", "--note", "petty cash"]) == 0
    assert capsys.readouterr().out.startswith(
        "Account 1000 of every entity of acme maps to RGS BLimKasKas (Cash in hand);")
    assert main(["accounts", "map", "acme", "8000", "700", "--entity", str(bakery)]) == 0
    assert f"entity {bakery} (Bakery) of acme maps to PCMN 700 (Sales)" in capsys.readouterr().out
    # Each map is in the warehouse at once, for the next dbt build.
    assert set(_in_warehouse(settings)) == {
        (organisation_id, None, "1000", "BLimKasKas", "petty cash"),
        (organisation_id, bakery, "8000", "700", None)}

    assert main(["accounts", "overrides", "acme"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["organisation", "entity", "account", "standard", "code",
                                "standard", "name", "note", "updated"]
    assert [line.split()[:5] for line in lines[1:]] == [
        ["acme", "(every", "entity)", "1000", "BLimKasKas"],
        ["acme", str(bakery), "Bakery", "8000", "700"]]
    assert "Cash in hand" in lines[1] and "petty cash" in lines[1]

    assert main(["accounts", "unmap", "acme", "1000"]) == 0
    assert "Removed the override of account 1000 for every entity of acme (was BLimKasKas)" \
        in capsys.readouterr().out
    assert _in_warehouse(settings) == [(organisation_id, bakery, "8000", "700", None)]
    assert [o.account_code for o in list_overrides(control)] == ["8000"]


def test_refusals_name_what_is_wrong(control, settings, charts_dir, acme, capsys):
    _, (bakery, _, plant) = acme
    assert main(["accounts", "map", "acme", "1000", "BLimKasBank", "--entity", str(bakery)]) == 2
    assert (f"standard code 'BLimKasBank' for account 1000 of entity {bakery} (Bakery) of "
            "organisation acme: not in the RGS reference chart") in capsys.readouterr().err
    assert main(["accounts", "map", "acme", "1000", "700", "--entity", str(plant)]) == 2
    assert f"entity {plant} is not an entity of organisation acme" in capsys.readouterr().err
    assert main(["accounts", "map", "initech", "1000", "700"]) == 2
    assert "no organisation 'initech'" in capsys.readouterr().err
    assert main(["accounts", "unmap", "acme", "1000"]) == 2
    assert "no override of account 1000 for organisation acme" in capsys.readouterr().err
    assert list_overrides(control) == []


def test_map_is_saved_when_the_warehouse_is_down(control, settings, charts_dir, acme, capsys,
                                                 monkeypatch):
    """The control plane holds the override; the warehouse copy waits for the next dbt build."""
    monkeypatch.setenv("MONITR_WAREHOUSE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["accounts", "map", "acme", "1000", "700"]) == 0
    captured = capsys.readouterr()
    assert "maps to PCMN 700 (Sales)" in captured.out
    assert "not copied to the warehouse yet (OperationalError" in captured.err
    assert [(o.account_code, o.standard_code) for o in list_overrides(control)] == [("1000", "700")]


def test_overrides_of_no_organisation_yet(control, charts_dir, capsys):
    assert main(["accounts", "overrides"]) == 0
    assert capsys.readouterr().out.startswith("No account mapping overrides yet")


def test_list_before_the_mart_exists_says_how_to_make_it(settings, acme, capsys):
    assert main(["accounts", "list", "acme"]) == 2
    assert "run an import / `monitr transform` first" in capsys.readouterr().err
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.connect(str(settings.duckdb_path)).close()  # a warehouse, but no mart in it
    assert main(["accounts", "list", "acme"]) == 2
    assert "has no marts.dim_account_mappings yet" in capsys.readouterr().err


# A tiny dim_account_mappings in docs/reporting.md's columns (the mart's own tests are dbt's).
MAPPINGS = [
    # provider, entity (index into acme's entities), account, name, chart, code, standard name,
    # source, rule, confidence, is_mapped
    ("exact_online", 0, "1000", "Kas", "RGS", "BLimKasKas", "Cash in hand", "override",
     "override_entity", 1.0, True),
    ("exact_online", 0, "8000", "Omzet", "RGS", "WOmzNop", "Revenue", "proposal", "name_match",
     0.6, True),
    ("exact_online", 0, "9999", "Diverse", "RGS", None, None, None, None, None, False),
    ("twinfield", 1, "1000", "Kas", "RGS", None, None, None, None, None, False),
    ("twinfield", 2, "1000", "Kas", "PCMN", "570", "Cash", "provider", "provider_code", 1.0,
     True),
]


def _create_mappings_mart(settings, control, acme) -> None:
    """MAPPINGS as marts.dim_account_mappings in the warehouse (DuckDB or Postgres)."""
    organisation_id, entities = acme
    globex = control.organisation_id("globex")
    create = """create table marts.dim_account_mappings (
        account_mapping_key text, provider text, organisation_id bigint, entity_id bigint,
        account_code text, account_name text, country text, standard_chart text,
        standard_code text, standard_name text, report_section text, mapping_source text,
        mapping_rule text, confidence decimal(5, 4), is_mapped boolean)"""
    rows = [(f"{provider}-{entity}-{code}", provider,
             globex if entity == 2 else organisation_id, entities[entity], code, name,
             "BE" if chart == "PCMN" else "NL", chart, standard, standard_name, None, source,
             rule, confidence, mapped)
            for (provider, entity, code, name, chart, standard, standard_name, source, rule,
                 confidence, mapped) in MAPPINGS]
    insert = f"insert into marts.dim_account_mappings values ({', '.join(['?'] * 15)})"
    if settings.warehouse_url:
        import psycopg2

        with psycopg2.connect(settings.warehouse_url) as connection, \
                connection.cursor() as cursor:
            cursor.execute("create schema marts")
            cursor.execute(create)
            cursor.executemany(insert.replace("?", "%s"), rows)
        connection.close()
        return
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.duckdb_path)) as connection:
        connection.execute("create schema marts")
        connection.execute(create)
        connection.executemany(insert, rows)


@pytest.fixture
def mappings_mart(settings, control, acme) -> None:
    _create_mappings_mart(settings, control, acme)


def _shares(out: str) -> list[str]:
    """The lines after the table: the share mapped per entity (when several) and in all."""
    return [line.strip() for line in out.splitlines() if " accounts of " in line]


def _listed(out: str) -> list[list[str]]:
    """The table's rows as (provider, entity id, account, ...) cells split on whitespace."""
    return [line.split() for line in out.splitlines()[1:] if " accounts of " not in line]


def test_list_shows_the_organisations_accounts_and_mapped_share(mappings_mart, acme, capsys):
    _, (bakery, shop, _) = acme
    assert main(["accounts", "list", "acme"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["provider", "entity", "account", "name", "standard",
                                           "code", "standard", "name", "source", "rule",
                                           "confidence"]
    assert _listed(out) == [
        ["exact_online", str(bakery), "Bakery", "1000", "Kas", "RGS", "BLimKasKas", "Cash", "in",
         "hand", "override", "override_entity", "1.00"],
        ["exact_online", str(bakery), "Bakery", "8000", "Omzet", "RGS", "WOmzNop", "Revenue",
         "proposal", "name_match", "0.60"],
        ["exact_online", str(bakery), "Bakery", "9999", "Diverse", "-", "-", "-", "-", "-"],
        ["twinfield", str(shop), "Shop", "1000", "Kas", "-", "-", "-", "-", "-"]]
    # globex's account is not acme's.
    assert _shares(out) == [
        f"2 of 3 accounts of entity {bakery} (Bakery) mapped (67%)",
        f"0 of 1 accounts of entity {shop} (Shop) mapped (0%)",
        "2 of 4 accounts of organisation acme mapped (50%); map the others with `monitr accounts "
        "map`."]


def test_map_notes_an_account_no_import_brought(mappings_mart, charts_dir, acme, capsys):
    _, (bakery, shop, _) = acme
    assert main(["accounts", "map", "acme", "8000", "WOmzNop", "--entity", str(bakery)]) == 0
    assert capsys.readouterr().err == ""
    # Bakery has no account 4242, and Shop has no 8000 (Bakery's is not Shop's).
    for account, entity, name in (("4242", bakery, "Bakery"), ("8000", shop, "Shop")):
        assert main(["accounts", "map", "acme", account, "WOmzNop", "--entity", str(entity)]) == 0
        assert (f"monitr: note: entity {entity} ({name}) of acme has no imported account "
                f"{account} in marts.dim_account_mappings") in capsys.readouterr().err
    assert main(["accounts", "map", "acme", "9999", "WOmzNop"]) == 0
    assert capsys.readouterr().err == ""


def test_map_notes_a_code_of_the_other_countrys_chart(mappings_mart, charts_dir, acme, capsys):
    _, (bakery, _, _) = acme
    # Bakery's accounts are on RGS (an NL entity); 700 is a PCMN code.
    assert main(["accounts", "map", "acme", "8000", "700", "--entity", str(bakery)]) == 0
    assert (f"monitr: note: the accounts of entity {bakery} (Bakery) of acme are on RGS, and 700 "
            "is a PCMN code") in capsys.readouterr().err


def test_list_unmapped_of_one_entity(mappings_mart, acme, capsys):
    _, (bakery, _, plant) = acme
    assert main(["accounts", "list", "acme", "--entity", str(bakery), "--unmapped"]) == 0
    out = capsys.readouterr().out
    assert [row[3] for row in _listed(out)] == ["9999"]
    assert _shares(out) == [f"2 of 3 accounts of entity {bakery} (Bakery) mapped (67%); map the "
                            "others with `monitr accounts map`."]
    assert main(["accounts", "list", "acme", "--entity", str(plant)]) == 2
    assert f"entity {plant} is not an entity of organisation acme" in capsys.readouterr().err



@pytest.mark.postgres
def test_list_and_map_on_postgres(postgres_warehouse, tmp_path, monkeypatch, capsys):
    """The production warehouse: the list reads the mart there, and a map is copied there."""
    from monitr_pipeline.control.service import ControlPlane
    from monitr_pipeline.settings import Settings

    with postgres_warehouse("accounts_cli"):
        settings = Settings.from_env()
        assert settings.warehouse_url
        control = ControlPlane.from_settings(settings)
        acme = _organisations(control)
        _create_mappings_mart(settings, control, acme)
        organisation_id, (bakery, _, _) = acme
        assert main(["accounts", "list", "acme", "--unmapped"]) == 0
        out = capsys.readouterr().out
        assert [row[3] for row in _listed(out)] == ["9999", "1000"]
        assert _shares(out)[-1].startswith("2 of 4 accounts of organisation acme mapped")

        charts = tmp_path / "charts"
        charts.mkdir()
        (charts / CHART_FILES["RGS"]).write_text("standard_code\nBLimKasKas\n", encoding="utf-8")
        (charts / CHART_FILES["PCMN"]).write_text("standard_code\n700\n", encoding="utf-8")
        monkeypatch.setattr(account_mappings, "STANDARD_CHARTS_DIR", charts)
        assert main(["accounts", "map", "acme", "9999", "BLimKasKas", "--entity", str(bakery)]) == 0
        assert _in_warehouse(settings) == [(organisation_id, bakery, "9999", "BLimKasKas", None)]

# The real chain, once per module: one Exact entity of the sandbox imported, two overrides set
# (one by `monitr accounts map`, which copies it to the warehouse at once; one in the control
# plane alone, which only the dbt build copies), dim_account_mappings built through the transform
# job (as `monitr transform` runs it), and the accounts listed from the warehouse.
WORLD_PROVIDERS = ("exact_online",)
PROVIDER = "exact_online"


@dataclass(frozen=True)
class Chain:
    connection: object
    ledger: object
    by_cli: tuple[str, str]  # (account, standard code): the entity's, by `monitr accounts map`
    in_control_plane: tuple[str, str]  # the organisation's, set in the control plane alone
    list_output: str

    @property
    def mapped(self) -> dict[str, str]:
        return dict([self.by_cli, self.in_control_plane])


def _ledger(world, connection):
    """The emulator's ledger of the connection's administration (Exact's divisions are ints)."""
    emulator = world.sandbox.emulators[(connection.provider, connection.environment)]
    return emulator.ledger(int(connection.external_id))


@pytest.fixture(scope="module")
def chain(world) -> Chain:
    from monitr_pipeline.control.account_mappings import StandardCharts, set_override
    from monitr_pipeline.definitions import defs
    from monitr_pipeline.runner import dbt_models, run_import, run_transform_job

    connection = world.connections(PROVIDER)[0]
    assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    ledger = _ledger(world, connection)
    by_cli, in_control_plane = ledger.accounts[:2]
    # Codes of the reference chart that no proposal or provider would give these accounts.
    rgs = sorted(StandardCharts.from_dir().codes["RGS"])
    chosen = [code for code in rgs if len(code) >= 10
              and code not in (by_cli.rgs_code, in_control_plane.rgs_code)][:2]
    slug, entity = connection.organisation_slug, str(connection.entity_id)
    assert main(["accounts", "map", slug, by_cli.code, chosen[0], "--entity", entity]) == 0
    set_override(world.control, world.organisation_id, in_control_plane.code, chosen[1],
                 note="not copied by the CLI")
    with pytest.MonkeyPatch.context() as patch:
        # Only the tests whose every parent is built: a singular test over dim_account_mappings
        # and marts this build leaves out (open items against control accounts) would fail on
        # their absence under dbt's default (eager) selection.
        patch.setenv("DBT_INDIRECT_SELECTION", "cautious")
        outcome = run_transform_job(defs, world.instance,
                                    models=dbt_models(defs, "+dim_account_mappings"))
    assert outcome.success, outcome.error
    assert not outcome.failed_tests, outcome.failed_tests
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        assert main(["accounts", "list", slug, "--entity", entity]) == 0
    return Chain(connection, ledger, (by_cli.code, chosen[0]), (in_control_plane.code, chosen[1]),
                 printed.getvalue())


def test_every_dbt_build_writes_the_overrides_first(world, chain):
    """The override set in the control plane alone is in monitr.account_mapping_overrides after
    the dbt build, beside the one `monitr accounts map` copied."""
    assert set(_in_warehouse(world.settings)) == {
        (world.organisation_id, chain.connection.entity_id, *chain.by_cli, None),
        (world.organisation_id, None, *chain.in_control_plane, "not copied by the CLI")}


def _table(out: str) -> list[dict[str, str]]:
    """The printed table's rows as header -> cell, cut at the header's column starts (names hold
    spaces, so splitting on whitespace would not do); the last line (the share) left out."""
    header, *lines = out.splitlines()
    names = ["provider", "entity", "account", "name", "standard code", "standard name", "source",
             "rule", "confidence"]
    starts = [header.index(name) for name in names]
    ends = [*starts[1:], None]
    return [{name: line[start:end].strip() for name, start, end in zip(names, starts, ends)}
            for line in lines if " accounts of " not in line]


def test_list_shows_the_built_mappings_with_the_overrides_winning(chain):
    """Every account of the emulator's chart (and every account booked on), both overrides
    winning over the provider's code and the proposals, and the share mapped."""
    rows = _table(chain.list_output)
    booked = {line.account_code for _, line in chain.ledger.lines()}
    assert {row["account"] for row in rows} == {a.code for a in chain.ledger.accounts} | booked
    assert {row["provider"] for row in rows} == {PROVIDER}
    overridden = {row["account"]: (row["standard code"], row["source"], row["confidence"])
                  for row in rows if row["account"] in chain.mapped}
    assert overridden == {code: (f"RGS {standard}", "override", "1.00")
                          for code, standard in chain.mapped.items()}
    mapped = sum(1 for row in rows if row["standard code"] != "-")
    entity = chain.connection
    assert chain.list_output.splitlines()[-1].startswith(
        f"{mapped} of {len(rows)} accounts of entity {entity.entity_id} ({entity.entity_name}) "
        "mapped")
