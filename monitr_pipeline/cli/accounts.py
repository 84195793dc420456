"""`monitr accounts map|unmap|overrides|list`: which standard-chart code (RGS or PCMN) each ledger
account maps to, and the overrides that decide it where the provider's code or a proposal is wrong.

An override is kept in the control plane and copied to the warehouse
(monitr.account_mapping_overrides) at once and before every dbt build; marts.dim_account_mappings
shows it from the next build on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

from monitr_pipeline.cli.plumbing import CliError, control_plane, guarded
from monitr_pipeline.cli.printing import table
from monitr_pipeline.control.account_mappings import (
    AccountMappingError,
    MappingOverride,
    StandardCharts,
    list_overrides,
    remove_override,
    set_override,
)
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import Settings

MAPPINGS_MART = "marts.dim_account_mappings"
# The widest an account or standard-chart name is shown; longer ones end in "...".
NAME_WIDTH = 40


def _organisation(control: ControlPlane, slug: str) -> int:
    organisation_id = control.organisation_id(slug)
    if organisation_id is None:
        raise CliError(f"no organisation {slug!r}; an organisation is made by `monitr connect`")
    return organisation_id


def _scope(override: MappingOverride) -> str:
    if override.entity_id is None:
        return f"every entity of {override.organisation_slug}"
    return f"entity {override.entity_id} ({override.entity_name}) of {override.organisation_slug}"


def _export(control: ControlPlane) -> bool:
    """Copy the overrides to the warehouse; False (and a warning) when it cannot be reached."""
    from monitr_pipeline.account_mapping_table import export_account_mapping_overrides

    try:
        export_account_mapping_overrides(Settings.from_env(), control, "monitr accounts")
    except Exception as exc:  # noqa: BLE001 - any warehouse error: the change itself is saved
        # Every dbt build writes the copy first, so a warehouse that is down now loses nothing.
        print(f"monitr: saved in the control plane, but not copied to the warehouse yet "
              f"({type(exc).__name__}: {exc}); the next dbt build copies it.", file=sys.stderr)
        return False
    return True


def _note_doubtful_override(override: MappingOverride, chart: str) -> None:
    """An override of an account no import has brought, or on the other country's chart, is kept
    (the account may come with the next import; the control plane knows no countries), but is
    more likely a mistake: say so, from what the warehouse has."""
    try:
        rows = mapping_rows(Settings.from_env(), override.organisation_id, override.entity_id)
    except CliError:
        return  # no mart yet: nothing to compare with
    if rows and override.account_code not in {row.account_code for row in rows}:
        print(f"monitr: note: {_scope(override)} has no imported account "
              f"{override.account_code} in {MAPPINGS_MART}; check the code (the override is "
              "kept, for an account a later import brings).", file=sys.stderr)
    # The chart of the country, as dim_account_mappings gives it to accounts no override maps.
    charts_in_use = {row.standard_chart for row in rows
                     if row.mapping_source != "override" and row.standard_chart}
    if charts_in_use and chart not in charts_in_use:
        print(f"monitr: note: the accounts of {_scope(override)} are on "
              f"{' and '.join(sorted(charts_in_use))}, and {override.standard_code} is a {chart} "
              "code; check the code.", file=sys.stderr)


def cmd_accounts_map(args: argparse.Namespace) -> int:
    control = control_plane()
    charts = StandardCharts.from_dir()
    override = set_override(control, _organisation(control, args.organisation), args.account,
                            args.standard_code, entity_id=args.entity, note=args.note,
                            charts=charts)
    exported = _export(control)
    name = charts.name(override.standard_code)
    print(f"Account {override.account_code} of {_scope(override)} maps to "
          f"{charts.chart_of(override.standard_code)} {override.standard_code}"
          f"{f' ({name})' if name else ''}; the next dbt build (`monitr transform`) shows it in "
          f"{MAPPINGS_MART}.")
    if exported:
        _note_doubtful_override(override, charts.chart_of(override.standard_code))
    return 0


def cmd_accounts_unmap(args: argparse.Namespace) -> int:
    control = control_plane()
    removed = remove_override(control, _organisation(control, args.organisation), args.account,
                              entity_id=args.entity)
    _export(control)
    print(f"Removed the override of account {removed.account_code} for {_scope(removed)} (was "
          f"{removed.standard_code}); from the next dbt build its provider's code or a proposal "
          "maps it.")
    return 0


def cmd_accounts_overrides(args: argparse.Namespace) -> int:
    control = control_plane()
    organisation_id = _organisation(control, args.organisation) if args.organisation else None
    overrides = list_overrides(control, organisation_id)
    if not overrides:
        print("No account mapping overrides yet: `monitr accounts map <organisation> <account> "
              "<standard code>`.")
        return 0
    names = _standard_names()
    for line in table(
            ("organisation", "entity", "account", "standard code", "standard name", "note",
             "updated"),
            [(o.organisation_slug,
              f"{o.entity_id} {o.entity_name}" if o.entity_id is not None else "(every entity)",
              o.account_code, o.standard_code, _short(names(o.standard_code)),
              o.note or "", o.updated_at.strftime("%Y-%m-%d %H:%M UTC"))
             for o in overrides]):
        print(line)
    return 0


def _standard_names() -> Any:
    """code -> name from the reference charts; names only, so a listing does without them."""
    try:
        return StandardCharts.from_dir().name
    except AccountMappingError:
        return lambda code: None


def _short(text: str | None) -> str:
    if not text:
        return "-"
    return text if len(text) <= NAME_WIDTH else text[:NAME_WIDTH - 3] + "..."


class AccountMapping(NamedTuple):
    """One row of dim_account_mappings, as listed."""

    provider: str
    entity_id: int
    account_code: str
    account_name: str | None
    standard_chart: str | None
    standard_code: str | None
    standard_name: str | None
    mapping_source: str | None
    mapping_rule: str | None
    confidence: float | None
    is_mapped: bool


def mapping_rows(settings: Settings, organisation_id: int, entity_id: int | None
                 ) -> list[AccountMapping]:
    """The organisation's (or entity's) rows of dim_account_mappings, or a CliError saying how
    to get the mart when the warehouse has none yet."""
    from monitr_pipeline.warehouse import query

    missing = CliError(f"the warehouse has no {MAPPINGS_MART} yet: run an import / "
                       "`monitr transform` first")
    if not settings.warehouse_url and not settings.duckdb_path.exists():
        raise missing
    if not query(settings, "select 1 from information_schema.tables "
                           "where table_schema = 'marts' and table_name = 'dim_account_mappings'"):
        raise missing
    entity_filter = "" if entity_id is None else " and entity_id = ?"
    rows = query(settings, f"""
        select {', '.join(AccountMapping._fields)}
        from {MAPPINGS_MART}
        where organisation_id = ?{entity_filter}
        order by entity_id, provider, account_code""",
                 (organisation_id,) if entity_id is None else (organisation_id, entity_id))
    return [AccountMapping(*row) for row in rows]


def cmd_accounts_list(args: argparse.Namespace) -> int:
    control = control_plane()
    organisation_id = _organisation(control, args.organisation)
    entities = control.entities(organisation_id)
    if args.entity is not None and args.entity not in entities:
        raise CliError(f"entity {args.entity} is not an entity of organisation "
                       f"{args.organisation}; see `monitr entities list`")
    rows = mapping_rows(Settings.from_env(), organisation_id, args.entity)
    where = (f"entity {args.entity} ({entities[args.entity]})" if args.entity is not None
             else f"organisation {args.organisation}")
    if not rows:
        print(f"No accounts of {where} in {MAPPINGS_MART}: import its accounting and run "
              "`monitr transform`.")
        return 0
    shown = [row for row in rows if not (args.unmapped and row.is_mapped)]
    if shown:
        _print_mappings(shown, entities)
    by_entity: dict[int, list[AccountMapping]] = {}
    for row in rows:
        by_entity.setdefault(row.entity_id, []).append(row)
    if len(by_entity) > 1:
        for entity_id, its_rows in by_entity.items():
            print("  " + _share(its_rows, f"entity {entity_id} ({entities.get(entity_id)})"))
    print(_mapped_share(rows, where))
    return 0


def _print_mappings(rows: Sequence[AccountMapping], entities: dict[int, str]) -> None:
    printed = [(r.provider, f"{r.entity_id} {entities.get(r.entity_id, '')}".strip(),
                r.account_code, _short(r.account_name),
                f"{r.standard_chart} {r.standard_code}" if r.standard_code else "-",
                _short(r.standard_name), r.mapping_source or "-", r.mapping_rule or "-",
                f"{float(r.confidence):.2f}" if r.confidence is not None else "-")
               for r in rows]
    for line in table(("provider", "entity", "account", "name", "standard code",
                       "standard name", "source", "rule", "confidence"), printed):
        print(line)


def _share(rows: Sequence[AccountMapping], where: str) -> str:
    mapped = sum(1 for row in rows if row.is_mapped)
    return f"{mapped} of {len(rows)} accounts of {where} mapped ({100 * mapped / len(rows):.0f}%)"


def _mapped_share(rows: Sequence[AccountMapping], where: str) -> str:
    share = _share(rows, where)
    if all(row.is_mapped for row in rows):
        return f"{share}."
    return f"{share}; map the others with `monitr accounts map`."


def add_commands(commands: Any) -> None:
    accounts = commands.add_parser(
        "accounts", help="ledger accounts on the standard charts (RGS, PCMN) and their overrides",
        description=__doc__).add_subparsers(dest="action", required=True)
    map_ = accounts.add_parser("map", help="map an account to a standard-chart code (an "
                               "override that wins over the provider's code and proposals)")
    map_.add_argument("organisation", help="organisation slug")
    map_.add_argument("account", help="the account code as the provider has it")
    map_.add_argument("standard_code", help="an RGS code (e.g. BLimKasKas) or a PCMN code "
                      "(e.g. 550)")
    map_.add_argument("--entity", type=int, help="for this entity only (default: every entity "
                      "of the organisation)")
    map_.add_argument("--note", help="why (shown by `monitr accounts overrides`)")
    map_.set_defaults(func=guarded(cmd_accounts_map))
    unmap = accounts.add_parser("unmap", help="remove an account's override")
    unmap.add_argument("organisation", help="organisation slug")
    unmap.add_argument("account", help="the account code")
    unmap.add_argument("--entity", type=int, help="the entity's own override (default: the "
                       "organisation-wide one)")
    unmap.set_defaults(func=guarded(cmd_accounts_unmap))
    overrides = accounts.add_parser("overrides", help="the account mapping overrides")
    overrides.add_argument("organisation", nargs="?", help="only this organisation's")
    overrides.set_defaults(func=guarded(cmd_accounts_overrides))
    listing = accounts.add_parser("list", help="an organisation's accounts with their standard "
                                  "codes, from the warehouse (marts.dim_account_mappings)")
    listing.add_argument("organisation", help="organisation slug")
    listing.add_argument("--entity", type=int, help="only this entity's accounts")
    listing.add_argument("--unmapped", action="store_true", help="only accounts without a code")
    listing.set_defaults(func=guarded(cmd_accounts_list))
