-- CSV import administrations: one per administration folder that has GL lines, with the reporting currency of its lines.
{%- set text = dbt.type_string() %}

with lines as (

    select * from {{ monitr_source('csv_import', 'gl_lines') }}

),

final as (

    -- The import rejects an administration whose lines name two currencies, so min() is the one.
    select
        cast('csv_import' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(administration as {{ text }}) as source_id,
        cast(administration as {{ text }}) as administration_id,
        cast(administration as {{ text }}) as administration_name,
        cast(upper(min(currency)) as {{ text }}) as currency,
        cast(null as {{ text }}) as country

    from lines
    group by _monitr_organisation_id, _monitr_entity_id, administration

)

select * from final
