"""An endpoint's declaration resolved for one entity and cursor: placeholders, defaults, first
import params, headers left out when their placeholder has no value."""

from datetime import UTC, datetime

from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator, SinglePagePaginator

from monitr_pipeline.ingestion.endpoint_request import endpoint_request, key_list_request, resolve
from monitr_pipeline.providers.spec import Endpoint, KeyList, LoadMode, ProviderSpec


def _spec(*endpoints: Endpoint, **defaults) -> ProviderSpec:
    return ProviderSpec(slug="demo", name="Demo", connection_kind="accounting",
                        auth_kind="api_key", environments={"default": "https://demo.test"},
                        endpoints=endpoints, **defaults)


LINES = Endpoint(
    table="lines", path="companies/{external_id}/lines", columns={"id": "bigint", "at": "text"},
    primary_key="id", mode=LoadMode.INCREMENTAL, cursor="at", page_size=250,
    method="POST", json={"domain": [["write_date", ">", "{incremental.start_value}"]],
                         "limit": "{page_size}", "fields": "{fields}"},
    headers={"If-Modified-Since": "{incremental.start_value}"},
    first_params={"status": "open"},
    cursor_format=lambda value: value.isoformat(),
    paginator=lambda endpoint: PageNumberPaginator(base_page=1, total_path=None),
)


def test_placeholders_fill_path_body_and_headers_keeping_types():
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    request = endpoint_request(_spec(LINES, params={"v": "2"}), LINES, "77", at)
    assert request.path == "companies/77/lines"
    assert request.method == "POST"
    assert request.json == {"domain": [["write_date", ">", "2026-01-02T03:04:00+00:00"]],
                            "limit": 250, "fields": "id,at"}
    assert request.headers == {"If-Modified-Since": "2026-01-02T03:04:00+00:00"}
    assert request.params == {"v": "2"}
    assert isinstance(request.paginator, PageNumberPaginator)


def test_the_first_import_sends_its_own_params_and_no_empty_header():
    request = endpoint_request(_spec(LINES), LINES, "77", None, first_import=True)
    assert request.params == {"status": "open"}
    assert request.headers == {}
    assert request.json["domain"] == [["write_date", ">", None]]


def test_provider_defaults_apply_unless_the_endpoint_says_otherwise():
    plain = Endpoint(table="accounts", path="accounts", columns={"id": "text"}, primary_key="id")
    spec = _spec(plain, data_selector="d.results", headers={"X-Tenant": "{external_id}"})
    request = endpoint_request(spec, plain, "abc")
    assert request.data_selector == "d.results"
    assert request.headers == {"X-Tenant": "abc"}
    assert isinstance(request.paginator, SinglePagePaginator)


def test_a_lone_placeholder_keeps_its_value_text_around_it_formats():
    values = {"external_id": 5, "page_size": 10}
    assert resolve("{external_id}", values) == 5
    assert resolve("Code eq {external_id}", values) == "Code eq 5"
    assert resolve({"a": ["{page_size}", "x"]}, values) == {"a": [10, "x"]}


def test_a_versioned_endpoint_lists_versions_with_its_own_request_and_posts_keys():
    documents = Endpoint(
        table="documents", path="{external_id}/documents/synchronization.json",
        columns={"id": "text", "version": "bigint"}, primary_key="id",
        mode=LoadMode.VERSIONED, cursor="version", params={"filter": "period:all"},
        by_keys=KeyList(json={"ids": "{keys}"}, max_keys=2))
    spec = _spec(documents, params={"v": "2"})
    versions = endpoint_request(spec, documents, "77")
    assert (versions.method, versions.params) == ("GET", {"v": "2", "filter": "period:all"})
    records = key_list_request(spec, documents, "77", ("a", "b"))
    assert records.path == "77/documents/synchronization.json" and records.method == "POST"
    assert records.json == {"ids": ["a", "b"]}  # a lone placeholder keeps the list
    assert records.params == {"v": "2"}  # the version list's filter is not the records'
    assert isinstance(records.paginator, SinglePagePaginator)


def test_the_administration_id_takes_the_type_the_provider_compares_it_as():
    companies = Endpoint(table="lines", path="json/2/lines", columns={"id": "bigint"},
                         primary_key="id", method="POST",
                         json={"context": {"allowed_company_ids": ["{external_id}"]}},
                         only={"company_id": "{external_id}"})
    request = endpoint_request(_spec(companies, external_id_type=int), companies, "2")
    assert request.json == {"context": {"allowed_company_ids": [2]}}
    assert request.only == {"company_id": "2"}  # compared with the record's value as text
    assert endpoint_request(_spec(companies), companies, "2").json == {
        "context": {"allowed_company_ids": ["2"]}}
