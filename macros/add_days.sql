{#- A DATE plus n days, still a DATE. dbt.dateadd returns a DATETIME on BigQuery, so BigQuery
    uses DATE_ADD; DuckDB adds an integer to a date directly. -#}
{% macro add_days(date_expr, n_days) -%}
    {{ return(adapter.dispatch('add_days', 'aelp')(date_expr, n_days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, n_days) -%}
    cast({{ dbt.dateadd('day', n_days, date_expr) }} as date)
{%- endmacro %}

{% macro bigquery__add_days(date_expr, n_days) -%}
    date_add({{ date_expr }}, interval ({{ n_days }}) day)
{%- endmacro %}

{% macro duckdb__add_days(date_expr, n_days) -%}
    cast({{ date_expr }} + cast({{ n_days }} as integer) as date)
{%- endmacro %}
