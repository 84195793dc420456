"""HubSpot: the endpoints we import and the properties we ask for (API_FACTS.md section 13;
paths and shapes from HubSpot's OpenAPI descriptions, deals.v3.json and pipelines.v3.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

from monitr_pipeline.providers.hubspot import wire
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

SEARCH_PAGE = 200  # the search endpoints' largest `limit`
LIST_PAGE = 100  # the list endpoints' largest `limit`
# The deal properties we read (every value arrives as text): what the marts need, and the
# cursor (hs_lastmodifieddate, which HubSpot sets on every change).
DEAL_PROPERTIES = (
    "dealname", "amount", "amount_in_home_currency", "deal_currency_code", "closedate",
    "createdate", "dealstage", "pipeline", "hs_deal_stage_probability", "hs_is_closed",
    "hs_is_closed_won", "hs_lastmodifieddate", "hubspot_owner_id", "dealtype",
)
_DEAL_TYPES = {
    "amount": "decimal", "amount_in_home_currency": "decimal", "closedate": "timestamp",
    "createdate": "timestamp", "hs_deal_stage_probability": "decimal",
    "hs_lastmodifieddate": "timestamp",
}


def _after_cursor(endpoint: Endpoint) -> JSONResponseCursorPaginator:
    # paging.next.after is absent on the last page.
    return JSONResponseCursorPaginator(cursor_path="paging.next.after", cursor_param="after")


def epoch_ms(value: Any) -> str:
    """A cursor (the greatest hs_lastmodifieddate loaded) as search wants a datetime: epoch ms."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return str(int(value.timestamp() * 1000))


SPEC = ProviderSpec(
    slug="hubspot",
    name="HubSpot",
    connection_kind="crm",
    auth_kind="oauth2",
    environments={"default": "https://api.hubapi.com"},
    default_environment="default",
    oauth2=OAuth2Spec(
        authorize_path="/oauth/authorize",
        authorize_base_url="https://app.hubspot.com",
        token_path="/oauth/v1/token",
        scopes=("oauth", "crm.objects.deals.read"),
    ),
    data_selector="results",
    endpoints=(
        Endpoint(
            table="deals", path="crm/v3/objects/deals/search", method="POST",
            mode=LoadMode.INCREMENTAL, cursor="hs_lastmodifieddate", primary_key="id",
            reader="search_deals", page_size=SEARCH_PAGE,
            initial_value=datetime(1970, 1, 1, tzinfo=UTC), cursor_format=epoch_ms,
            columns={"id": "text", **{p: _DEAL_TYPES.get(p, "text") for p in DEAL_PROPERTIES},
                     "createdAt": "timestamp", "updatedAt": "timestamp"},
            required=("dealstage", "pipeline", "createdate"),
            description="Deals (not archived), searched by hs_lastmodifieddate from the last "
                        "import's greatest on; amount is in deal_currency_code, "
                        "amount_in_home_currency in the portal's company currency; every "
                        "property arrives as text (hs_is_closed 'true'/'false')."),
        Endpoint(
            table="deal_pipelines", path="crm/v3/pipelines/deals", primary_key="id",
            records=wire.pipelines, required=("label",),
            columns={"id": "text", "label": "text", "displayOrder": "bigint", "archived": "bool",
                     "createdAt": "timestamp", "updatedAt": "timestamp"},
            description="The portal's deal pipelines."),
        Endpoint(
            table="deal_stages", path="crm/v3/pipelines/deals", primary_key="id",
            records=wire.stages, required=("pipelineId", "label", "metadata.probability"),
            columns={"id": "text", "pipelineId": "text", "pipelineLabel": "text",
                     "label": "text", "displayOrder": "bigint", "archived": "bool",
                     "metadata.probability": "decimal", "metadata.isClosed": "text",
                     "createdAt": "timestamp", "updatedAt": "timestamp"},
            description="Every stage of every deal pipeline: metadata.probability (0.0-1.0) "
                        "weighs a deal's amount, metadata.isClosed ('true'/'false') ends it."),
        Endpoint(
            table="account_details", path="account-info/v3/details", primary_key="portalId",
            data_selector="$", required=("companyCurrency",),
            columns={"portalId": "bigint", "companyCurrency": "text", "timeZone": "text",
                     "accountType": "text", "uiDomain": "text", "dataHostingLocation": "text",
                     "additionalCurrencies": "json"},
            description="The portal itself: its company currency and time zone."),
        Endpoint(
            table="archived_deals", path="crm/v3/objects/deals", mode=LoadMode.DELETIONS,
            cursor="hs_lastmodifieddate", primary_key="id", page_size=LIST_PAGE,
            params={"archived": "true", "limit": "{page_size}",
                    "properties": "dealname,hs_lastmodifieddate"},
            paginator=_after_cursor, records=wire.archived_deals,
            initial_value=datetime(1970, 1, 1, tzinfo=UTC),
            columns={"id": "text", "objectType": "text", "dealname": "text",
                     "archivedAt": "timestamp", "hs_lastmodifieddate": "timestamp"},
            required=("archivedAt",),
            deleted_key_field="id", deleted_type_field="objectType",
            deleted_tables={"deals": "deals"},
            description="Archived (deleted) deals; each also deletes its deal from deals. "
                        "hs_lastmodifieddate is when it was archived."),
    ),
)
