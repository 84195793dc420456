-- HubSpot deals (archived ones are deleted on load), renamed and cast. amount is in the deal's currency (deal_currency_code; a portal without multi-currency names none: its company currency), amount_company_currency in the portal's company currency (HubSpot's amount_in_home_currency, else amount when the deal is in that currency). Close and create dates are the calendar days of HubSpot's datetimes in the portal's time zone (a close date picked in HubSpot is the start of that day there).
{%- set text = dbt.type_string() %}

with deals as (

    select * from {{ monitr_source('hubspot', 'deals') }}

),

portals as (

    -- The portal's company currency and time zone: one row per entity (a portal is one entity).
    select * from {{ monitr_source('hubspot', 'account_details') }}

),

renamed as (

    select
        cast('hubspot' as {{ text }}) as provider,
        cast(deals._monitr_organisation_id as bigint) as organisation_id,
        cast(deals._monitr_entity_id as bigint) as entity_id,
        cast(deals.id as {{ text }}) as source_id,
        cast(deals.id as {{ text }}) as deal_id,
        cast(deals.dealname as {{ text }}) as deal_name,
        cast(deals.pipeline as {{ text }}) as pipeline_id,
        cast(deals.dealstage as {{ text }}) as stage_id,
        cast(deals.amount as decimal(18, 2)) as amount,
        cast(coalesce(deals.deal_currency_code, portals.company_currency) as {{ text }}) as currency,
        cast(
            coalesce(
                deals.amount_in_home_currency,
                case
                    when coalesce(deals.deal_currency_code, portals.company_currency)
                        = portals.company_currency
                        then deals.amount
                end
            ) as decimal(18, 2)
        ) as amount_company_currency,
        cast(portals.company_currency as {{ text }}) as company_currency,
        cast(cast(deals.closedate at time zone coalesce(portals.time_zone, 'UTC') as timestamp) as date)
            as close_date,
        cast(cast(deals.createdate at time zone coalesce(portals.time_zone, 'UTC') as timestamp) as date)
            as created_date,
        cast(deals.createdate as timestamp with time zone) as created_at,
        cast(deals.hs_lastmodifieddate as timestamp with time zone) as updated_at,
        cast(deals.hubspot_owner_id as {{ text }}) as owner_id,
        cast(deals.dealtype as {{ text }}) as deal_type

    from deals
    left join portals
        on deals._monitr_entity_id = portals._monitr_entity_id

)

select * from renamed
