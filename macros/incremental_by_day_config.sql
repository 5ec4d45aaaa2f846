{#- Model config of a day-grain incremental table that rewrites whole days.
    BigQuery overwrites date partitions (insert_overwrite; dbt-duckdb rejects both the dict
    partition_by and insert_overwrite on a re-run), DuckDB deletes and re-inserts the keys. -#}
{% macro incremental_by_day_config(unique_key, date_column, cluster_by) -%}
    {{ return(adapter.dispatch('incremental_by_day_config', 'aelp')(unique_key, date_column, cluster_by)) }}
{%- endmacro %}

{% macro default__incremental_by_day_config(unique_key, date_column, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_day_config(unique_key, date_column, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': {'field': date_column, 'data_type': 'date', 'granularity': 'day'},
        'cluster_by': cluster_by,
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro duckdb__incremental_by_day_config(unique_key, date_column, cluster_by) -%}
    {{ return(default__incremental_by_day_config(unique_key, date_column, cluster_by)) }}
{%- endmacro %}
