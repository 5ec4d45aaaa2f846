{#- A scalar at a JSONPath in JSON text, as a string (null when absent).
    BigQuery spells it JSON_VALUE; DuckDB's JSON extension spells it JSON_EXTRACT_STRING. -#}
{% macro json_scalar(json_text, json_path) -%}
    {{ return(adapter.dispatch('json_scalar', 'aelp')(json_text, json_path)) }}
{%- endmacro %}

{% macro default__json_scalar(json_text, json_path) -%}
    json_value({{ json_text }}, '{{ json_path }}')
{%- endmacro %}

{% macro bigquery__json_scalar(json_text, json_path) -%}
    json_value({{ json_text }}, '{{ json_path }}')
{%- endmacro %}

{% macro duckdb__json_scalar(json_text, json_path) -%}
    json_extract_string({{ json_text }}, '{{ json_path }}')
{%- endmacro %}
