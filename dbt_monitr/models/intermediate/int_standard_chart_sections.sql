-- The report sections of the standard charts (the rows of the P&L and balance sheet), from the seed: per section its statement, balance-sheet side and order.

with sections as (

    select * from {{ ref('standard_chart_sections') }}

),

final as (

    select
        cast(report_section as {{ dbt.type_string() }}) as report_section,
        cast(statement as {{ dbt.type_string() }}) as statement,
        cast(balance_sheet_side as {{ dbt.type_string() }}) as balance_sheet_side,
        cast(sort_order as integer) as sort_order,
        cast(name_nl as {{ dbt.type_string() }}) as name_nl,
        cast(name_en as {{ dbt.type_string() }}) as name_en

    from sections

)

select * from final
