{#- Total number of elements of the arrays found at element_key inside each object of the JSON array
    at array_path, e.g. every interest across all flexible_spec groups (0 when absent).
    BigQuery's JSONPath has no [*] wildcard, so it unnests the outer array; DuckDB takes the
    wildcard path and sums the list of lengths. -#}
{% macro json_nested_array_length(json_text, array_path, element_key) -%}
    {{ return(adapter.dispatch('json_nested_array_length', 'aelp')(json_text, array_path, element_key)) }}
{%- endmacro %}

{% macro default__json_nested_array_length(json_text, array_path, element_key) -%}
    coalesce(list_sum(json_array_length({{ json_text }}, '{{ array_path }}[*].{{ element_key }}')), 0)
{%- endmacro %}

{% macro bigquery__json_nested_array_length(json_text, array_path, element_key) -%}
    coalesce((
        select sum(array_length(json_query_array(nested_element, '$.{{ element_key }}')))
        from unnest(json_query_array({{ json_text }}, '{{ array_path }}')) as nested_element
    ), 0)
{%- endmacro %}

{% macro duckdb__json_nested_array_length(json_text, array_path, element_key) -%}
    {{ default__json_nested_array_length(json_text, array_path, element_key) }}
{%- endmacro %}
