"""Recording many requested imports at once (a night, an organisation connecting its dossiers)
costs the control plane the same few statements for 10 entities as for 600: no query per row."""

from sqlalchemy import event

from monitr_pipeline.control.db import engine_for
from monitr_pipeline.control.service import ImportRequest


def _connections(control, count):
    organisation = control.ensure_organisation("firm", "Firm")
    integration = control.create_integration(organisation, "exact_online", "Exact Online",
                                             "oauth2", credentials={"token": {}})
    return [control.connect_entity(integration, str(100_000 + n), f"Dossier {n}")
            for n in range(count)]


def _statements(control, requests, **options):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = engine_for(control.db_url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        ids = control.request_imports(requests, **options)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), ids


def test_statements_do_not_grow_with_the_requests(control):
    connections = _connections(control, 600)
    few = [ImportRequest(c.connection_id, "night:1", "schedule") for c in connections[:10]]
    many = [ImportRequest(c.connection_id, "night:2", "schedule") for c in connections]
    few_statements, few_ids = _statements(control, few)
    many_statements, many_ids = _statements(control, many, launched=True)
    # A lookup and a read-back per 500 requests, and one insert.
    assert few_statements <= 4 and many_statements <= 6
    assert len(few_ids) == 10 and len(set(many_ids.values())) == 600
    # Asked again: the same runs, nothing inserted.
    assert _statements(control, many)[1] == many_ids
    runs = control.import_runs(connections[-1].connection_id)
    assert [(r.request_key, r.status.value, r.launched_at is not None) for r in runs] == [
        ("night:2", "Waiting", True)]
