{#- UNNEST an array of structs so that each element is addressable as `element_alias.field`.
    BigQuery names the element with the table alias; DuckDB needs a column alias,
    otherwise the element column is called "unnest". -#}
{% macro unnest_as(array_expr, element_alias) -%}
    {{ return(adapter.dispatch('unnest_as', 'aelp')(array_expr, element_alias)) }}
{%- endmacro %}

{% macro default__unnest_as(array_expr, element_alias) -%}
    unnest({{ array_expr }}) as {{ element_alias }}
{%- endmacro %}

{% macro bigquery__unnest_as(array_expr, element_alias) -%}
    unnest({{ array_expr }}) as {{ element_alias }}
{%- endmacro %}

{% macro duckdb__unnest_as(array_expr, element_alias) -%}
    unnest({{ array_expr }}) as {{ element_alias }}_unnested ({{ element_alias }})
{%- endmacro %}
