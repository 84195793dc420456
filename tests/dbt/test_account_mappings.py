"""dim_account_mappings built through the transform job from real sandbox imports (Moneybird,
Octopus, Exact Online), against the emulators' charts of accounts and the standard-chart seeds read
here on their own: Moneybird accounts keep their RGS taxonomy codes (those RGS has), Belgian
accounts get the PCMN code of their longest prefix, and Dutch accounts without a provider code get
proposals that mostly agree with the RGS codes the sandbox chart gives them."""

from __future__ import annotations

import csv

import pytest

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import dbt_models, run_import, run_transform_job
from monitr_pipeline.settings import DBT_PROJECT_DIR
from monitr_pipeline.warehouse import query

WORLD_PROVIDERS = ("exact_online", "moneybird", "octopus")  # the sandbox world this module needs

MODELS = ("dim_account_mappings", "int_account_mapping_proposals")
STANDARD_CHARTS = DBT_PROJECT_DIR / "seeds" / "standard_charts"
# Share of the Dutch sandbox accounts (Exact, no provider code) whose proposal must be the sandbox
# chart's own RGS code: 44 of 68 when written (name keywords pick a sibling code for the rest, e.g.
# "Vooruitbetaalde kosten"); a broken keyword rule leaves only number ranges (level-2 codes, none
# equal) and falls far below.
EXACT_CODE_FLOOR = 0.6
# ... and whose proposal must at least be in the sandbox code's RGS level-3 group (its first 7
# letters): 62 of 68 when written.
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


def test_moneybird_accounts_keep_their_rgs_codes(world, built):
    kept = 0
    for connection in _connections(built, "moneybird"):
        mappings = _mappings(world, connection)
        for account in _chart(world, connection).accounts:
            chart, code, section, source, rule, confidence = mappings[account.code]
            if account.rgs_code in RGS:
                assert (chart, code, section, source, rule, confidence) == (
                    "RGS", account.rgs_code, RGS[account.rgs_code]["report_section"], "provider",
                    "provider_rgs_code", 1), account
                kept += 1
            elif len(account.rgs_code) == 13 and account.rgs_code[:10] in RGS:
                # A level-5 code: the seed stops at level 4, its parent.
                parent = account.rgs_code[:10]
                assert (chart, code, section, source, rule, confidence) == (
                    "RGS", parent, RGS[parent]["report_section"], "provider",
                    f"provider_rgs_code (level 4 of {account.rgs_code})", 1), account
            else:
                # A code RGS does not have is no provider mapping; the rule says so.
                assert source != "provider", account
                assert f"provider code {account.rgs_code} not in rgs_reference" in rule, account
    assert kept


def test_belgian_accounts_get_the_pcmn_code_of_their_longest_prefix(world, built):
    belgian = [c for c in built if _chart(world, c).country == "BE"]
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
    dutch = [c for c in built if c.provider == "exact_online" and _chart(world, c).country == "NL"]
    assert dutch
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
