{#- The filter a query on a fact with require_partition_filter must carry: on BigQuery the
    days of the restatement window widened by extra_days into the past (tests and reporting
    views read what the daily run rewrote, never the whole history); open_ended drops the
    upper bound (for tables whose rows are dated after the run date, e.g. tomorrow's slate).
    DuckDB tables have no partitions to guard, so every row stays in. -#}
{% macro partition_guard(date_column, extra_days=0, open_ended=false) -%}
    {{ return(adapter.dispatch('partition_guard', 'aelp')(date_column, extra_days, open_ended)) }}
{%- endmacro %}

{% macro default__partition_guard(date_column, extra_days=0, open_ended=false) -%}
    (1 = 1)
{%- endmacro %}

{% macro bigquery__partition_guard(date_column, extra_days=0, open_ended=false) -%}
    {%- set days = days_to_restate() -%}
    {%- set first_day = add_days(days[-1], -1 * (extra_days | int)) -%}
    {%- if open_ended -%}
    ({{ date_column }} >= {{ first_day }})
    {%- else -%}
    ({{ date_column }} between {{ first_day }} and {{ days[0] }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__partition_guard(date_column, extra_days=0, open_ended=false) -%}
    {{ default__partition_guard(date_column, extra_days, open_ended) }}
{%- endmacro %}
