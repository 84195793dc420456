"""The declarative shape of a provider: its tables, endpoints, auth and environments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from monitr_pipeline.ingestion.values import DEFAULT_WIRE, WireFormat

if TYPE_CHECKING:
    from dlt.sources.helpers.rest_client.paginators import BasePaginator

# Placeholders an endpoint's path, params, headers and json body may hold, as in dlt's rest_api:
#   {incremental.start_value}  the cursor's last value (written by `cursor_format`), or the
#                              initial value on the first import
#   {external_id}              the administration's id at the provider
#   {page_size}                the endpoint's page size
#   {fields}                   the declared field names, comma-separated ($select, fields=)
#   {keys}                     VERSIONED, in the key list's request only: the keys whose records
#                              are read (the version list's values, as it gave them)
# A value that is exactly one placeholder keeps the placeholder's type (an int stays an int);
# a param or header whose value resolves to None is left out of the request.


class LoadMode(str, Enum):
    """How an endpoint's changes reach the warehouse."""

    # A change feed with a cursor: only new/changed rows are requested after the first import.
    INCREMENTAL = "incremental"
    # The full list each time; rows that disappeared since the last import are deleted.
    SNAPSHOT = "snapshot"
    # Tombstones of deleted records, dispatched to the tables they belong to.
    DELETIONS = "deletions"
    # A cheap list of (key, version) pairs, then full records only for new or changed versions;
    # keys missing from the list were deleted (Moneybird's synchronization API). The endpoint's
    # own request reads the version list (its items hold the primary key and the cursor); its
    # `by_keys` reads the records.
    VERSIONED = "versioned"
    # A list with no change feed, read in windows (a fiscal year, a date range) and replaced
    # exactly where it was read: the adapter's `windows` method names this run's windows (those
    # not read before, and those that can still change), its `reader` reads one window. Keys gone
    # from a window read again were deleted; windows not read again keep their rows.
    WINDOWED = "windowed"


@dataclass(frozen=True)
class KeyList:
    """VERSIONED: how the full records of some keys are read, at most `max_keys` a call (Moneybird:
    POST the synchronization path {"ids": [...]}). The path is the endpoint's unless given; the
    answer is one page, its records found by `data_selector` (the provider's default if None)."""

    path: str | None = None
    method: str = "POST"
    params: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    data_selector: str | None = None
    max_keys: int = 100
    # The name of an adapter method that returns the records when no request can say how
    # (e-Boekhouden keeps the rows of the details it read while listing versions), called as
    # method(client, endpoint, keys, run, hooks) and returning pages of records.
    reader: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """One API list endpoint loaded into one raw table `raw_<provider>.<table>`."""

    table: str
    path: str
    # API field name -> dlt data type; also the fields requested where the API lets us choose.
    columns: Mapping[str, str]
    primary_key: str = "ID"
    mode: LoadMode = LoadMode.SNAPSHOT
    # INCREMENTAL and DELETIONS: the field whose greatest value is the next import's start.
    # VERSIONED: the field of the version list that changes with every update.
    cursor: str | None = None
    page_size: int = 100
    params: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    # DELETIONS only: the field with the deleted record's key, the field with its type, and
    # which type goes to which table.
    deleted_key_field: str | None = None
    deleted_type_field: str | None = None
    deleted_tables: Mapping[int | str, str] = field(default_factory=dict)
    # Fields a record cannot be loaded without (amounts, dates, accounts, ...); the primary key and
    # the cursor are always required. A record missing one fails the import and loads nothing.
    required: tuple[str, ...] = ()
    # Fields whose values are never printed (salaries): an error about one names the entity,
    # the record and the field, not the value.
    sensitive: tuple[str, ...] = ()
    # A table the connection may be unable to read (a scope not granted, a module not licensed):
    # a 403 or 404 skips it with a warning and the rest loads. A required table's error fails the
    # import.
    optional: bool = False
    # SNAPSHOT, VERSIONED and WINDOWED (per window): refuse a snapshot that would delete most of the table (an empty or
    # failed export) until someone confirms it. Off for lists that legitimately empty (open items).
    guard_deletions: bool = True
    # The field naming the part of a snapshot each row came from (an uploaded file); each part
    # is guarded on its own, so emptying one file of several is caught too.
    guard_deletions_by: str | None = None

    # The request, as dlt's rest_api endpoint declares it (placeholders above). None means the
    # provider's default (ProviderSpec.paginator / data_selector).
    method: str = "GET"
    headers: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    paginator: Callable[[Endpoint], BasePaginator] | None = None
    data_selector: str | None = None
    # The cursor's value on the first import, and how its last value is written into a request
    # (an OData literal, an HTTP date); params sent only on the first import (no cursor yet).
    initial_value: Any = None
    cursor_format: Callable[[Any], Any] | None = None
    first_params: Mapping[str, Any] = field(default_factory=dict)
    # Records as the API nests them -> the rows of this table (journals -> journal lines).
    records: Callable[[list[Any]], list[Any]] | None = None
    # Keep only records whose field equals the value (placeholders allowed): a list that sits
    # above the administration and names every administration of the login.
    only: Mapping[str, str] = field(default_factory=dict)
    # Read the endpoint once per set of param overrides and keep the first record of each key
    # (a filter whose default hides some records, e.g. Moneybird's `active`).
    variants: tuple[Mapping[str, Any], ...] = ()
    # The name of an adapter method that reads this endpoint when no declaration can say how
    # (QuickBooks' ledger report, read a month at a time); its signature is Reader in adapter.py.
    # VERSIONED: it reads the version list (e-Boekhouden's mutations and their details).
    # WINDOWED: it reads one window (WindowReader in adapter.py).
    reader: str | None = None
    # VERSIONED only: how the records of new and changed versions are read.
    by_keys: KeyList | None = None
    # WINDOWED only: the name of the adapter method that lists this run's windows (Windows in
    # adapter.py).
    windows: str | None = None

    @property
    def required_fields(self) -> tuple[str, ...]:
        cursor = (self.cursor,) if self.cursor and self.mode in (
            LoadMode.INCREMENTAL, LoadMode.DELETIONS) else ()
        return tuple(dict.fromkeys((self.primary_key, *cursor, *self.required)))


