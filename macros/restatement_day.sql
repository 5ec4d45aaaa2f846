{#- One day of the restatement window as a SQL DATE expression: its first (oldest) or last
    (newest, after days_after more days) day, shifted by offset_days.
    Not dialect-specific: add_days dispatches. -#}
{% macro restatement_day(position, offset_days=0, days_after=0) -%}
    {%- set days = days_to_restate(days_after) -%}
    {%- if position == 'first' -%}
        {%- set day = days[-1] -%}
    {%- elif position == 'last' -%}
        {%- set day = days[0] -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("restatement_day position must be 'first' or 'last'") }}
    {%- endif -%}
    {%- if offset_days | int != 0 -%}
        {{ add_days(day, offset_days) }}
    {%- else -%}
        {{ day }}
    {%- endif -%}
{%- endmacro %}
