"""Every answer of the emulator (and every request body of our client) validates against Moneybird's
official OpenAPI description, loaded at test time from the shared specs folder (not copied here)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import requests
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.testing import MockRequest, MockResponse

from monitr_pipeline.ingestion.http import rest_client
from monitr_pipeline.ingestion.run_context import EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.moneybird import ADAPTER, SPEC
from monitr_pipeline.providers.spec import LoadMode

SPEC_PATH = Path("/work/shared/providers/specs/moneybird/openapi.yml")
# Request bodies are described as `application/*`, which openapi-core does not read as JSON by itself.
CONFIG = Config(spec_validator_cls=None, extra_media_type_deserializers={"application/*": json.loads})
# The operations the emulator implements: (method, path template without the /api/v2 prefix).
OPERATIONS = {("GET", "/administrations{format}")} | {
    ("GET", f"/{{administration_id}}/{path}{{format}}")
    for path in ("ledger_accounts", "projects", "assets")} | {
    (method, f"/{{administration_id}}/{path}/synchronization{{format}}") for method in ("GET", "POST")
    for path in ("sales_invoices", "documents/purchase_invoices", "documents/general_journal_documents",
                 "financial_mutations")}


@pytest.fixture(scope="module")
def description() -> dict:
    if not SPEC_PATH.exists():
        pytest.skip(f"Moneybird's OpenAPI description is not at {SPEC_PATH}")
    return yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


class Conformance(requests.adapters.HTTPAdapter):
    """A transport validating every /api/v2 exchange with openapi-core (mounted on the session: the
    engine's request hooks replace session hooks, a transport sees every request)."""

    def __init__(self, description: dict, base_url: str):
        # Served from the emulator, not moneybird.com: point the description's server at it.
        super().__init__()
        self.api = OpenAPI.from_dict({**description, "servers": [{"url": f"{base_url}/api/v2"}]},
                                     config=CONFIG)
        self.prefix = f"{base_url}/api/v2/"
        self.checked: Counter = Counter()
        self.failures: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        response = super().send(request, **kwargs)
        if response.url.startswith(self.prefix):
            request = RequestsOpenAPIRequest(response.request)
            try:
                # openapi-core 0.23 cannot read parameters typed [integer, string] (page, per_page:
                # TypeError in its style deserializer), so of our requests only bodies are checked.
                if response.request.method == "POST":
                    self.api.validate_request(request)
                self.api.validate_response(request, RequestsOpenAPIResponse(response))
            except Exception as exc:  # collected, so one run reports every mismatch
                self.failures.append(f"{response.request.method} {response.url}: {exc}"[:2000])
            path = "/" + response.url[len(self.prefix):].split("?")[0]
            template = re.sub(r"^/\d+/", "/{administration_id}/", path).replace(".json", "{format}")
            self.checked[(response.request.method, template, response.status_code)] += 1
        return response


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def test_every_answer_our_client_reads_matches_the_description(moneybird, served, description):
    conformance = Conformance(description, served)
    auth = _Bearer(moneybird.issue_tokens()["access_token"])
    session = requests.Session()
    session.auth = auth
    session.mount("http://", conformance)
    administrations = ADAPTER.discover(session, served)
    assert len(administrations) == 2

    documents = 0
    for administration in administrations:
        client = rest_client(ADAPTER, ADAPTER.tenant_base_url(served, administration.external_id), auth)
        client.session.mount("http://", conformance)
        entity = EntityContext(1, 1, administration.external_id, "conformance", administration.name)
        for endpoint in SPEC.endpoints:
            reader = EndpointReader(ADAPTER, client, ImportRunContext(entity), endpoint)
            if endpoint.mode is not LoadMode.VERSIONED:
                assert sum(len(page) for page in reader.pages()), endpoint.table
                continue
            ids = [item["id"] for page in reader.version_pages() for item in page]
            # Every document of the sandbox, a hundred at a time, the way the engine fetches them.
            for start in range(0, len(ids), endpoint.by_keys.max_keys):
                keys = ids[start:start + endpoint.by_keys.max_keys]
                fetched = [row for page in reader.pages_for_keys(keys) for row in page.to_pylist()]
                assert len(fetched) == len(keys)
                documents += len(fetched)

    # An error the description defines: a bad period on the sales invoices synchronization list.
    invalid = session.get(f"{served}/api/v2/{administrations[0].external_id}/sales_invoices/"
                          "synchronization.json", params={"filter": "period:someday"}, timeout=10)
    assert invalid.status_code == 400

    assert conformance.failures == []
    assert {(method, template) for method, template, _ in conformance.checked} == OPERATIONS
    assert documents == sum(len(moneybird.ledger(a.external_id).entries) for a in administrations)


def test_the_validation_catches_a_field_the_description_does_not_have(moneybird, client, headers,
                                                                      description):
    """The check above can fail: a sales invoice with an unknown field, a value outside its enum or a
    date in another format does not pass."""
    api = OpenAPI.from_dict({**description, "servers": [{"url": "http://localhost/api/v2"}]},
                            config=CONFIG)
    administration = next(iter(moneybird.administrations))
    path = f"/api/v2/{administration}/sales_invoices/synchronization.json"
    ids = [v["id"] for v in client.get(path, headers=headers,
                                       query_string={"filter": "period:20260101..20261231"}).json[:1]]
    invoice = client.post(path, json={"ids": ids}, headers=headers).json[0]
    request = MockRequest("http://localhost", "post", path, data=json.dumps({"ids": ids}),
                          content_type="application/json")

    def validate(body) -> None:
        api.validate_response(request, MockResponse(json.dumps([body]).encode(), status_code=200,
                                                    content_type="application/json"))

    validate(invoice)
    with pytest.raises(Exception, match="unexpected|not valid"):
        validate({**invoice, "cost_centre": "100"})
    with pytest.raises(Exception, match="not valid"):
        validate({**invoice, "state": "half_paid"})
    with pytest.raises(Exception, match="not valid"):
        validate({**invoice, "invoice_date": "21-08-2026"})
