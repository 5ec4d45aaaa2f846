{#- BigQuery has SAFE_DIVIDE; DuckDB has none, so null out a zero denominator by hand. -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'aelp')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ dbt.type_float() }}) / nullif(cast({{ denominator }} as {{ dbt.type_float() }}), 0))
{%- endmacro %}

{% macro bigquery__safe_divide(numerator, denominator) -%}
    safe_divide(cast({{ numerator }} as float64), cast({{ denominator }} as float64))
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    {{ default__safe_divide(numerator, denominator) }}
{%- endmacro %}
