{#- The days an incremental run of a day-grain model rewrites, as SQL DATE expressions, newest
    first: the run date and the restatement_days days before it. With a run date (YYYY-MM-DD:
    var run_date, else the environment variable AELP_RUN_DATE) they are date literals; without
    one they count back from the warehouse's current date when the query runs, so a manifest
    parsed on an earlier day never rewrites stale days. A new --vars value makes dbt re-parse
    the whole project; a new AELP_RUN_DATE only the files that read it (a scheduler's daily
    run date belongs there).
    With days_after, the days after the run date come first (newest first throughout). Not
    dialect-specific: add_days dispatches. -#}
{% macro days_to_restate(days_after=0) -%}
    {%- set n_days = var('restatement_days') | int -%}
    {%- set run_date = var('run_date', none) or (env_var('AELP_RUN_DATE', '') or none) -%}
    {%- set days = [] -%}
    {%- if run_date is not none -%}
        {%- set last_day = modules.datetime.date.fromisoformat(run_date | string) -%}
        {%- for back in range(-1 * (days_after | int), n_days + 1) -%}
            {%- do days.append("date '" ~ (last_day - modules.datetime.timedelta(days=back)).isoformat() ~ "'") -%}
        {%- endfor -%}
    {%- else -%}
        {%- for back in range(-1 * (days_after | int), n_days + 1) -%}
            {%- do days.append(add_days('current_date', -1 * back)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(days) }}
{%- endmacro %}
