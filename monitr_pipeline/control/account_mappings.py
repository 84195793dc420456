"""Account mapping overrides: per organisation (or one of its entities), the standard-chart code
(RGS or PCMN) a ledger account maps to, whatever the provider or the proposals say
(dim_account_mappings reads them from monitr.account_mapping_overrides)."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitr_pipeline.control.models import AccountMappingOverride, Entity, Organisation, utcnow
from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import DBT_PROJECT_DIR

STANDARD_CHARTS_DIR = DBT_PROJECT_DIR / "seeds" / "standard_charts"
# The seed file of each chart (docs/reporting.md); both have a standard_code column.
CHART_FILES = {"RGS": "rgs_reference.csv", "PCMN": "pcmn_reference.csv"}
# RGS codes start B (balance sheet) or W (P&L), then letters and a few digits (BLimKasKas,
# BEivKa2Ond); PCMN codes are digits only (550, 5500). So the chart follows from the code, and an
# entity needs no country here.
_RGS_CODE = re.compile(r"[BW][A-Za-z0-9]*")
_PCMN_CODE = re.compile(r"[0-9]+")


class AccountMappingError(ValueError):
    """A mapping override refused: an entity of another organisation, a code in no chart."""


@dataclass(frozen=True)
class StandardCharts:
    """The codes of each reference chart: chart -> standard_code -> name (English, else Dutch)."""

    codes: Mapping[str, Mapping[str, str]]

    @classmethod
    def from_dir(cls, directory: Path | None = None) -> StandardCharts:
        """The charts in `directory`; by default the dbt project's seeds."""
        directory = directory or STANDARD_CHARTS_DIR
        codes = {}
        for chart, filename in CHART_FILES.items():
            path = directory / filename
            if not path.exists():
                raise AccountMappingError(f"the {chart} reference chart is missing ({path}); "
                                          "the dbt project's standard_charts seeds are needed")
            with open(path, newline="", encoding="utf-8") as handle:
                codes[chart] = {row["standard_code"].strip():
                                (row.get("name_en") or row.get("name_nl") or "").strip()
                                for row in csv.DictReader(handle) if row["standard_code"].strip()}
        return cls(codes)

    def chart_of(self, code: str) -> str | None:
        if _RGS_CODE.fullmatch(code):
            return "RGS"
        if _PCMN_CODE.fullmatch(code):
            return "PCMN"
        return None

    def canonical(self, code: str) -> tuple[str, str] | None:
        """(chart, the code as the chart spells it), or None when no chart has it. RGS codes
        match whatever their case (BLimKasKas is easy to type as blimkaskas)."""
        chart = self.chart_of(code[:1].upper() + code[1:])
        if chart is None:
            return None
        known = self.codes[chart]
        if code in known:
            return chart, code
        spelled = {c.lower(): c for c in known}.get(code.lower())
        return (chart, spelled) if spelled else None

    def name(self, code: str) -> str | None:
        chart = self.chart_of(code)
        return self.codes[chart].get(code) if chart else None


@dataclass(frozen=True)
class MappingOverride:
    """A detached override, with the names the CLI shows."""

    organisation_id: int
    organisation_slug: str
    entity_id: int | None  # None: every entity of the organisation
    entity_name: str | None
    account_code: str
    standard_code: str
    note: str | None
    created_at: datetime
    updated_at: datetime


def _detached(s: Session, override: AccountMappingOverride) -> MappingOverride:
    slug = s.scalar(select(Organisation.slug).where(Organisation.id == override.organisation_id))
    entity_name = (s.scalar(select(Entity.name).where(Entity.id == override.entity_id))
                   if override.entity_id is not None else None)
    return MappingOverride(override.organisation_id, slug, override.entity_id, entity_name,
                           override.account_code, override.standard_code, override.note,
                           override.created_at, override.updated_at)


def _where(s: Session, organisation_id: int, entity_id: int | None) -> str:
    """The organisation (and entity) as an error names them; refuses an entity of another
    organisation or an unknown organisation."""
    slug = s.scalar(select(Organisation.slug).where(Organisation.id == organisation_id))
    if slug is None:
        raise AccountMappingError(f"no organisation {organisation_id}")
    if entity_id is None:
        return f"organisation {slug}"
    entity = s.get(Entity, entity_id)
    if entity is None or entity.organisation_id != organisation_id:
        raise AccountMappingError(f"entity {entity_id} is not an entity of organisation {slug}; "
                                  "see `monitr entities list`")
    return f"entity {entity_id} ({entity.name}) of organisation {slug}"


def _existing(s: Session, organisation_id: int, entity_id: int | None, account_code: str
              ) -> AccountMappingOverride | None:
    entity_is = (AccountMappingOverride.entity_id.is_(None) if entity_id is None
                 else AccountMappingOverride.entity_id == entity_id)
    return s.scalar(select(AccountMappingOverride).where(
        AccountMappingOverride.organisation_id == organisation_id, entity_is,
        AccountMappingOverride.account_code == account_code))


def set_override(control: ControlPlane, organisation_id: int, account_code: str,
                 standard_code: str, *, entity_id: int | None = None, note: str | None = None,
                 charts: StandardCharts | None = None) -> MappingOverride:
    """Map the account to the standard code for the entity (None: every entity of the
    organisation), replacing an earlier override of the same account there."""
    account_code, standard_code = account_code.strip(), standard_code.strip()
    if not account_code:
        raise AccountMappingError("an account code is needed")
    charts = charts or StandardCharts.from_dir()
    with control.session() as s:
        where = _where(s, organisation_id, entity_id)
        found = charts.canonical(standard_code)
        if found is None:
            kind = charts.chart_of(standard_code[:1].upper() + standard_code[1:])
            why = (f"not in the {kind} reference chart" if kind else
                   "neither an RGS code (starting B or W) nor a PCMN code (digits)")
            raise AccountMappingError(f"standard code {standard_code!r} for account "
                                      f"{account_code} of {where}: {why}")
        _, standard_code = found
        override = _existing(s, organisation_id, entity_id, account_code)
        if override is None:
            override = AccountMappingOverride(organisation_id=organisation_id,
                                              entity_id=entity_id, account_code=account_code)
            s.add(override)
        override.standard_code = standard_code
        override.note = note
        override.updated_at = utcnow()
        s.flush()
        return _detached(s, override)


def remove_override(control: ControlPlane, organisation_id: int, account_code: str, *,
                    entity_id: int | None = None) -> MappingOverride:
    """Drop the override of the account for the entity (None: the organisation-wide one);
    returns what it was."""
    with control.session() as s:
        where = _where(s, organisation_id, entity_id)
        override = _existing(s, organisation_id, entity_id, account_code.strip())
        if override is None:
            raise AccountMappingError(f"no override of account {account_code} for {where}")
        removed = _detached(s, override)
        s.delete(override)
        return removed


def list_overrides(control: ControlPlane, organisation_id: int | None = None
                   ) -> list[MappingOverride]:
    """Every override (of one organisation, or all), by organisation, entity and account."""
    with control.session() as s:
        query = select(AccountMappingOverride)
        if organisation_id is not None:
            query = query.where(AccountMappingOverride.organisation_id == organisation_id)
        query = query.order_by(AccountMappingOverride.organisation_id,
                               AccountMappingOverride.entity_id.is_not(None),
                               AccountMappingOverride.entity_id,
                               AccountMappingOverride.account_code)
        return [_detached(s, override) for override in s.scalars(query)]
