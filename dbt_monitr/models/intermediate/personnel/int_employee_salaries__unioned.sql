-- Salaries of every payroll provider, each from its start date (salary_type monthly or hourly). Salary values live in the personnel_salary schema only.
{{ config(schema='personnel_salary') }}

{{ union_providers([
    'stg_nmbrs__salaries',
]) }}
