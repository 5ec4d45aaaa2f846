{#- CAST that yields null instead of failing on a value that does not convert. BigQuery spells it
    SAFE_CAST and DuckDB TRY_CAST; dbt.safe_cast falls back to a plain CAST on DuckDB. -#}
{% macro try_cast(expr, type_name) -%}
    {{ return(adapter.dispatch('try_cast', 'aelp')(expr, type_name)) }}
{%- endmacro %}

{% macro default__try_cast(expr, type_name) -%}
    {{ dbt.safe_cast(expr, type_name) }}
{%- endmacro %}

{% macro bigquery__try_cast(expr, type_name) -%}
    safe_cast({{ expr }} as {{ type_name }})
{%- endmacro %}

{% macro duckdb__try_cast(expr, type_name) -%}
    try_cast({{ expr }} as {{ type_name }})
{%- endmacro %}
