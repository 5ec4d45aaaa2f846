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

{#- The keyword that makes DuckDB inline a CTE into each query that reads it (`name as not
    materialized (...)`): DuckDB computes a CTE read more than once in full before its readers,
    so their filters never reach the table scan; inlined, a reader's date filter skips the
    table's other days. BigQuery decides for itself; nothing. -#}
{% macro inlined_cte() -%}
    {{ return(adapter.dispatch('inlined_cte', 'aelp')()) }}
{%- endmacro %}

{% macro default__inlined_cte() -%}
{%- endmacro %}

{% macro duckdb__inlined_cte() -%}
    not materialized
{%- endmacro %}
