"""Links to our entities that a provider keeps per administration (Administration.entity_hint):
selection joins the linked entity without asking, and tells the provider the entity of an
administration it had no link for."""

from __future__ import annotations

import pytest
import requests

from monitr_pipeline.connections import lifecycle
from monitr_pipeline.control.rules import ConnectionRuleError
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter
from monitr_pipeline.providers.spec import ProviderSpec
from monitr_sandbox.organisation import assign_beside_entities


class LinkingAdapter(ProviderAdapter):
    """A provider beside the accounting that keeps the link to our entity per administration."""

    spec = ProviderSpec(slug="linking", name="Linking", connection_kind="annual_accounts",
                        auth_kind="api_key", environments={"default": "http://127.0.0.1:9"},
                        default_environment="default", endpoints=())
    links_entities = True

    def __init__(self) -> None:
        self.linked: list[list[tuple[str, str]]] = []

    def credentials_auth(self, credentials, base_url):
        return requests.auth.HTTPBasicAuth("user", "key")

    def link_entities(self, session, base_url, links):
        self.linked.append([(a.external_id, reference) for a, reference in links])


@pytest.fixture
def setup(control):
    organisation = control.ensure_organisation("acme", "Acme")
    accounting = control.create_integration(organisation, "exact_online", "Exact", "oauth2",
                                            credentials={"token": {}}, environment="nl")
    smit = control.connect_entity(accounting, "1", "Smit BV").entity_id
    visser = control.connect_entity(accounting, "2", "Visser").entity_id
    linking = control.create_integration(organisation, "linking", "Linking", "api_key",
                                         credentials={"api_key": "k"})
    return control, organisation, linking, smit, visser


def test_every_entity_has_a_stable_reference(setup):
    control, organisation, _, smit, visser = setup
    reference = control.entity_reference(smit)
    assert len(reference) == 36 and reference == control.entity_reference(smit)
    assert reference != control.entity_reference(visser)
    assert control.entity_by_reference(organisation, reference) == smit
    other = control.ensure_organisation("other", "Other")
    assert control.entity_by_reference(other, reference) is None


def test_an_entity_older_than_references_gets_one_on_first_use(setup):
    from sqlalchemy import text

    from monitr_pipeline.control.db import engine_for

    control, organisation, _, smit, _ = setup
    with engine_for(control.db_url).begin() as connection:
        connection.execute(text("update entities set reference = null where id = :id"),
                           {"id": smit})
    assert control.entity_by_reference(organisation, "") is None
    reference = control.entity_reference(smit)
    assert len(reference) == 36 and control.entity_reference(smit) == reference
    assert control.entity_by_reference(organisation, reference) == smit


def test_a_linked_administration_joins_its_entity_without_asking(setup):
    control, _, linking, smit, _ = setup
    adapter = LinkingAdapter()
    hinted = Administration("c-1", "Smit Holding", entity_hint=control.entity_reference(smit))
    [connection] = lifecycle.select(control, adapter, linking, ["c-1"], visible=[hinted])
    assert connection.entity_id == smit
    assert adapter.linked == []  # the provider says so already


def test_an_unlinked_administration_is_linked_to_the_entity_chosen(setup):
    control, _, linking, _, visser = setup
    adapter = LinkingAdapter()
    unlinked = Administration("c-2", "Studio Visser")
    with pytest.raises(ConnectionRuleError):  # no link, no choice: it needs the entity
        lifecycle.select(control, adapter, linking, ["c-2"], visible=[unlinked])
    [connection] = lifecycle.select(control, adapter, linking, ["c-2"], entity_id=visser,
                                    visible=[unlinked])
    assert connection.entity_id == visser
    assert adapter.linked == [[("c-2", control.entity_reference(visser))]]


def test_a_link_to_an_unknown_entity_is_no_choice(setup):
    control, _, linking, _, _ = setup
    stale = Administration("c-3", "Elders", entity_hint="7c9e6679-7425-40de-944b-e07fc1f90ae7")
    with pytest.raises(ConnectionRuleError):
        lifecycle.select(control, LinkingAdapter(), linking, ["c-3"], visible=[stale])


def test_the_sandbox_joins_by_link_before_name(setup):
    control, organisation, linking, smit, visser = setup
    adapter = LinkingAdapter()
    visible = [Administration("c-1", "Visser", entity_hint=control.entity_reference(smit)),
               Administration("c-2", "Visser"), Administration("c-4", "Nobody")]
    joined = assign_beside_entities(control, adapter, organisation, linking, visible)
    assert [(c.external_id, c.entity_id) for c in joined] == [("c-1", smit), ("c-2", visser)]
    assert adapter.linked == [[("c-2", control.entity_reference(visser))]]


def test_discovery_shows_the_entity_a_linked_administration_will_join(setup, capsys):
    from monitr_pipeline.cli.printing import print_administrations

    control, _, linking, smit, _ = setup
    print_administrations(control, linking, [
        Administration("c-1", "Smit Holding", entity_hint=control.entity_reference(smit)),
        Administration("c-2", "Elders")])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].endswith(f"not imported; linked to entity {smit} (Smit BV)")
    assert "Elders" in lines[2] and lines[2].endswith("  not imported")
