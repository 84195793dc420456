"""The one generic engine that turns a provider spec + adapter into a dlt source for one entity."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
import requests
from dlt.common.normalizers.naming.snake_case import NamingConvention
from dlt.extract.source import DltSource
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.endpoint_request import endpoint_request, key_list_request
from monitr_pipeline.ingestion.http import quota_pause_hook
from monitr_pipeline.ingestion.read_ahead import read_ahead
from monitr_pipeline.ingestion.run_context import (
    DeletionsRefused,
    ImportDataError,
    ImportRunContext,
)
from monitr_pipeline.ingestion.values import (
    ARROW_TYPES,
    FieldError,
    field_values,
    parse_value,
    typed_column,
)
from monitr_pipeline.providers.adapter import ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint, LoadMode

ORGANISATION_COLUMN = "_monitr_organisation_id"
ENTITY_COLUMN = "_monitr_entity_id"
DELETED_COLUMN = "_monitr_deleted"

_naming = NamingConvention()

# Rows of typed pages handed to dlt at once: a few pages of the largest page sizes (Exact's 1,000).
HANDOVER_ROWS = 5_000


def column_name(api_field: str) -> str:
    return _naming.normalize_identifier(api_field)


def table_columns(endpoint: Endpoint) -> dict[str, dict[str, Any]]:
    """dlt column hints: declared types (so all-null columns still exist), keys and delete flag."""
    columns: dict[str, dict[str, Any]] = {
        column_name(name): {"data_type": data_type, "nullable": True}
        for name, data_type in endpoint.columns.items()
    }
    columns[column_name(endpoint.primary_key)].update(nullable=False, primary_key=True)
    columns[ORGANISATION_COLUMN] = {"data_type": "bigint", "nullable": False}
    columns[ENTITY_COLUMN] = {"data_type": "bigint", "nullable": False, "primary_key": True}
    if endpoint.mode is not LoadMode.DELETIONS:
        columns[DELETED_COLUMN] = {"data_type": "bool", "nullable": True, "hard_delete": True}
    if endpoint.mode is LoadMode.INCREMENTAL:
        # One import can hold a key twice: a record changed while the feed was paged through
        # (read again on a later page), or read and then deleted (its tombstone, from the
        # deletion log). dlt's merge keeps an arbitrary one of a key's rows unless told which;
        # the latest is the one with the greatest cursor.
        columns[column_name(endpoint.cursor)]["dedup_sort"] = "desc"
    return columns


def primary_key(endpoint: Endpoint) -> list[str]:
    return [ENTITY_COLUMN, column_name(endpoint.primary_key)]


class _JsonTravelsAsText(logging.Filter):
    """dlt warns, on every page of a resource with a json column, that the Arrow column (text)
    and the column hint (json) differ and that the hint wins. That is the design above (dlt maps
    json without a nested type to an Arrow string itself), and json columns are the only hints our
    Arrow schemas differ in (tests/ingestion/test_source.py), so the warning says nothing here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "when merging arrow schema with dlt schema" not in record.getMessage()


logging.getLogger("dlt").addFilter(_JsonTravelsAsText())


_arrow_schemas: dict[int, tuple[Endpoint, pa.Schema]] = {}


def arrow_schema(endpoint: Endpoint) -> pa.Schema:
    # Cached by identity (endpoints are unhashable: dict fields); the endpoint is kept with its
    # schema so a recycled id can never return another endpoint's schema.
    cached = _arrow_schemas.get(id(endpoint))
    if cached is None or cached[0] is not endpoint:
        cached = _arrow_schemas[id(endpoint)] = (endpoint, pa.schema([
            pa.field(name, ARROW_TYPES[hint["data_type"]], nullable=hint["nullable"])
            for name, hint in table_columns(endpoint).items()]))
    return cached[1]


