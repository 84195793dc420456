-- One row per provider x entity with account balances: what tells the incremental statement marts (trial balance, P&L, balance sheet) which entities to rebuild: new balances, changed account mappings or a changed fiscal calendar.
{#-
    The entity inputs of macros/report_statements.sql (see macros/entity_incremental.sql):
    load_id is the newest raw load behind the entity's balances; inputs_state joins the
    fingerprint of its balances with a hash of its account mappings and fiscal periods, so an
    override from `monitr accounts map` rebuilds exactly the entities it maps.
    A table, so every statement mart compares against the same state in one build.
-#}
{{ config(materialized='table') }}
{%- set text = dbt.type_string() %}

with balances as (

    select
        provider,
        entity_id,
        min(entity_inputs_load_id) as load_id,
        min(entity_inputs_fingerprint) as balances_fingerprint

    from {{ ref('fct_account_balances') }}
    group by provider, entity_id

),

mappings as (

    select
        provider,
        entity_id,
        {{ dbt.listagg(
            dbt.concat(["account_code", "'='", "coalesce(standard_code, '')", "'/'",
                        "coalesce(report_section, '')"]),
            "','", "order by account_code") }} as mapping_list

    from {{ ref('dim_account_mappings') }}
    group by provider, entity_id

),

periods as (

    select
        provider,
        entity_id,
        {{ dbt.listagg(
            dbt.concat(["cast(fiscal_year as " ~ text ~ ")", "'/'", "cast(fiscal_period as " ~ text ~ ")",
                        "'='", "coalesce(cast(end_date as " ~ text ~ "), '')"]),
            "','", "order by fiscal_year, fiscal_period") }} as period_list

    from {{ ref('dim_fiscal_periods') }}
    group by provider, entity_id

),

final as (

    select
        balances.provider,
        balances.entity_id,
        cast(balances.load_id as {{ text }}) as load_id,
        cast({{ surrogate_key(['balances.balances_fingerprint', 'mappings.mapping_list',
                               'periods.period_list']) }} as {{ text }}) as inputs_state

    from balances
    left join mappings
        on balances.provider = mappings.provider
        and balances.entity_id = mappings.entity_id
    left join periods
        on balances.provider = periods.provider
        and balances.entity_id = periods.entity_id

)

select * from final
