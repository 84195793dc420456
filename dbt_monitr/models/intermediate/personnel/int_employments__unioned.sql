-- Employments of every payroll provider (a re-hire is a second employment); end_date null while in service.

{{ union_providers([
    'stg_nmbrs__employments',
]) }}
