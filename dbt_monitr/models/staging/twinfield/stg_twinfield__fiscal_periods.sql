-- Twinfield periods (finder PRD), renamed and cast; period 0 (opening balance) is left out.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('twinfield', 'periods') }}

),

renamed as (

    select
        cast('twinfield' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(jaar_periode as {{ text }}) as source_id,
        cast(substr(jaar_periode, 1, 4) as integer) as fiscal_year,
        cast(substr(jaar_periode, 6, 2) as integer) as fiscal_period,
        cast(begindatum as date) as start_date,
        cast(einddatum as date) as end_date,
        cast(null as timestamp with time zone) as source_modified_at

    from source
    where substr(jaar_periode, 6, 2) <> '00'

)

select * from renamed
