"""Account mapping overrides in the control plane: set, replace, remove and list them, scoped to an
organisation (and one of its entities), with codes checked against the reference charts."""

from pathlib import Path

import pytest

from monitr_pipeline.control.account_mappings import (
    CHART_FILES,
    STANDARD_CHARTS_DIR,
    AccountMappingError,
    StandardCharts,
    list_overrides,
    remove_override,
    set_override,
)
from monitr_pipeline.control.models import Entity


@pytest.fixture
def charts(tmp_path: Path) -> StandardCharts:
    """Two small reference charts in the seeds' shape (only the columns read here)."""
    (tmp_path / CHART_FILES["RGS"]).write_text(
        "standard_code,level,name_nl,name_en\n"
        "BLim,2,Liquide middelen,Cash\n"
        "BLimKasKas,4,Kas,Cash in hand\n"
        "WOmzNop,3,Netto-omzet,Revenue\n", encoding="utf-8")
    (tmp_path / CHART_FILES["PCMN"]).write_text(
        "standard_code,level,name_nl,name_en,name_fr\n"
        "55,2,Kredietinstellingen,Credit institutions,Etablissements de credit\n"
        "700,3,Verkopen,Sales,Ventes\n", encoding="utf-8")
    return StandardCharts.from_dir(tmp_path)


def _organisation(control, slug: str, entities: tuple[str, ...]) -> tuple[int, list[int]]:
    organisation_id = control.ensure_organisation(slug, slug.title())
    with control.session() as s:
        made = [Entity(organisation_id=organisation_id, name=name) for name in entities]
        s.add_all(made)
        s.flush()
        return organisation_id, [entity.id for entity in made]


def _listed(control, organisation_id=None):
    return [(o.organisation_slug, o.entity_id, o.account_code, o.standard_code, o.note)
            for o in list_overrides(control, organisation_id)]


def test_an_override_is_set_replaced_and_removed(control, charts):
    acme, (bakery, shop) = _organisation(control, "acme", ("Bakery", "Shop"))
    made = set_override(control, acme, "1000", "BLimKasKas", note="petty cash", charts=charts)
    assert (made.entity_id, made.entity_name, made.organisation_slug) == (None, None, "acme")
    set_override(control, acme, "1000", "BLim", entity_id=shop, charts=charts)
    # The same account again is a replacement, not a second row.
    set_override(control, acme, "1000", "WOmzNop", charts=charts)
    assert _listed(control, acme) == [("acme", None, "1000", "WOmzNop", None),
                                      ("acme", shop, "1000", "BLim", None)]

    removed = remove_override(control, acme, "1000", entity_id=shop)
    assert (removed.entity_name, removed.standard_code) == ("Shop", "BLim")
    assert _listed(control, acme) == [("acme", None, "1000", "WOmzNop", None)]
    with pytest.raises(AccountMappingError, match=r"no override of account 1000 for entity "
                                                  rf"{bakery} \(Bakery\) of organisation acme"):
        remove_override(control, acme, "1000", entity_id=bakery)


def test_replacing_moves_updated_at_and_keeps_created_at(control, charts):
    acme, _ = _organisation(control, "acme", ())
    first = set_override(control, acme, "700000", "700", charts=charts)
    again = set_override(control, acme, "700000", "55", note="bank", charts=charts)
    [listed] = list_overrides(control, acme)
    assert listed.created_at.replace(tzinfo=None) == first.created_at.replace(tzinfo=None)
    assert again.updated_at > first.updated_at
    assert (listed.standard_code, listed.note) == ("55", "bank")


def test_codes_of_either_chart_are_accepted_and_spelled_as_the_chart_does(control, charts):
    acme, (bakery,) = _organisation(control, "acme", ("Bakery",))
    set_override(control, acme, "8000", "womznop", entity_id=bakery, charts=charts)
    set_override(control, acme, "550000", "55", entity_id=bakery, charts=charts)
    assert _listed(control) == [("acme", bakery, "550000", "55", None),
                                ("acme", bakery, "8000", "WOmzNop", None)]


@pytest.mark.parametrize(("code", "why"), [
    ("BLimKasBank", "not in the RGS reference chart"),
    ("5500", "not in the PCMN reference chart"),
    ("X12", "neither an RGS code"),
])
def test_an_unknown_code_is_refused_naming_code_and_entity(control, charts, code, why):
    acme, (bakery,) = _organisation(control, "acme", ("Bakery",))
    with pytest.raises(AccountMappingError) as refused:
        set_override(control, acme, "1000", code, entity_id=bakery, charts=charts)
    assert str(refused.value).startswith(
        f"standard code {code!r} for account 1000 of entity {bakery} (Bakery) of organisation "
        f"acme: {why}")
    assert list_overrides(control) == []


def test_an_entity_of_another_organisation_is_refused(control, charts):
    acme, _ = _organisation(control, "acme", ("Bakery",))
    _, (other,) = _organisation(control, "globex", ("Plant",))
    with pytest.raises(AccountMappingError, match=f"entity {other} is not an entity of "
                                                  "organisation acme"):
        set_override(control, acme, "1000", "BLim", entity_id=other, charts=charts)
    with pytest.raises(AccountMappingError, match=f"entity {other} is not an entity of "
                                                  "organisation acme"):
        remove_override(control, acme, "1000", entity_id=other)


def test_overrides_are_listed_per_organisation(control, charts):
    acme, _ = _organisation(control, "acme", ())
    globex, (plant,) = _organisation(control, "globex", ("Plant",))
    set_override(control, acme, "1000", "BLim", charts=charts)
    set_override(control, globex, "1000", "55", entity_id=plant, charts=charts)
    set_override(control, globex, "1000", "BLim", charts=charts)
    assert _listed(control, globex) == [("globex", None, "1000", "BLim", None),
                                        ("globex", plant, "1000", "55", None)]
    assert [o.organisation_slug for o in list_overrides(control)] == ["acme", "globex", "globex"]
    # Removing one organisation's override leaves the other's.
    remove_override(control, acme, "1000")
    assert _listed(control, acme) == []
    assert len(list_overrides(control, globex)) == 2


def test_one_organisation_wide_override_per_account_in_the_database(control, charts):
    """Even written around set_override, the control plane holds one organisation-wide override
    of an account (SQL's unique constraints count NULL entities as distinct; the index does not)."""
    from sqlalchemy.exc import IntegrityError

    from monitr_pipeline.control.models import AccountMappingOverride

    acme, (bakery,) = _organisation(control, "acme", ("Bakery",))
    for entity_id in (None, bakery):
        with pytest.raises(IntegrityError), control.session() as s:
            s.add_all([AccountMappingOverride(organisation_id=acme, entity_id=entity_id,
                                              account_code="1000", standard_code=code)
                       for code in ("BLim", "55")])


def test_the_default_charts_are_the_dbt_seeds():
    if not all((STANDARD_CHARTS_DIR / name).exists() for name in CHART_FILES.values()):
        pytest.skip("the standard_charts seeds are not in the dbt project yet")
    charts = StandardCharts.from_dir()
    assert charts.codes["RGS"] and charts.codes["PCMN"]
    assert all(charts.chart_of(code) == "RGS" for code in charts.codes["RGS"])
    assert all(charts.chart_of(code) == "PCMN" for code in charts.codes["PCMN"])
