-- Octopus accounts (BE PCMN), renamed and cast: Octopus keeps an account per book year; the latest book year's is the account. Classes 1-5 are the balance sheet, 6-7 profit and loss.
{%- set text = dbt.type_string() %}

with source as (

    select * from {{ monitr_source('octopus', 'accounts') }}

),

latest as (

    select
        source.*,
        row_number() over (
            partition by _monitr_entity_id, account_key_id
            order by account_key_bookyear_key_id desc
        ) as recency

    from source

),

renamed as (

    select
        cast('octopus' as {{ text }}) as provider,
        cast(_monitr_organisation_id as bigint) as organisation_id,
        cast(_monitr_entity_id as bigint) as entity_id,
        cast(account_key_id as {{ text }}) as source_id,
        cast(null as {{ text }}) as administration_id,
        cast(account_key_id as {{ text }}) as account_code,
        cast(coalesce(description_description_nl, description_description_fr,
                      description_description_en) as {{ text }}) as account_name,
        cast(
            case when substr(cast(account_key_id as {{ text }}), 1, 1) in ('6', '7')
                then 'profit_and_loss' else 'balance_sheet' end as {{ text }}
        ) as statement,
        cast(
            case
                when substr(cast(account_key_id as {{ text }}), 1, 1) in ('1', '7') then 'credit'
                when substr(cast(account_key_id as {{ text }}), 1, 2) in ('40', '41') then 'debit'
                when substr(cast(account_key_id as {{ text }}), 1, 1) = '4' then 'credit'
                else 'debit'
            end as {{ text }}
        ) as normal_balance,
        cast(substr(cast(account_key_id as {{ text }}), 1, 1) as {{ text }}) as source_account_type,
        cast(
            case substr(cast(account_key_id as {{ text }}), 1, 1)
                when '1' then 'Eigen vermogen, voorzieningen en schulden op meer dan een jaar'
                when '2' then 'Oprichtingskosten, vaste activa en vorderingen op meer dan een jaar'
                when '3' then 'Voorraden en bestellingen in uitvoering'
                when '4' then 'Vorderingen en schulden op ten hoogste een jaar'
                when '5' then 'Geldbeleggingen en liquide middelen'
                when '6' then 'Kosten'
                when '7' then 'Opbrengsten'
                else 'Overige'
            end as {{ text }}
        ) as source_account_type_name,
        false as is_blocked,
        cast(modified_since as timestamp with time zone) as source_modified_at

    from latest
    where recency = 1

)

select * from renamed
