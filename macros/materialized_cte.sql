{#- The keyword that makes DuckDB compute a CTE once, in full, before the query that reads it
    (`name as materialized (...)`): a CTE read by several windows or joins then neither runs
    twice nor holds its inputs in memory beside theirs. BigQuery decides for itself; nothing. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'aelp')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
