{#- The filter a query on a fact with require_partition_filter must carry: on BigQuery the
    days of the restatement window widened by extra_days into the past (tests and reporting
    views read what the daily run rewrote, never the whole history); DuckDB tables have no
    partitions to guard, so every row stays in. -#}
{% macro partition_guard(date_column, extra_days=0) -%}
    {{ return(adapter.dispatch('partition_guard', 'aelp')(date_column, extra_days)) }}
{%- endmacro %}

{% macro default__partition_guard(date_column, extra_days=0) -%}
    (1 = 1)
{%- endmacro %}

{% macro bigquery__partition_guard(date_column, extra_days=0) -%}
    {%- set days = days_to_restate() -%}
    ({{ date_column }} between {{ add_days(days[-1], -1 * (extra_days | int)) }} and {{ days[0] }})
{%- endmacro %}

{% macro duckdb__partition_guard(date_column, extra_days=0) -%}
    {{ default__partition_guard(date_column, extra_days) }}
{%- endmacro %}
