{#- A predicate that keeps the rows of date_column inside the restatement window (the days of
    days_to_restate), for the select of an incremental run. Not dialect-specific. -#}
{% macro restatement_window_filter(date_column) -%}
    {%- set days = days_to_restate() -%}
    {{ date_column }} between {{ days[-1] }} and {{ days[0] }}
{%- endmacro %}
