-- One row per organisation: the currency its consolidated reports are in. For now the project's var monitr_reporting_currency for every organisation; the one place to change when organisations choose their own.

with administrations as (

    select * from {{ ref('int_administrations__unioned') }}

),

organisations as (

    select distinct organisation_id
    from administrations
    where organisation_id is not null

),

final as (

    select
        organisation_id,
        cast('{{ var("monitr_reporting_currency") }}' as {{ dbt.type_string() }}) as reporting_currency

    from organisations

)

select * from final
