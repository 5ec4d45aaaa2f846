{#- The relation a generic test reads. On BigQuery a model built with require_partition_filter
    is read through partition_guard on its partition column (plus the test's own where), so its
    tests scan the days the run rewrote; elsewhere dbt's default. Overrides dbt's macro of this
    name for the bigquery adapter. -#}
{% macro bigquery__get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- for node in graph.get('nodes', {}).values() -%}
        {%- if node.resource_type == 'model'
            and node.config.get('require_partition_filter')
            and (node.alias or node.name) == relation.identifier
            and node.schema == relation.schema -%}
            {%- do filters.append(partition_guard(node.config.partition_by.field)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if filters -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
