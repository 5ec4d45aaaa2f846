{#- Days since 1970-01-01 as an integer, the ORDER BY key of RANGE window frames.
    BigQuery has UNIX_DATE; DuckDB subtracts dates to an integer number of days. -#}
{% macro day_number(date_expr) -%}
    {{ return(adapter.dispatch('day_number', 'aelp')(date_expr)) }}
{%- endmacro %}

{% macro default__day_number(date_expr) -%}
    {{ dbt.datediff("cast('1970-01-01' as date)", date_expr, 'day') }}
{%- endmacro %}

{% macro bigquery__day_number(date_expr) -%}
    unix_date({{ date_expr }})
{%- endmacro %}

{% macro duckdb__day_number(date_expr) -%}
    ({{ date_expr }} - date '1970-01-01')
{%- endmacro %}
