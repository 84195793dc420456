"""The declarative shape of a provider: its tables, endpoints, auth and environments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class LoadMode(str, Enum):
    """How an endpoint's changes reach the warehouse."""

    # A change feed with a cursor: only new/changed rows are requested after the first import.
    INCREMENTAL = "incremental"
    # The full list each time; rows that disappeared since the last import are deleted.
    SNAPSHOT = "snapshot"
    # Tombstones of deleted records, dispatched to the tables they belong to.
    DELETIONS = "deletions"
    # A cheap list of (key, version) pairs, then full records only for new or changed versions;
    # keys missing from the list were deleted (Moneybird's synchronization API).
    VERSIONED = "versioned"


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
    # A table the connection may be unable to read (a scope not granted, a module not licensed):
    # a 403 or 404 skips it with a warning and the rest loads. A required table's error fails the
    # import.
    optional: bool = False
    # SNAPSHOT and VERSIONED: refuse a snapshot that would delete most of the table (an empty or
    # failed export) until someone confirms it. Off for lists that legitimately empty (open items).
    guard_deletions: bool = True
    # The field naming the part of a snapshot each row came from (an uploaded file); each part
    # is guarded on its own, so emptying one file of several is caught too.
    guard_deletions_by: str | None = None

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
