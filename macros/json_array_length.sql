{#- Number of elements of the JSON array at a JSONPath in JSON text (0 when absent).
    BigQuery has no JSON_ARRAY_LENGTH: it counts JSON_QUERY_ARRAY; DuckDB has the function. -#}
{% macro json_array_length(json_text, json_path) -%}
    {{ return(adapter.dispatch('json_array_length', 'aelp')(json_text, json_path)) }}
{%- endmacro %}

{% macro default__json_array_length(json_text, json_path) -%}
    coalesce(json_array_length({{ json_text }}, '{{ json_path }}'), 0)
{%- endmacro %}

{% macro bigquery__json_array_length(json_text, json_path) -%}
    coalesce(array_length(json_query_array({{ json_text }}, '{{ json_path }}')), 0)
{%- endmacro %}

{% macro duckdb__json_array_length(json_text, json_path) -%}
    {{ default__json_array_length(json_text, json_path) }}
{%- endmacro %}
