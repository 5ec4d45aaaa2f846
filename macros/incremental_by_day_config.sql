{#- Model config of a day-grain incremental table that rewrites the whole days of the restatement
    window (days_to_restate), so a row that vanished from the source inside the window
    vanishes from the table on both engines; days_after adds the days after the run date (for
    rows dated after it, e.g. the scoring day). BigQuery overwrites the listed date partitions
    (static insert_overwrite: no scan of the target to find them) and may require a partition
    filter on every query; dbt-duckdb rejects the dict partition_by and insert_overwrite on a
    re-run, so DuckDB deletes the same days and inserts (the replace_days strategy). -#}
{% macro incremental_by_day_config(date_column, cluster_by, require_partition_filter=false, days_after=0) -%}
    {{ return(adapter.dispatch('incremental_by_day_config', 'aelp')(
        date_column, cluster_by, require_partition_filter, days_after
    )) }}
{%- endmacro %}

{% macro default__incremental_by_day_config(date_column, cluster_by, require_partition_filter=false, days_after=0) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'replace_days',
        'replaced_day_column': date_column,
        'partitions': days_to_restate(days_after),
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_day_config(date_column, cluster_by, require_partition_filter=false, days_after=0) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': {'field': date_column, 'data_type': 'date', 'granularity': 'day'},
        'partitions': days_to_restate(days_after),
        'cluster_by': cluster_by,
        'require_partition_filter': require_partition_filter,
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro duckdb__incremental_by_day_config(date_column, cluster_by, require_partition_filter=false, days_after=0) -%}
    {{ return(default__incremental_by_day_config(date_column, cluster_by, require_partition_filter, days_after)) }}
{%- endmacro %}
