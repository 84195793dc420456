"""Endpoint.sensitive: a bad or keyless record's error names the entity, the record and the field,
never a sensitive field's value (a salary)."""

from __future__ import annotations

import pytest

from monitr_pipeline.ingestion.run_context import EntityContext, ImportDataError, ImportRunContext
from monitr_pipeline.ingestion.source import EndpointReader
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.spec import Endpoint, ProviderSpec

SALARIES = Endpoint(table="salaries", path="salaries", primary_key="id",
                    columns={"id": "text", "value": "decimal", "type": "text"},
                    sensitive=("value",))


class _Adapter(ProviderAdapter):
    spec = ProviderSpec(slug="payroll", name="Payroll", connection_kind="payroll",
                        auth_kind="api_key", environments={}, endpoints=(SALARIES,))


def _reader(endpoint: Endpoint = SALARIES) -> EndpointReader:
    run = ImportRunContext(EntityContext(1, 2, "c1", "payroll-c1", "Bakkerij"))
    return EndpointReader(_Adapter(), None, run, endpoint)


def test_a_bad_sensitive_value_names_entity_record_and_field_but_not_the_value():
    with pytest.raises(ImportDataError) as raised:
        _reader().arrow_page([{"id": "s1", "value": "3100.00"},
                              {"id": "s2", "value": "4.321,99"}])
    message = str(raised.value)
    assert "Bakkerij" in message and "'s2'" in message and "'value'" in message
    assert "4.321,99" not in message and "4321" not in message
    # Not even in the error's context, which a traceback printer might show.
    assert raised.value.__cause__ is None and raised.value.__context__ is None


def test_a_keyless_record_hides_its_sensitive_fields():
    with pytest.raises(ImportDataError) as raised:
        _reader().arrow_page([{"id": None, "value": "5123.45", "type": "monthly"}])
    assert "5123.45" not in str(raised.value) and "salaries" in str(raised.value)


def test_other_fields_still_show_the_bad_value():
    with pytest.raises(ImportDataError, match="'veel'"):
        _reader(Endpoint(table="t", path="t", primary_key="id",
                         columns={"id": "text", "amount": "decimal"})
                ).arrow_page([{"id": "1", "amount": "veel"}])
