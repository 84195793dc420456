"""The emulator answers what Xero's official OpenAPI descriptions promise, to the requests our real
client sends: every exchange of a full read (over HTTP on 127.0.0.1) is validated, request and
response, against the yaml files in /work/shared/providers/specs/xero/ as they are at test time."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.response.exceptions import InvalidData
from openapi_schema_validator import OAS30Validator
from requests.auth import HTTPBasicAuth

from monitr_pipeline.ingestion.http import rest_client
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.registry import adapter_for
from monitr_sandbox.server import EmulatorServer
from monitr_sandbox.xero import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_TENANTS,
    XeroSandbox,
    create_app,
)

SPECS = Path("/work/shared/providers/specs/xero")
REAL_HOST = "https://api.xero.com"
# Two format checks are widened to the forms the spec's own examples (and Xero) use:
# `format: date` fields of the Assets API are written "2020-01-01T00:00:00", and /Connections'
# `format: date-time` values carry no offset ("2019-12-07T18:46:19.5165400", UTC).
_MIDNIGHT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00)?$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$")
_FORMATS = {"date": lambda v: bool(_MIDNIGHT_DATE.match(v)),
            "date-time": lambda v: bool(_DATE_TIME.match(v))}


def _openapi(name: str) -> OpenAPI:
    # The spec check is off: xero_accounting.yaml has string defaults on booleans ('false'),
    # which the strict spec validator rejects; the schemas themselves are used as they are.
    return OpenAPI.from_file_path(SPECS / name, config=Config(spec_validator_cls=None,
                                                              extra_format_validators=_FORMATS))


@pytest.fixture(scope="module")
def specs() -> dict[str, OpenAPI]:
    return {"/api.xro/2.0/": _openapi("xero_accounting.yaml"),
            "/assets.xro/1.0/": _openapi("xero_assets.yaml"),
            "/connections": _openapi("xero-identity.yaml")}


@pytest.fixture(scope="module")
def served():
    emulator = XeroSandbox()
    emulator.void_invoice(SANDBOX_TENANTS[0].tenant_id, _open_invoice(emulator))
    emulator.advance_to_day(1)  # reversals and reposted journals are in the log too
    with EmulatorServer(create_app(emulator)) as server:
        yield emulator, server.url


def _open_invoice(emulator: XeroSandbox) -> int:
    books = emulator.books(SANDBOX_TENANTS[0].tenant_id)
    return next(number for number, b in books.balances().items() if not b.paid and not b.credited)


def _spec_for(specs: dict[str, OpenAPI], path: str) -> tuple[OpenAPI, str]:
    for prefix, spec in specs.items():
        if path.startswith(prefix):
            # The identity description writes the path with a capital C.
            return spec, "/Connections" if prefix == "/connections" else path
    raise AssertionError(f"no OpenAPI description covers {path}")


def _validate(specs: dict[str, OpenAPI], response: requests.Response) -> None:
    """Validate a real exchange as if it had been with api.xero.com."""
    request = response.request
    url = urlsplit(request.url)
    spec, path = _spec_for(specs, url.path)
    mock_request = MockRequest(REAL_HOST, request.method.lower(), path,
                               args=dict(parse_qsl(url.query)), headers=dict(request.headers))
    spec.validate_request(mock_request)
    content_type = response.headers["Content-Type"].split(";")[0]
    spec.validate_response(mock_request, MockResponse(response.content, status_code=response.status_code,
                                                      content_type=content_type))


@pytest.fixture
def exchanges(served):
    """A session whose every response is recorded, authorised by a fresh consent."""
    emulator, _ = served
    recorded: list[requests.Response] = []
    session = requests.Session()
    # Recorded where every request passes, below the hooks the engine sets per request.
    send = session.send

    def recording_send(request, **kwargs):
        response = send(request, **kwargs)
        recorded.append(response)
        return response

    session.send = recording_send
    session.headers["Authorization"] = f"Bearer {emulator.issue_tokens()['access_token']}"
    return session, recorded


def test_a_full_read_by_the_real_client_validates(specs, served, exchanges):
    emulator, url = served
    session, recorded = exchanges
    adapter = adapter_for("xero")
    tenants = adapter.discover(session, url)
    assert {t.external_id for t in tenants} == {t.tenant_id for t in SANDBOX_TENANTS}
    client = rest_client(adapter, adapter.tenant_base_url(url, tenants[0].external_id), None,
                         session=session, headers=adapter.tenant_headers(tenants[0].external_id))
    for endpoint in adapter.spec.endpoints:
        cursors = [adapter.initial_cursor(endpoint)]
        if endpoint.table == "invoices":  # the later, If-Modified-Since form too
            cursors.append(_since(emulator))
        for cursor in cursors:
            entity = EntityContext(1, 1, tenants[0].external_id, "xero-openapi", "OpenAPI")
            reader = EndpointReader(adapter, client, ImportRunContext(entity), endpoint)
            rows = [row for page in reader.declared_pages(cursor) for row in page]
            assert rows, (endpoint.table, cursor)
    paths = {urlsplit(r.request.url).path for r in recorded}
    assert paths >= {"/connections", "/api.xro/2.0/Journals", "/api.xro/2.0/Accounts",
                     "/api.xro/2.0/TrackingCategories", "/api.xro/2.0/Invoices",
                     "/api.xro/2.0/Organisation", "/assets.xro/1.0/Assets"}
    assert len([p for p in recorded if p.request.url.count("Journals")]) > 5  # several pages
    for response in recorded:
        assert response.status_code == 200, response.request.url
        _validate(specs, response)


def _since(emulator: XeroSandbox) -> datetime:
    books = emulator.books(SANDBOX_TENANTS[0].tenant_id)
    return datetime.combine(books.as_of, datetime.min.time(), UTC) - timedelta(days=2)


def test_unpaged_invoices_and_other_options_validate(specs, served, exchanges):
    _, url = served
    session, recorded = exchanges
    tenant = {"Xero-Tenant-Id": SANDBOX_TENANTS[1].tenant_id, "Accept": "application/json"}
    for path, params in [("/api.xro/2.0/Invoices", {}),  # without page: every invoice, no lines
                         ("/api.xro/2.0/Invoices", {"Statuses": "PAID,VOIDED", "page": "2",
                                                    "pageSize": "5"}),
                         ("/api.xro/2.0/TrackingCategories", {}),
                         ("/api.xro/2.0/Journals", {"offset": "800"}),
                         ("/assets.xro/1.0/Assets", {"status": "DRAFT"})]:
        session.get(f"{url}{path}", params=params, headers=tenant, timeout=10)
    for response in recorded:
        assert response.status_code == 200, response.request.url
        _validate(specs, response)


def test_token_and_error_bodies_match_their_schemas(served):
    emulator, url = served
    identity = _schemas("xero-identity.yaml")
    accounting, assets = _schemas("xero_accounting.yaml"), _schemas("xero_assets.yaml")
    code = re.search(r"code=([^&]+)", requests.get(
        f"{url}/identity/connect/authorize", allow_redirects=False, timeout=10, params={
            "client_id": SANDBOX_CLIENT_ID, "redirect_uri": "http://127.0.0.1:1/cb",
            "response_type": "code", "scope": "offline_access accounting.journals.read"},
    ).headers["Location"]).group(1)
    token = requests.post(f"{url}/connect/token", auth=HTTPBasicAuth(SANDBOX_CLIENT_ID,
                                                                     SANDBOX_CLIENT_SECRET),
                          data={"grant_type": "authorization_code", "code": code,
                                "redirect_uri": "http://127.0.0.1:1/cb"}, timeout=10).json()
    _valid(identity, "AccessToken", token)
    headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json",
               "Xero-Tenant-Id": SANDBOX_TENANTS[0].tenant_id}
    bad_offset = requests.get(f"{url}/api.xro/2.0/Journals", params={"offset": "x"},
                              headers=headers, timeout=10)
    assert bad_offset.status_code == 400
    _valid(accounting, "Error", bad_offset.json())
    headers["Authorization"] = f"Bearer {emulator.issue_tokens()['access_token']}"
    no_status = requests.get(f"{url}/assets.xro/1.0/Assets", headers=headers, timeout=10)
    assert no_status.status_code == 400
    _valid(assets, "Error", no_status.json())


def test_the_validation_is_not_vacuous(specs, served, exchanges):
    """A response that breaks the description is caught (here: an unknown SourceType)."""
    _, url = served
    session, recorded = exchanges
    session.get(f"{url}/api.xro/2.0/Journals", params={"offset": "0"}, timeout=10,
                headers={"Xero-Tenant-Id": SANDBOX_TENANTS[0].tenant_id,
                         "Accept": "application/json"})
    response = recorded[-1]
    _validate(specs, response)
    body = response.json()
    body["Journals"][0]["SourceType"] = "BOGUS"
    response._content = json.dumps(body).encode()
    with pytest.raises(InvalidData):
        _validate(specs, response)


def _schemas(name: str) -> dict:
    return yaml.load((SPECS / name).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _valid(document: dict, schema_name: str, instance: dict) -> None:
    # Schema references resolve inside the document they come from.
    schema = {**document["components"]["schemas"][schema_name], "components": document["components"]}
    OAS30Validator(schema).validate(instance)