def arrow_page(endpoint: Endpoint, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows already typed and keyed by column (tombstones) as an Arrow table of the schema."""
    return pa.Table.from_pylist(rows, schema=arrow_schema(endpoint))


class EndpointReader:
    """Pages through one endpoint for one entity and yields each page as an Arrow table of the
    endpoint's schema, typed a column at a time by the one parser (ingestion/values.py) in the
    provider's wire format.

    An optional endpoint the connection may not read ends its pages early and says why in
    `unreadable` (and in the run context); callers must then not conclude that rows are gone.
    """

    def __init__(self, adapter: ProviderAdapter, client: RESTClient, run: ImportRunContext,
                 endpoint: Endpoint):
        self.adapter = adapter
        self.client = client
        self.run = run
        self.entity = run.entity
        self.endpoint = endpoint
        self.unreadable: str | None = None
        self.wire = adapter.spec.wire
        self.schema = arrow_schema(endpoint)
        # API field -> column name and type, mapped once per endpoint rather than once a row.
        self._columns = [(name, column_name(name), data_type)
                         for name, data_type in endpoint.columns.items()]
        self._required = [(name, column_name(name)) for name in endpoint.required_fields]
        self._sensitive = frozenset(endpoint.sensitive)

    def _raise_provider_error(self, response: requests.Response, *_: Any, **__: Any) -> None:
        if response.status_code >= 400:
            reason = self.adapter.error_reason(response)
            raise ProviderError(
                f"{self.entity}: {self.adapter.spec.name} answered {response.status_code} on "
                f"{self.endpoint.path}: {reason}",
                status=response.status_code,
                reason=reason,
                response=response,
            )

    def pages(self, cursor_value: Any | None = None) -> Iterator[pa.Table]:
        endpoint = self.endpoint
        if endpoint.reader:
            reader = getattr(self.adapter, endpoint.reader)
            raw = reader(self.client, endpoint, cursor_value, self.run, self._hooks())
        else:
            raw = self.declared_pages(cursor_value)
        yield from self._typed(raw)

    def declared_pages(self, cursor_value: Any | None = None,
                       endpoint: Endpoint | None = None) -> Iterator[list[Any]]:
        """Raw pages of a declared endpoint: each variant's requests through the provider's
        transport, records unnested and filtered as declared."""
        endpoint = endpoint or self.endpoint
        first_import = cursor_value is None or cursor_value == self.adapter.initial_cursor(endpoint)
        seen: set[str] | None = set() if endpoint.variants else None
        for overrides in endpoint.variants or ({},):
            request = endpoint_request(self.adapter.spec, endpoint, self.entity.external_id,
                                       cursor_value, first_import, overrides)
            for page in self.adapter.transport.pages(self.client, request, self._hooks(),
                                                    self.run):
                records = endpoint.records(page) if endpoint.records else page
                if request.only:
                    records = [record for record in records if isinstance(record, Mapping)
                               and all(str(record.get(field)) == value
                                       for field, value in request.only.items())]
                if seen is not None:
                    records = [record for record in records
                               if not _seen_before(seen, record, endpoint.primary_key)]
                yield records

    def windows(self, read_before: list[str]) -> list[str] | None:
        """WINDOWED: this run's windows, as the adapter's `windows` method names them; None when
        an optional endpoint turns out unreadable."""
        endpoint = self.endpoint
        if self.run.skips(endpoint.table):
            self.unreadable = self.run.known_unreadable[endpoint.table]
            return None
        method = getattr(self.adapter, endpoint.windows)
        try:
            return list(method(self.client, endpoint, read_before, self.run, self._hooks()))
        except ProviderError as error:
            if not self._unreadable_now(error):
                raise
            return None

    def window_pages(self, window: str) -> Iterator[pa.Table]:
        """WINDOWED: the typed pages of one window, read whole by the adapter's reader."""
        reader = getattr(self.adapter, self.endpoint.reader)
        yield from self._typed(reader(self.client, self.endpoint, window, self.run,
                                      self._hooks()))

    def version_pages(self) -> Iterator[list[dict[str, Any]]]:
        """VERSIONED: pages of {primary key, cursor (version)} of every record that exists now."""
        yield from self._guarded(self.declared_versions())

    def pages_for_keys(self, keys: list[Any]) -> Iterator[pa.Table]:
        """VERSIONED: typed pages of these keys (at most the declared `by_keys.max_keys`)."""
        yield from self._typed(self.declared_records(keys))

    def declared_versions(self) -> Iterator[list[dict[str, Any]]]:
        """Raw version pages: the endpoint's own request (or its declared reader) lists the
        versions; each item is cut to its key and version, and must have both."""
        endpoint = self.endpoint
        if endpoint.reader:
            reader = getattr(self.adapter, endpoint.reader)
            raw = reader(self.client, endpoint, None, self.run, self._hooks())
        else:
            # `records` shapes the table's rows, which the key list answers; not the versions.
            raw = self.declared_pages(endpoint=replace(endpoint, records=None))
        key, version = endpoint.primary_key, endpoint.cursor
        for page in raw:
            items = []
            for item in page:
                if not isinstance(item, Mapping) or item.get(key) in (None, "") \
                        or item.get(version) is None:
                    raise ValueError(
                        f"version list item without {key} and {version}: {item!r}"[:200])
                items.append({key: item[key], version: item[version]})
            yield items

    def declared_records(self, keys: list[Any]) -> Iterator[list[Any]]:
        """Raw records of these keys: the endpoint's key list request through the provider's
        transport, or its declared reader."""
        endpoint = self.endpoint
        by_keys = endpoint.by_keys
        if by_keys is not None and by_keys.reader:
            reader = getattr(self.adapter, by_keys.reader)
            yield from reader(self.client, endpoint, keys, self.run, self._hooks())
            return
        request = key_list_request(self.adapter.spec, endpoint, self.entity.external_id, keys)
        for page in self.adapter.transport.pages(self.client, request, self._hooks(), self.run):
            yield endpoint.records(page) if endpoint.records else page

    def _hooks(self) -> dict[str, Any]:
        return {"response": [quota_pause_hook(self.adapter, str(self.entity)),
                             self._raise_provider_error]}

    def _typed(self, raw_pages: Iterator[list[Any]]) -> Iterator[pa.Table]:
        # dlt derives, merges and validates the table's schema for every item it is handed (a
        # fixed cost per item, as large as typing a small page): pages travel to it in batches of
        # at least HANDOVER_ROWS rows, typed page by page as they arrive (an error still names its
        # page), joined without copying.
        batch: list[pa.Table] = []
        rows = 0
        for page in self._guarded(raw_pages):
            table = self.arrow_page(page)
            batch.append(table)
            rows += table.num_rows
            if rows >= HANDOVER_ROWS:
                yield pa.concat_tables(batch)
                batch, rows = [], 0
        if batch:
            yield pa.concat_tables(batch)

    def _guarded(self, raw_pages: Iterator[list[Any]]) -> Iterator[list[Any]]:
        """Pages as they come; a body that is not the JSON the provider promises names its page;
        an optional endpoint known (or now found) unreadable yields nothing more."""
        table = self.endpoint.table
        if self.run.skips(table):
            # Asking again would only spend the provider's error budget (Exact blocks an
            # endpoint for an hour after 10 errors); a reconnect or the weekly re-probe asks.
            self.unreadable = self.run.known_unreadable[table]
            return
        raw_pages = read_ahead(raw_pages)
        try:
            page_number = 0
            while True:
                page_number += 1
                try:
                    page = next(raw_pages)
                except StopIteration:
                    break
                except ProviderError as error:
                    if not self._unreadable_now(error):
                        raise
                    return
                except ValueError as exc:
                    raise ImportDataError(
                        f"{self.entity}: {self.endpoint.path} page {page_number} is malformed: "
                        f"{exc}") from None
                yield page
        finally:
            raw_pages.close()
        if self.endpoint.optional:
            self.run.read.add(table)

    def _unreadable_now(self, error: ProviderError) -> bool:
        """Whether the error says this optional endpoint may not be read by this connection;
        if so, it is recorded as unreadable (the rest of the import goes on)."""
        if not (self.endpoint.optional and self.adapter.endpoint_unreadable(error)):
            return False
        self.unreadable = self.run.unreadable[self.endpoint.table] = (
            f"{self.adapter.spec.name} answered {error.status} on {self.endpoint.path} "
            f"({error.reason})")
        return True

    def arrow_page(self, records: list[Any]) -> pa.Table:
        """A raw page as an Arrow table of the endpoint's schema: each declared field typed as a
        whole column, the entity's stamps as constant columns; every record must have its
        required fields."""
        endpoint = self.endpoint
        if set(map(type, records)) - {dict} and not all(
                isinstance(record, Mapping) for record in records):
            raise ImportDataError(f"{self.entity}: {endpoint.path} returned a non-object record")
        count = len(records)
        columns: dict[str, pa.Array] = {}
        for field_name, column, data_type in self._columns:
            values = field_values(records, field_name)
            reason = None
            try:
                columns[column] = typed_column(field_name, values, data_type, self.wire)
            except FieldError as exc:
                reason = exc.without_value() if field_name in self._sensitive else str(exc)
            if reason is not None:
                # Raised outside the handler: a sensitive value must not even travel in the
                # error's context (a traceback printer may show it).
                record = records[self._first_bad(field_name, values, data_type)]
                record_id = field_values([record], endpoint.primary_key)[0]
                raise ImportDataError(
                    f"{self.entity}: {endpoint.table} record {record_id!r}: {reason}")
        key = columns[column_name(endpoint.primary_key)]
        missing_key = key.is_null()
        if pa.types.is_string(key.type):
            missing_key = pc.or_(missing_key, pc.equal(key, ""))
        if pc.any(missing_key).as_py():
            record = {field: "<not shown: sensitive>" if field in self._sensitive else value
                      for field, value in records[pc.index(missing_key, True).as_py()].items()}
            raise ImportDataError(
                f"{self.entity}: {endpoint.table} record without "
                f"{endpoint.primary_key!r}: {record!r}"[:500])
        columns[ORGANISATION_COLUMN] = pa.repeat(pa.scalar(self.entity.organisation_id,
                                                           pa.int64()), count)
        columns[ENTITY_COLUMN] = pa.repeat(pa.scalar(self.entity.entity_id, pa.int64()), count)
        if DELETED_COLUMN in self.schema.names:
            columns[DELETED_COLUMN] = pa.nulls(count, pa.bool_())
        table = pa.Table.from_arrays([columns[name] for name in self.schema.names],
                                     schema=self.schema)
        for field_name, column in self._required:
            values = table.column(column)
            if values.null_count:
                index = pc.index(pc.is_null(values), True).as_py()
                self._missing(field_name, table.slice(index, 1).to_pylist()[0])
        return table

    def _first_bad(self, field_name: str, values: list[Any], data_type: str) -> int:
        """The index of the first value the parser refuses (the one typed_column named)."""
        for index, value in enumerate(values):
            try:
                parse_value(field_name, value, data_type, self.wire)
            except FieldError:
                return index
        return 0

    def _missing(self, field_name: str, row: Mapping[str, Any]) -> None:
        key = row.get(column_name(self.endpoint.primary_key))
        raise ImportDataError(
            f"{self.entity}: {self.endpoint.table} record {key!r} ({self.endpoint.path}): "
            f"required field {field_name!r} is missing or empty. Nothing of this import was "
            f"loaded and its cursor stays where it was: the next import reads the record again "
            f"once it is corrected at {self.adapter.spec.name}.")

    def stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        row[ORGANISATION_COLUMN] = self.entity.organisation_id
        row[ENTITY_COLUMN] = self.entity.entity_id
        return row

    def tombstone(self, key: Any, key_field: str) -> dict[str, Any]:
        return self.stamp({key_field: key, DELETED_COLUMN: True})

    def refuse_mass_deletions(self, before: int, gone: int,
                              parts_before: Mapping[str, int] | None = None,
                              parts_now: Mapping[str, int] | None = None) -> None:
        """Refuse (DeletionsRefused) when deleting `gone` of `before` rows, or emptying a part
        of the snapshot, looks like a failed export rather than the source's truth."""
        guard = self.run.deletion_guard
        if not self.endpoint.guard_deletions:
            return
        losses = [f"{gone:,} of its {before:,} rows"] if guard.refuses(before, gone) else []
        parts_now = parts_now or {}
        for part, count in sorted((parts_before or {}).items()):
            lost = count - parts_now.get(part, 0)
            if guard.refuses(count, lost):
                losses.append(f"{lost:,} of the {count:,} rows from {part}")
        if losses:
            raise DeletionsRefused(
                f"{self.entity}: {self.endpoint.table} would lose {'; '.join(losses)} (an empty "
                f"or failed export?). Nothing of this import was loaded. If these rows really are "
                f"gone at the source ({self.adapter.spec.name}), {guard.how_to_confirm}.")


def _seen_before(seen: set[str], record: Any, key_field: str) -> bool:
    key = str(record.get(key_field)) if isinstance(record, Mapping) else None
    if key is None:
        return False
    if key in seen:
        return True
    seen.add(key)
    return False


def _cursor(adapter: ProviderAdapter, endpoint: Endpoint) -> dlt.sources.incremental:
    # primary_key=(): requests ask for `cursor > last`, so there are no boundary duplicates to drop.
    return dlt.sources.incremental(column_name(endpoint.cursor),
                                   initial_value=adapter.initial_cursor(endpoint), primary_key=())


def _incremental_resource(reader_for: Any, adapter: ProviderAdapter, endpoint: Endpoint) -> Any:
    def rows(cursor=_cursor(adapter, endpoint)):
        reader = reader_for(endpoint)
        yield from reader.pages(cursor.last_value)

    return rows


def row_digest(row: Mapping[str, Any]) -> str:
    return hashlib.blake2b(repr(sorted(row.items())).encode(), digest_size=8).hexdigest()


def _snapshot_resource(reader_for: Any, adapter: ProviderAdapter, endpoint: Endpoint) -> Any:
    def rows():
        # A digest of every row seen last time lives in this entity's pipeline state: only new and
        # changed rows are loaded, and a key that is gone now was deleted (or, for open items, paid)
        # at the provider and is deleted here too. State is committed with the load, so a failed
        # load leaves the previous digests in place and the next run sends the same changes again.
        state = dlt.current.resource_state()
        key_column = column_name(endpoint.primary_key)
        part_column = (column_name(endpoint.guard_deletions_by) if endpoint.guard_deletions_by
                       else None)
        previous: dict[str, str] = state.get("digests", {})
        current: dict[str, str] = {}
        parts: Counter[str] = Counter()
        reader = reader_for(endpoint)
        for page in reader.pages():
            changed = []
            # Digests of the typed rows, as the parser typed them for the page itself.
            for index, row in enumerate(page.to_pylist()):
                key, digest = str(row[key_column]), row_digest(row)
                current[key] = digest
                if previous.get(key) != digest:
                    changed.append(index)
                if part_column:
                    parts[str(row[part_column])] += 1
            if len(changed) == len(page):
                yield page
            elif changed:
                yield page.take(changed)
        if reader.unreadable:
            return  # what exists now is unknown: delete nothing, remember nothing
        gone = sorted(set(previous) - set(current))
        reader.refuse_mass_deletions(len(previous), len(gone), state.get("parts"), parts)
        if gone:
            yield arrow_page(endpoint, [reader.tombstone(_typed_key(endpoint, key), key_column)
                                        for key in gone])
        state["digests"] = current
        if part_column:
            state["parts"] = dict(parts)

    return rows


def _windowed_resource(reader_for: Any, adapter: ProviderAdapter, endpoint: Endpoint) -> Any:
    if not (endpoint.windows and endpoint.reader):
        raise ValueError(f"{adapter.spec.slug}.{endpoint.table} is WINDOWED but does not name "
                         f"its adapter's windows and reader methods")

    def rows():
        # As a snapshot, with the digests of the rows seen last time kept per window (in this
        # entity's pipeline state, committed with the load): a window read again loads its new
        # and changed rows and deletes its keys that are gone; a window not read keeps its rows.
        state = dlt.current.resource_state()
        previous: dict[str, dict[str, str]] = state.get("windows", {})
        key_column = column_name(endpoint.primary_key)
        reader = reader_for(endpoint)
        windows = reader.windows(sorted(previous))
        if windows is None:
            return
        current: dict[str, dict[str, str]] = {}
        seen: set[str] = set()
        for window in dict.fromkeys(windows):
            before = previous.get(window, {})
            digests = current[window] = {}
            for page in reader.window_pages(window):
                changed = []
                for index, row in enumerate(page.to_pylist()):
                    key = str(row[key_column])
                    if key in seen:
                        continue  # windows that overlap: the first window read keeps it
                    seen.add(key)
                    digest = digests[key] = row_digest(row)
                    if before.get(key) != digest:
                        changed.append(index)
                if len(changed) == len(page):
                    yield page
                elif changed:
                    yield page.take(changed)
            if reader.unreadable:
                return  # what exists now is unknown: delete nothing, remember nothing
        # A key that moved to another window (a booking's date changed) is not gone; one that a
        # window not read this time still holds (as far as we know) is not gone either.
        kept = {window: {k: d for k, d in digests.items() if k not in seen}
                for window, digests in previous.items() if window not in current}
        elsewhere = set().union(*kept.values()) if kept else set()
        read_before = {window: previous[window] for window in current if window in previous}
        gone = sorted(set().union(*read_before.values()) - seen - elsewhere) if read_before \
            else []
        reader.refuse_mass_deletions(
            sum(map(len, read_before.values())), len(gone),
            {f"window {w}": len(d) for w, d in read_before.items()},
            {f"window {w}": len(current[w]) for w in read_before})
        if gone:
            yield arrow_page(endpoint, [reader.tombstone(_typed_key(endpoint, key), key_column)
                                        for key in gone])
        state["windows"] = {**kept, **current}

    return rows


def _typed_key(endpoint: Endpoint, key: str) -> Any:
    # Digests are keyed by text (state is JSON); tombstones need the key in its declared type.
    return int(key) if endpoint.columns.get(endpoint.primary_key) == "bigint" else key


def _versioned_resource(reader_for: Any, adapter: ProviderAdapter, endpoint: Endpoint) -> Any:
    if endpoint.by_keys is None:
        raise ValueError(f"{adapter.spec.slug}.{endpoint.table} is VERSIONED but declares no "
                         f"by_keys to read its records with")
    max_keys = endpoint.by_keys.max_keys

    def rows():
        # The versions seen last time live in this entity's pipeline state (committed with the
        # load): only new or changed records are fetched, and vanished keys are deleted.
        state = dlt.current.resource_state()
        previous: dict[str, str] = state.get("versions", {})
        reader = reader_for(endpoint)
        current: dict[str, str] = {}
        keys: dict[str, Any] = {}
        for page in reader.version_pages():
            for item in page:
                key = item[endpoint.primary_key]
                current[str(key)] = str(item[endpoint.cursor])
                keys[str(key)] = key
        if reader.unreadable:
            return  # what exists now is unknown: delete nothing, remember nothing
        gone = sorted(set(previous) - set(current))
        reader.refuse_mass_deletions(len(previous), len(gone))
        changed = [keys[k] for k, version in current.items() if previous.get(k) != version]
        for start in range(0, len(changed), max_keys):
            yield from reader.pages_for_keys(changed[start:start + max_keys])
        if reader.unreadable:
            return
        if gone:
            key_column = column_name(endpoint.primary_key)
            yield arrow_page(endpoint, [reader.tombstone(_typed_key(endpoint, key), key_column)
                                        for key in gone])
        state["versions"] = current

    return rows


def _deletions_resource(reader_for: Any, adapter: ProviderAdapter, endpoint: Endpoint,
                        spec_endpoints: Mapping[str, Endpoint]) -> Any:
    for table in endpoint.deleted_tables.values():
        target = spec_endpoints[table]
        if target.mode is not LoadMode.INCREMENTAL or target.cursor != endpoint.cursor:
            # A tombstone beats the row it deletes, within one load, by its greater cursor
            # (table_columns' dedup_sort): the log and the table must share one cursor sequence.
            raise ValueError(f"{adapter.spec.slug}.{endpoint.table} deletes from {table}, which "
                             f"is not INCREMENTAL on the log's cursor {endpoint.cursor!r}")
    variants = {
        table: dlt.mark.make_hints(
            table_name=table,
            write_disposition="merge",
            primary_key=primary_key(spec_endpoints[table]),
            columns=table_columns(spec_endpoints[table]),
        )
        for table in endpoint.deleted_tables.values()
    }

    type_column = column_name(endpoint.deleted_type_field)
    key_column = column_name(endpoint.deleted_key_field)
    cursor_column = column_name(endpoint.cursor)

    # The log's own hints go on its rows, not on the resource: resource hints would be merged into
    # every table the tombstones are dispatched to, giving them the log's columns.
    log_hints = dlt.mark.make_hints(table_name=endpoint.table, write_disposition="merge",
                                    primary_key=primary_key(endpoint),
                                    columns=table_columns(endpoint))

    def rows(cursor=_cursor(adapter, endpoint)):
        reader = reader_for(endpoint)
        for page in reader.pages(cursor.last_value):
            page = page.to_pylist()  # tombstones are dispatched row by row
            yield dlt.mark.with_hints(page, log_hints, create_table_variant=True)
            for row in page:
                table = endpoint.deleted_tables.get(row[type_column])
                if table is None:
                    continue
                tombstone = reader.tombstone(row[key_column],
                                             column_name(spec_endpoints[table].primary_key))
                # The incremental cursor reads every item this resource yields, tombstones too;
                # in the table, the cursor makes the tombstone the latest row of its key.
                tombstone[cursor_column] = row[cursor_column]
                yield dlt.mark.with_hints(tombstone, variants[table], create_table_variant=True)

    return rows


def provider_source(adapter: ProviderAdapter, run: ImportRunContext | None = None,
                    client: RESTClient | None = None) -> DltSource:
    """The dlt source of one import run of one entity. Without a run and a client it only
    describes the tables (Dagster derives the asset specs from it); nothing is requested until
    it is run."""
    spec = adapter.spec
    endpoints = {e.table: e for e in spec.endpoints}

    def reader_for(endpoint: Endpoint) -> EndpointReader:
        if run is None or client is None:
            raise RuntimeError(f"the {spec.slug} source was built without an entity to import")
        return EndpointReader(adapter, client, run, endpoint)

    builders = {
        LoadMode.INCREMENTAL: lambda e: _incremental_resource(reader_for, adapter, e),
        LoadMode.SNAPSHOT: lambda e: _snapshot_resource(reader_for, adapter, e),
        LoadMode.DELETIONS: lambda e: _deletions_resource(reader_for, adapter, e, endpoints),
        LoadMode.VERSIONED: lambda e: _versioned_resource(reader_for, adapter, e),
        LoadMode.WINDOWED: lambda e: _windowed_resource(reader_for, adapter, e),
    }

    @dlt.source(name=spec.slug, max_table_nesting=0)
    def source():
        for endpoint in spec.endpoints:
            dispatches = endpoint.mode is LoadMode.DELETIONS  # hints travel with its items
            yield dlt.resource(
                builders[endpoint.mode](endpoint),
                name=endpoint.table,
                write_disposition="merge",
                primary_key=None if dispatches else primary_key(endpoint),
                columns=None if dispatches else table_columns(endpoint),
            )

    return source()
