{#- The replace_days incremental strategy (DuckDB): delete every row of the model's partitions
    (config replaced_day_column, partitions) from the target, then insert the new rows, in one
    transaction; the equivalent of BigQuery's static insert_overwrite. dbt looks strategies up by
    this name, so it is not dispatched. -#}
{% macro get_incremental_replace_days_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set day_column = config.get('replaced_day_column') -%}
    {%- set partitions = config.get('partitions') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ day_column }} in ({{ partitions | join(', ') }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