@dataclass(frozen=True)
class OAuth2Spec:
    authorize_path: str
    token_path: str
    scopes: tuple[str, ...] = ()
    # The token endpoint's host, when it differs from the API host (Xero, QuickBooks).
    token_base_url: str | None = None
    authorize_base_url: str | None = None
    pkce: bool = False
    # How the token endpoint wants the app's client id and secret: form fields ("body", Exact) or
    # HTTP Basic ("basic", Xero and QuickBooks).
    client_auth: str = "body"
    # Headers every call carries whose values are settings of our app's registration at the
    # provider, secret like the client secret (Nmbrs' X-Subscription-Key, from its developer
    # portal): header -> setting name. They are kept with the integration's credentials (given
    # at consent as MONITR_<PROVIDER>_<SETTING>) and never printed.
    app_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderSpec:
    slug: str
    name: str
    connection_kind: str  # accounting, crm, payroll, ...
    auth_kind: str  # oauth2, api_key, api_credentials, file_upload
    # environment name -> base URL of the real service
    environments: Mapping[str, str]
    endpoints: tuple[Endpoint, ...]
    oauth2: OAuth2Spec | None = None
    default_environment: str | None = None
    # What {external_id} is in a request: text, or the type the provider compares it as (Odoo's
    # company ids are integers; a text id is an "unauthorized company").
    external_id_type: Callable[[str], Any] = str
    # Defaults of every endpoint's request, as rest_api's client/resource_defaults.
    paginator: Callable[[Endpoint], BasePaginator] | None = None
    data_selector: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    # How the provider writes values (dates, zones, empty and unset values): every endpoint's
    # records are typed by the one parser (ingestion/values.py) in this format.
    wire: WireFormat = DEFAULT_WIRE

    def endpoint(self, table: str) -> Endpoint:
        for endpoint in self.endpoints:
            if endpoint.table == table:
                return endpoint
        raise KeyError(f"{self.slug} has no table {table!r}")

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(e.table for e in self.endpoints if e.mode is not LoadMode.DELETIONS) + tuple(
            e.table for e in self.endpoints if e.mode is LoadMode.DELETIONS
        )

    @property
    def dataset_name(self) -> str:
        return f"raw_{self.slug}"
