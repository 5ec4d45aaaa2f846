{#- The relation a generic test reads, overriding dbt's macro of this name. The test's own
    `where`, then: a model with config meta tests_window_column is read through
    tests_window_filter on that column (a daily run tests the days it rewrote); on BigQuery a
    model built with require_partition_filter is also read through partition_guard on its
    partition column, as every query on it must be. -#}
{% macro aelp_where_subquery(relation, extra_filters=[]) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set column = tests_window_column(relation) -%}
    {%- if column and tests_read_window() -%}
        {%- do filters.append(tests_window_filter(column) | trim) -%}
    {%- endif -%}
    {%- do filters.extend(extra_filters) -%}
    {%- if filters -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {{ return(aelp_where_subquery(relation)) }}
{%- endmacro %}

{% macro duckdb__get_where_subquery(relation) -%}
    {{ return(aelp_where_subquery(relation)) }}
{%- endmacro %}

{% macro bigquery__get_where_subquery(relation) -%}
    {%- set guards = [] -%}
    {%- for node in graph.get('nodes', {}).values() -%}
        {%- if node.resource_type == 'model'
            and node.config.get('require_partition_filter')
            and (node.alias or node.name) == relation.identifier
            and node.schema == relation.schema -%}
            {%- do guards.append(partition_guard(node.config.partition_by.field)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(aelp_where_subquery(relation, guards)) }}
{%- endmacro %}
