-- Receivables and payables ageing: per entity, as-of date, item type and bucket of days past due, the open amount and number of items; as of each import (as_of_basis import) and at each month end from the item history (as_of_basis history).
{#-
    Two kinds of as-of date:
      - import: the open items as imported (fct_outstanding_items), one set per import of the
        entity, dated the day of its load. fct_outstanding_items holds only the latest state, so
        this model keeps the earlier sets itself: each build appends the sets of the entities whose
        newest load it has not aged yet (macros/reports/outstanding_items_ageing.sql); a later import
        on the same day replaces that day's set. `full_refresh=false` because earlier imports'
        sets cannot be computed again.
      - history: at the end of every month the entity has GL bookings in, from
        fct_outstanding_item_history (the providers that say when an item was settled); recomputed
        whole every build (pre-hook).
    Days past due count from the due date, or when an item has none from its opened date plus
    the default payment term (var ageing_default_payment_term_days, 30 days).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['provider', 'entity_id', 'as_of_basis', 'as_of_date'],
    on_schema_change='append_new_columns',
    full_refresh=false,
    pre_hook="{{ delete_history_ageing() }}",
) }}
{%- set text = dbt.type_string() %}
{%- set default_term_days = var('ageing_default_payment_term_days', 30) %}

with current_items as (

    select * from {{ ref('fct_outstanding_items') }}

),

item_history as (

    select * from {{ ref('fct_outstanding_item_history') }}

),

gl_lines as (

    select * from {{ ref('fct_gl_lines') }}

),

import_loads as (

    {{ outstanding_items_import_loads() }}

),

-- The entities' imports not aged yet: every entity on the first build, then those with a newer load.
imports_to_age as (

    select
        import_loads.provider,
        import_loads.entity_id,
        import_loads.load_id as import_load_id,
        {{ load_id_date('import_loads.load_id') }} as as_of_date

    from import_loads
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as built
        where built.as_of_basis = 'import'
            and built.provider = import_loads.provider
            and built.entity_id = import_loads.entity_id
            and built.import_load_id = import_loads.load_id
    )
    {%- endif %}

),

import_items as (

    select
        cast('import' as {{ text }}) as as_of_basis,
        imports_to_age.as_of_date,
        imports_to_age.import_load_id,
        items.provider,
        items.organisation_id,
        items.entity_id,
        items.item_type,
        items.due_date,
        items.invoice_date as opened_on,
        items.open_amount,
        items.currency

    from current_items as items
    inner join imports_to_age
        on items.provider = imports_to_age.provider
        and items.entity_id = imports_to_age.entity_id

),

-- The month ends of the months each entity with item history booked in.
month_ends as (

    select distinct
        gl_lines.provider,
        gl_lines.entity_id,
        cast({{ dbt.last_day('gl_lines.booking_date', 'month') }} as date) as as_of_date

    from gl_lines
    where exists (
        select 1
        from item_history
        where item_history.provider = gl_lines.provider
            and item_history.entity_id = gl_lines.entity_id
    )

),

-- One item per invoice: its lines and the part payments and credit notes matched to it, so that
-- a part payment ages with its invoice rather than on its own date.
item_lines as (

    select
        item_history.*,
        coalesce(item_history.match_reference, item_history.source_id) as item_reference

    from item_history

),

-- An item is settled once every line of it is, on the last of their dates: a provider may mark a
-- credit note matched to an invoice settled on its own date while the invoice stays partly open
-- (Twinfield's matchdate), and the credit note still counts against the invoice until then.
item_settlements as (

    select
        provider,
        entity_id,
        item_type,
        item_reference,
        case when count(settled_on) = count(*) then max(settled_on) end as item_settled_on

    from item_lines
    group by provider, entity_id, item_type, item_reference

),

-- The lines of the items open at each month end: booked by then, the item not settled by then.
history_lines_open as (

    select
        month_ends.as_of_date,
        lines.provider,
        lines.organisation_id,
        lines.entity_id,
        lines.item_type,
        lines.item_reference,
        lines.opened_on,
        lines.due_date,
        lines.amount,
        lines.currency

    from item_lines as lines
    inner join item_settlements as settlements
        on lines.provider = settlements.provider
        and lines.entity_id = settlements.entity_id
        and lines.item_type = settlements.item_type
        and lines.item_reference = settlements.item_reference
    inner join month_ends
        on lines.provider = month_ends.provider
        and lines.entity_id = month_ends.entity_id
        and lines.opened_on <= month_ends.as_of_date
        and (settlements.item_settled_on is null or settlements.item_settled_on > month_ends.as_of_date)

),

-- Each open item at each month end: what is open of it, aged from its due date.
history_items as (

    select
        cast('history' as {{ text }}) as as_of_basis,
        as_of_date,
        cast(null as {{ text }}) as import_load_id,
        provider,
        organisation_id,
        entity_id,
        item_type,
        max(due_date) as due_date,
        min(opened_on) as opened_on,
        sum(amount) as open_amount,
        min(currency) as currency

    from history_lines_open
    group by as_of_date, provider, organisation_id, entity_id, item_type, item_reference
    having sum(amount) <> 0

),

items as (

    select * from import_items
    union all
    select * from history_items

),

aged as (

    select
        items.*,
        case when items.due_date is null then 1 else 0 end as is_on_default_term,
        coalesce(
            {{ dbt.datediff(
                'coalesce(items.due_date, cast(' ~ dbt.dateadd('day', default_term_days, 'items.opened_on') ~ ' as date))',
                'items.as_of_date', 'day') }},
            0
        ) as days_past_due

    from items

),

bucketed as (

    select
        aged.*,
        cast(
            case
                when days_past_due <= 0 then 'current'
                when days_past_due <= 30 then '1_30'
                when days_past_due <= 60 then '31_60'
                when days_past_due <= 90 then '61_90'
                else 'over_90'
            end as {{ text }}
        ) as bucket,
        case
            when days_past_due <= 0 then 1
            when days_past_due <= 30 then 2
            when days_past_due <= 60 then 3
            when days_past_due <= 90 then 4
            else 5
        end as bucket_order

    from aged

),

final as (

    select
        {{ surrogate_key(['provider', 'entity_id', 'as_of_basis', 'as_of_date', 'item_type',
                          'bucket', 'currency']) }} as ageing_key,
        provider,
        organisation_id,
        entity_id,
        as_of_basis,
        as_of_date,
        max(import_load_id) as import_load_id,
        item_type,
        bucket,
        bucket_order,
        currency,
        cast(sum(open_amount) as decimal(18, 2)) as open_amount,
        cast(count(*) as bigint) as item_count,
        cast(sum(is_on_default_term) as bigint) as default_term_item_count,
        cast({{ default_term_days }} as integer) as default_term_days

    from bucketed
    group by provider, organisation_id, entity_id, as_of_basis, as_of_date, item_type, bucket,
        bucket_order, currency

)

select * from final
