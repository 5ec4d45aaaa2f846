{#- ISO day of week, 1 = Monday .. 7 = Sunday. BigQuery's DAYOFWEEK starts on Sunday = 1;
    DuckDB has ISODOW. -#}
{% macro iso_weekday(date_expr) -%}
    {{ return(adapter.dispatch('iso_weekday', 'aelp')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_weekday(date_expr) -%}
    extract(isodow from {{ date_expr }})
{%- endmacro %}

{% macro bigquery__iso_weekday(date_expr) -%}
    mod(extract(dayofweek from {{ date_expr }}) + 5, 7) + 1
{%- endmacro %}

{% macro duckdb__iso_weekday(date_expr) -%}
    isodow({{ date_expr }})
{%- endmacro %}
