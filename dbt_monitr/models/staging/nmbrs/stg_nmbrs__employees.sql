-- Nmbrs employees: the employee key only (a salted hash of company id and employee id), never a name or employee number. The salt is the dbt var personnel_key_salt, else the environment's MONITR_PERSONNEL_KEY_SALT; set it per deployment so keys cannot be recomputed from Nmbrs ids elsewhere.
{%- set text = dbt.type_string() %}
{%- set salt = var('personnel_key_salt', env_var('MONITR_PERSONNEL_KEY_SALT', 'monitr-sandbox-salt')) %}

with source as (

    select * from {{ monitr_source('nmbrs', 'employees') }}

),

companies as (

    select _monitr_entity_id, company_id from {{ monitr_source('nmbrs', 'companies') }}

),

renamed as (

    select
        cast('nmbrs' as {{ text }}) as provider,
        cast(source._monitr_organisation_id as bigint) as organisation_id,
        cast(source._monitr_entity_id as bigint) as entity_id,
        cast(source.employee_id as {{ text }}) as employee_source_id,
        {{ dbt.hash(dbt.concat(["'" ~ salt ~ "'", "'|'", "companies.company_id", "'|'", "source.employee_id"])) }} as employee_key,
        cast(source.employee_basic_info_employee_type as {{ text }}) as employee_type

    from source
    inner join companies
        on companies._monitr_entity_id = source._monitr_entity_id

)

select * from renamed
