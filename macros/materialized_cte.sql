{#- The keyword that makes DuckDB compute a CTE once, in full, before the query that reads it
    (`name as materialized (...)`): a CTE read by several windows or joins then neither runs
    twice nor holds its inputs in memory beside theirs. With materialized=false, the keyword that
    keeps DuckDB from doing so for a CTE read more than once (`not materialized`): each reader
    then gets its own plan, so its filters and column choice reach the scan instead of the whole
    CTE being computed first. BigQuery decides for itself; nothing. -#}
{% macro materialized_cte(materialized=true) -%}
    {{ return(adapter.dispatch('materialized_cte', 'aelp')(materialized)) }}
{%- endmacro %}

{% macro default__materialized_cte(materialized=true) -%}
{%- endmacro %}

{% macro duckdb__materialized_cte(materialized=true) -%}
    {{ 'materialized' if materialized else 'not materialized' }}
{%- endmacro %}
