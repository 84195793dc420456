"""Octopus (BE, octopus.be / Inaras): the dossier, its book years and periods, accounts, cost
centres, bookings (GL), outstanding items and fixed assets we import over REST (API_FACTS.md
section 8). Readers for what no declaration can say are the adapter's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

# The REST API and the OAuth server share one host; the API lives under this prefix.
API_ROOT = "/octopus-rest-api/v1"
# `modifiedTimeStamp` as Octopus writes it; the first import asks from long before any booking.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
EPOCH = "2000-01-01 00:00:00.000"
EPOCH_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def modified_timestamp(value: Any) -> str:
    """A cursor value as `YYYY-MM-DD HH:MM:SS.mmm` (text values are already written so)."""
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)[:-3]
    return str(value)


def _keyed(*path: str):
    """Records with their key as one text field `id` (Octopus keys are nested objects)."""

    def records(page: list[Any]) -> list[Any]:
        rows = []
        for record in page:
            if isinstance(record, Mapping):
                parts = [_dig(record, p) for p in path]
                record = {**record, "id": None if None in parts else "/".join(map(str, parts))}
            rows.append(record)
        return rows

    return records


def _dig(record: Mapping[str, Any], dotted: str) -> Any:
    value: Any = record
    for step in dotted.split("."):
        value = value.get(step) if isinstance(value, Mapping) else None
    return value


# One row per booking line (the adapter unnests bookings): the booking's header, then its line.
# Purchase and sales documents (journalTypeId 1 and 2) carry their total on the header
# (`documentAmount`, negative for a credit note) and on the relation's line (lineNr 0), and their
# other lines positive (`baseAmount`); other journals sign `amount` (debit positive).
BOOKING_LINE = {
    "id": "text", "bookyearId": "bigint", "journalKey": "text", "journalTypeId": "bigint",
    "documentSequenceNr": "bigint", "bookyearPeriodeNr": "bigint", "documentDate": "date",
    "expiryDate": "date", "comment": "text", "reference": "text", "relationId": "bigint",
    "currencyCode": "text", "exchangeRate": "decimal", "documentAmount": "decimal",
    "modifiedTimeStamp": "timestamp", "lineNr": "bigint", "accountKey": "bigint",
    "amount": "decimal",
    "baseAmount": "decimal", "vatAmount": "decimal", "vatCodeKey": "text", "lineComment": "text",
    "lineRelationId": "bigint", "costCentreId": "text",
}

SPEC = ProviderSpec(
    slug="octopus",
    name="Octopus",
    connection_kind="accounting",
    auth_kind="oauth2",
    environments={"default": "https://service.inaras.be"},
    default_environment="default",
    # Dates are YYYY-MM-DD; timestamps YYYY-MM-DD HH:MM:SS.mmm without a zone (read as UTC).
    wire=WireFormat(zone="UTC", timestamp_format="%Y-%m-%d %H:%M:%S.%f"),
    oauth2=OAuth2Spec(authorize_path="/octopus-oauth/authorize", token_path="/octopus-oauth/token",
                      scopes=("webservice",)),
    endpoints=(
        Endpoint(
            table="dossiers", path="/dossiers", reader="dossier", primary_key="dossierId",
            columns={"dossierId": "text", "name": "text", "countryCode": "text",
                     "currencyCode": "text"},
            required=("name",),
            description="The dossier itself, from the login's list of dossiers."),
        Endpoint(
            table="bookyear_periods", path="bookyears", reader="bookyear_periods",
            primary_key="id", required=("bookyearId", "bookyearPeriod", "startDate", "endDate"),
            columns={"id": "text", "bookyearId": "bigint", "bookyearDescription": "text",
                     "bookyearStartDate": "date", "bookyearEndDate": "date", "closed": "bool",
                     "bookyearPeriod": "bigint", "startDate": "date", "endDate": "date"},
            description="Book years and their periods, one row per period (the book year's "
                        "fields repeated); closed says the year is closed."),
        Endpoint(
            table="accounts", path="accounts/modified", reader="modified",
            mode=LoadMode.INCREMENTAL,
            cursor="modifiedSince", primary_key="id", records=_keyed("accountKey.bookyearKey.id",
                                                                      "accountKey.id"),
            initial_value=EPOCH_TIME, cursor_format=modified_timestamp,
            required=("accountKey.id", "accountKey.bookyearKey.id"),
            columns={"id": "text", "accountKey.id": "bigint", "accountKey.bookyearKey.id": "bigint",
                     "description.description_NL": "text", "description.description_FR": "text",
                     "description.description_EN": "text", "costCentreType": "bigint",
                     "salesVatCode": "text", "purchaseVatCode": "text",
                     "modifiedSince": "timestamp"},
            description="Accounts per book year, changed since the last import "
                        "(/accounts/modified; 404 = nothing changed). modifiedSince is when the "
                        "answer was given (Date header, less a margin): the next import's start."),
        Endpoint(
            table="cost_centres", path="costcentres", primary_key="costCentreKey.id",
            columns={"costCentreKey.id": "text", "description": "text", "closed": "bool"},
            required=("description",), optional=True,
            description="Cost centres (modelled path: REST path not documented publicly)."),
        Endpoint(
            table="booking_lines", path="bookyears/{bookyear}/bookings/modified",
            mode=LoadMode.WINDOWED, windows="bookyear_windows", reader="bookyear_bookings",
            primary_key="id", columns=BOOKING_LINE,
            required=("bookyearId", "journalKey", "journalTypeId", "documentDate", "accountKey"),
            description="Bookings of a book year, one row per line. Windows are book years: a "
                        "year not read before, and every open year again each import (read "
                        "whole, so a changed booking is replaced and a deleted one deleted); a "
                        "closed year is not read again."),
        Endpoint(
            table="outstanding_items", path="outstandingitems", primary_key="id",
            records=_keyed("bookyearKey.id", "journalKey", "documentSequenceNr",
                           "relationKey.id", "reference"),
            columns={"id": "text", "bookyearKey.id": "bigint", "journalKey": "text",
                     "documentSequenceNr": "bigint", "relationKey.id": "bigint",
                     "relationName": "text", "relationType": "text", "reference": "text",
                     "documentDate": "date", "expiryDate": "date", "comment": "text",
                     "openAmount": "decimal", "currencyCode": "text"},
            required=("relationKey.id", "relationType", "openAmount"), optional=True,
            # All paid is a valid answer: refreshed every import, emptied without a guard.
            guard_deletions=False,
            description="Open customer and supplier items now (modelled path)."),
        Endpoint(
            table="fixed_assets", path="fixedassets", primary_key="fixedAssetKey.id",
            columns={"fixedAssetKey.id": "text", "description": "text", "assetGroup": "text",
                     "accountKey": "bigint", "depreciationAccountKey": "bigint",
                     "purchaseDate": "date", "startDepreciationDate": "date",
                     "purchaseValue": "decimal", "residualValue": "decimal",
                     "durationMonths": "bigint", "depreciationMethod": "text",
                     "depreciatedValue": "decimal"},
            required=("purchaseValue",), optional=True,
            description="Fixed assets (modelled path: a module a dossier may not have)."),
    ),
)
