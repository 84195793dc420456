"""Teamleader Focus: the lists we import (API_FACTS.md section 14; request and answer shapes from
Teamleader's API Blueprint in /work/shared/providers/specs/teamleader/ and teamleadercrm/api
src/01-general/departments.apib, src/09-time-tracking/time-tracking.apib and
src/12-nextgen-projects/materials.apib).

Every list is a SNAPSHOT: Teamleader never lists deleted records (deletions reach only webhooks,
which an import cannot receive), so a deletion is a key missing from a full list; and its lists
have no sparse fieldsets, so an id-only list costs the same calls as the full one. One full
list per import therefore gives the changes (rows whose digest changed are loaded) and the
deletions (keys gone) in the fewest calls; `updated_since` on top would only add calls.
"""

from __future__ import annotations

from typing import Any

from dlt.sources.helpers.rest_client.paginators import BasePaginator

from monitr_pipeline.providers.spec import Endpoint, OAuth2Spec, ProviderSpec
from monitr_pipeline.providers.teamleader import wire

PAGE_SIZE = 100  # the largest page Teamleader gives ("page": {"size": 20 (max 100)})
IDENTITY = "https://focus.teamleader.eu"
_MONEY = "decimal"


class PageBodyPaginator(BasePaginator):
    """`"page": {"size", "number"}` in the POST body; the last page is the first that is not
    full (the lists' meta.matches is only given with includes=pagination, and an empty page
    after a full one would cost a call more)."""

    def __init__(self, size: int):
        super().__init__()
        self.size, self.number = size, 1

    def init_request(self, request: Any) -> None:
        self.number = 1
        self._page(request)

    def update_state(self, response: Any, data: list[Any] | None = None) -> None:
        if data is None or len(data) < self.size:
            self._has_next_page = False
        else:
            self.number += 1

    def update_request(self, request: Any) -> None:
        self._page(request)

    def _page(self, request: Any) -> None:
        request.json = {**(request.json or {}), "page": {"size": self.size,
                                                         "number": self.number}}


def _paged(endpoint: Endpoint) -> PageBodyPaginator:
    return PageBodyPaginator(endpoint.page_size)


def _ascending(field: str) -> list[dict[str, str]]:
    # A stable order in which new records come last, so paging is not shifted by them.
    return [{"field": field, "order": "asc"}]


_OWN_DEPARTMENT = {"department_id": "{external_id}"}

