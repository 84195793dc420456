"""dim_account_mappings built through the transform job from real sandbox imports (Moneybird,
Octopus, Exact Online, CSV uploads), against the emulators' charts of accounts and the
standard-chart seeds read here on their own: accounts keep the RGS code their provider gives them
(Moneybird's taxonomy items, Exact's GL account classifications in the RGS scheme, a CSV upload's
RGS column) where RGS has it, Belgian accounts get the PCMN code of their longest prefix, and Dutch
accounts without a provider code (an Exact division whose classifications are refused) get
proposals that mostly agree with the RGS codes the sandbox chart gives them."""

from __future__ import annotations

import csv
import json

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("exact_online", "moneybird", "octopus", "csv_import")  # this module's world

MODELS = ("dim_account_mappings", "int_account_mapping_proposals")
# The Dutch Exact division whose GLAccountClassificationMappings answer 403, as for a licence
# without GL schemes: its import still succeeds, and its accounts, with no provider code, get
# proposals. The other Dutch division keeps the RGS codes of its classifications.
UNCLASSIFIED_DIVISION = "131002"
CLASSIFICATIONS_PATH = rf"/api/v1/{UNCLASSIFIED_DIVISION}/financial/GLAccountClassificationMappings"
STANDARD_CHARTS = DBT_PROJECT_DIR / "seeds" / "standard_charts"
# Share of the unclassified division's accounts whose proposal must be the sandbox chart's own RGS
# code: 23 of 34 when written (name keywords pick a sibling code for the rest, e.g.
# "Vooruitbetaalde kosten"); a broken keyword rule leaves only number ranges (level-2 codes, none
# equal) and falls far below.
EXACT_CODE_FLOOR = 0.6
# ... and whose proposal must at least be in the sandbox code's RGS level-3 group (its first 7
# letters): 31 of 34 when written.
GROUP_FLOOR = 0.85


def _seed(name: str) -> dict[str, dict[str, str]]:
    with open(STANDARD_CHARTS / name, newline="", encoding="utf-8") as handle:
        return {row["standard_code"]: row for row in csv.DictReader(handle)}


RGS = _seed("rgs_reference.csv")
PCMN = _seed("pcmn_reference.csv")


@pytest.fixture(scope="module")
def built(world):
    """Every entity of the module's providers imported once, and dim_account_mappings built with
    everything it reads."""
    connections = [c for provider in WORLD_PROVIDERS for c in world.connections(provider)]
    refused = json.dumps({"error": {"code": "", "message": {
        "lang": "", "value": "Forbidden - Application Scope Violated"}}})
    exact_nl = world.sandbox.emulators[("exact_online", "nl")]
    exact_nl.inject_fault(CLASSIFICATIONS_PATH, 403, body=refused)
    for connection in connections:
        assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    outcome = run_transform_job(defs, world.instance,
                                models=dbt_models(defs, " ".join(f"+{m}" for m in MODELS)))
    assert outcome.success, outcome.error
    ours = [failed for failed in outcome.failed_tests if any(m in failed for m in MODELS)]
    assert not ours, ours
    return connections


def _ledger(world, connection):
    emulator = world.sandbox.emulators[(connection.provider, connection.environment)]
    key = connection.external_id
    return emulator.ledger(int(key) if connection.provider == "exact_online" else key)


def _chart(world, connection):
    return _ledger(world, connection).chart


def _mappings(world, connection) -> dict[str, tuple]:
    """account_code -> (standard_chart, standard_code, report_section, mapping_source,
    mapping_rule, confidence) of the entity's rows of dim_account_mappings."""
    rows = query(world.settings, """
        select account_code, standard_chart, standard_code, report_section, mapping_source,
               mapping_rule, confidence
        from marts.dim_account_mappings where provider = ? and entity_id = ?""",
                 (connection.provider, connection.entity_id))
    return {code: rest for code, *rest in rows}


def _longest_pcmn_prefix(account_code: str) -> str | None:
    prefixes = [code for code in PCMN if account_code.startswith(code)]
    return max(prefixes, key=len) if prefixes else None


def _connections(built, provider: str) -> list:
    found = [c for c in built if c.provider == provider]
    assert found, provider
    return found


def _assert_provider_codes_kept(world, connection) -> tuple[int, int]:
    """Every account of the entity's sandbox chart with an RGS code is mapped by that code (a
    level-5 code by its level-4 parent, as the seed stops at level 4) with mapping_source
    'provider', or, when RGS has neither, not by the provider. Returns (kept, accounts with a code)."""
    mappings = _mappings(world, connection)
    kept = coded = 0
    for account in _chart(world, connection).accounts:
        if not account.rgs_code:
            continue
        coded += 1
        chart, code, section, source, rule, confidence = mappings[account.code]
        if account.rgs_code in RGS:
            assert (chart, code, section, source, rule, confidence) == (
                "RGS", account.rgs_code, RGS[account.rgs_code]["report_section"], "provider",
                "provider_rgs_code", 1), (connection.provider, account)
            kept += 1
        elif len(account.rgs_code) == 13 and account.rgs_code[:10] in RGS:
            parent = account.rgs_code[:10]
            assert (chart, code, section, source, rule, confidence) == (
                "RGS", parent, RGS[parent]["report_section"], "provider",
                f"provider_rgs_code (level 4 of {account.rgs_code})", 1), (connection.provider, account)
            kept += 1
        else:
            # A code RGS does not have is no provider mapping; the rule says so.
            assert source != "provider", (connection.provider, account)
            assert f"provider code {account.rgs_code} not in rgs_reference" in rule, account
    return kept, coded