SPEC = ProviderSpec(
    slug="teamleader",
    name="Teamleader Focus",
    connection_kind="crm",
    auth_kind="oauth2",
    environments={"default": "https://api.focus.teamleader.eu"},
    default_environment="default",
    oauth2=OAuth2Spec(authorize_path="/oauth2/authorize", authorize_base_url=IDENTITY,
                      token_path="/oauth2/access_token", token_base_url=IDENTITY),
    paginator=_paged,
    data_selector="data",
    endpoints=(
        Endpoint(
            table="departments", path="departments.info", method="POST", primary_key="id",
            reader="department", guard_deletions=False, required=("name", "currency", "read_at"),
            columns={"id": "text", "name": "text", "vat_number": "text", "currency": "text",
                     "read_at": "bigint"},
            description="The department (company entity) itself: its name and currency, with "
                        "read_at: Teamleader's clock when it was read (the moment the "
                        "import's data is as of)."),
        Endpoint(
            table="deal_phases", path="dealPhases.list", method="POST", primary_key="id",
            reader="deal_phases", required=("name", "probability", "pipeline_id"),
            columns={"id": "text", "name": "text", "probability": "decimal",
                     "pipeline_id": "text", "pipeline_name": "text", "phase_order": "bigint",
                     "requires_attention_after.amount": "bigint",
                     "requires_attention_after.unit": "text"},
            description="Every phase of every deal pipeline of the account, in flow order "
                        "(phase_order), with its pipeline (read per pipeline: a phase does "
                        "not name its own); probability is 0-1."),
        Endpoint(
            table="deals", path="deals.list", method="POST", primary_key="id",
            json={"sort": _ascending("created_at")}, records=wire.with_department,
            only=_OWN_DEPARTMENT,
            required=("title", "status", "pipeline.id", "current_phase.id", "created_at",
                      "updated_at", "department_id"),
            columns={"id": "text", "title": "text", "reference": "text", "status": "text",
                     "department_id": "text", "lead.customer.type": "text",
                     "lead.customer.id": "text", "pipeline.id": "text",
                     "current_phase.id": "text", "estimated_value.amount": _MONEY,
                     "estimated_value.currency": "text", "estimated_probability": "decimal",
                     "weighted_value.amount": _MONEY, "weighted_value.currency": "text",
                     "estimated_closing_date": "date", "closed_at": "timestamp",
                     "responsible_user.id": "text", "source.id": "text",
                     "created_at": "timestamp", "updated_at": "timestamp",
                     "web_url": "text"},
            description="The department's deals (deals.list has no department filter: the "
                        "account's deals, kept where department.id is the entity's); status "
                        "open, won or lost; estimated_value in its own currency."),
        Endpoint(
            table="subscriptions", path="subscriptions.list", method="POST", primary_key="id",
            json={"filter": _OWN_DEPARTMENT, "sort": _ascending("created_at")},
            required=("status", "starts_on", "billing_cycle.periodicity.unit",
                      "billing_cycle.periodicity.period", "total.tax_exclusive.amount",
                      "total.tax_exclusive.currency"),
            columns={"id": "text", "title": "text", "status": "text", "department.id": "text",
                     "invoicee.customer.type": "text", "invoicee.customer.id": "text",
                     "project.id": "text", "starts_on": "date", "ends_on": "date",
                     "next_renewal_date": "date", "billing_cycle.periodicity.unit": "text",
                     "billing_cycle.periodicity.period": "bigint",
                     "billing_cycle.days_in_advance": "bigint",
                     "total.tax_exclusive.amount": _MONEY,
                     "total.tax_exclusive.currency": "text",
                     "total.tax_inclusive.amount": _MONEY, "web_url": "text"},
            description="The department's subscriptions (filter department_id), active and "
                        "deactivated; total.tax_exclusive is what one billing cycle of "
                        "`period` `unit`s (week, month, year) invoices."),
        Endpoint(
            table="projects", path="projects-v2/projects.list", method="POST",
            primary_key="id", json={"sort": _ascending("project_key")},
            records=wire.with_company_entity, only=_OWN_DEPARTMENT,
            required=("project_key", "title", "status"),
            columns={"id": "text", "project_key": "bigint", "title": "text", "status": "text",
                     "billing_method": "text", "department_id": "text",
                     "time_budget.value": "bigint", "time_tracked.value": "bigint",
                     "internal_budget.amount": _MONEY, "internal_budget.currency": "text",
                     "external_budget.amount": _MONEY, "price.amount": _MONEY,
                     "cost.amount": _MONEY, "start_date": "date", "end_date": "date"},
            description="The department's projects (new projects module; its company_entity "
                        "is the entity's department): time_budget in seconds, internal_budget "
                        "is the cost budget."),
        Endpoint(
            table="time_tracking", path="timeTracking.list", method="POST", primary_key="id",
            reader="time_tracking",
            required=("started_on", "duration", "project_id"),
            columns={"id": "text", "project_id": "text", "user.id": "text",
                     "work_type.id": "text", "started_on": "date", "started_at": "timestamp",
                     "ended_at": "timestamp", "duration": "bigint", "description": "text",
                     "invoiceable": "bool", "hourly_rate.amount": _MONEY,
                     "hourly_rate.currency": "text"},
            description="Time tracked on the department's projects (relates_to a project of "
                        "the department); duration in seconds."),
        Endpoint(
            table="materials", path="projects-v2/materials.list", method="POST",
            primary_key="id", reader="materials",
            required=("project_id", "start_date"),
            columns={"id": "text", "project_id": "text", "title": "text", "status": "text",
                     "billing_method": "text", "quantity": "decimal",
                     "unit_cost.amount": _MONEY, "unit_price.amount": _MONEY,
                     "cost.amount": _MONEY, "cost.currency": "text", "price.amount": _MONEY,
                     "start_date": "date", "end_date": "date"},
            description="Materials used on the department's projects (new projects module): "
                        "quantity at unit_cost makes cost; start_date dates them."),
    ),
)