def test_moneybird_accounts_keep_their_rgs_codes(world, built):
    kept = sum(_assert_provider_codes_kept(world, c)[0] for c in _connections(built, "moneybird"))
    assert kept


def _classification_rows(world, connection) -> int:
    [(rows,)] = query(world.settings, """
        select count(*) from raw_exact_online.gl_account_classification_mappings
        where _monitr_entity_id = ?""", (connection.entity_id,))
    return rows


def test_exact_accounts_keep_the_rgs_codes_of_their_classifications(world, built):
    """The classified Dutch division: every account the emulator links to RGS (all of them) keeps
    that code; Belgian divisions have no RGS scheme, load no classification and keep proposing
    (the PCMN test below)."""
    classified = [c for c in _connections(built, "exact_online")
                  if _chart(world, c).country == "NL" and c.external_id != UNCLASSIFIED_DIVISION]
    assert classified
    for connection in classified:
        accounts = _chart(world, connection).accounts
        assert _classification_rows(world, connection) == len(accounts)
        kept, coded = _assert_provider_codes_kept(world, connection)
        # Every account of the sandbox's Dutch chart has an RGS code that RGS (or its level 4) has.
        assert kept == coded == len(accounts), (kept, coded, len(accounts))
    for connection in _connections(built, "exact_online"):
        if _chart(world, connection).country == "BE" or connection.external_id == UNCLASSIFIED_DIVISION:
            assert _classification_rows(world, connection) == 0, connection


def test_a_csv_upload_keeps_its_rgs_codes(world, built):
    dutch = [c for c in _connections(built, "csv_import") if _chart(world, c).country == "NL"]
    assert dutch
    for connection in dutch:
        kept, coded = _assert_provider_codes_kept(world, connection)
        assert coded and kept == coded, (kept, coded)


def test_belgian_accounts_get_the_pcmn_code_of_their_longest_prefix(world, built):
    # CSV uploads name no country (stg_csv_import__administrations), so a Belgian upload's chart
    # is not known to be PCMN: not one of these.
    belgian = [c for c in built if _chart(world, c).country == "BE" and c.provider != "csv_import"]
    assert any(c.provider == "octopus" for c in belgian)
    lengths = set()
    for connection in belgian:
        mappings = _mappings(world, connection)
        for account in _chart(world, connection).accounts:
            expected = _longest_pcmn_prefix(account.code)
            chart, code, section, source, rule, confidence = mappings[account.code]
            assert (chart, code, section, source) == (
                "PCMN", expected, PCMN[expected]["report_section"], "proposal"), account
            assert rule == {3: "pcmn_prefix_3", 2: "pcmn_prefix_2", 1: "pcmn_class"}[
                len(expected)] + f" ({expected})", account
            lengths.add(len(expected))
    # The sandbox chart has accounts under a subgroup and accounts only under a group.
    assert lengths >= {2, 3}


def test_dutch_proposals_agree_with_the_sandbox_chart(world, built):
    dutch = [c for c in built if c.provider == "exact_online"
             and c.external_id == UNCLASSIFIED_DIVISION]
    assert dutch and _chart(world, dutch[0]).country == "NL"
    accounts = same_code = same_group = 0
    for connection in dutch:
        mappings = _mappings(world, connection)
        for account in _chart(world, connection).accounts:
            chart, code, section, source, rule, confidence = mappings[account.code]
            accounts += 1
            assert chart == "RGS", account
            if code is None:
                continue
            assert source == "proposal" and 0 < confidence < 1, account
            # Whatever proposed it, the code is on the account's own statement.
            assert code[0] == account.balance_type, (account, code, rule)
            same_code += code == account.rgs_code
            same_group += code[:7] == account.rgs_code[:7]
    print(f"Dutch proposals: {same_code}/{accounts} the sandbox's RGS code, "
          f"{same_group}/{accounts} its level-3 group")
    assert same_code / accounts >= EXACT_CODE_FLOOR
    assert same_group / accounts >= GROUP_FLOOR


def test_one_row_per_account_of_the_entity(world, built):
    """The accounts of the emulator's chart and those its entries book on: none missing, none
    invented."""
    for connection in built:
        ledger = _ledger(world, connection)
        expected = ({account.code for account in ledger.chart.accounts}
                    | {line.account_code for _, line in ledger.lines()})
        assert set(_mappings(world, connection)) == expected, connection
