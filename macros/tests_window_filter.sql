{#- The rows a test of a day-grain model reads. With tests_scope = restatement_window (what a daily
    run sets), the days the run rewrote: from the oldest day of the restatement window on,
    open-ended so that the scoring day after the run date is included. With tests_scope = all
    (the default: first builds, --full-refresh, CI), every row. Not dialect-specific. -#}
{% macro tests_window_filter(date_column) -%}
    {%- if tests_read_window() -%}
    ({{ date_column }} >= {{ days_to_restate()[-1] }})
    {%- else -%}
    (1 = 1)
    {%- endif -%}
{%- endmacro %}

{#- Whether tests read only the restatement window: tests_scope = restatement_window (var
    tests_scope, else the environment variable AELP_TESTS_SCOPE, else all) and not a
    --full-refresh run. Any other tests_scope than all or restatement_window is an error. -#}
{% macro tests_read_window() -%}
    {%- set scope = var('tests_scope', none) or env_var('AELP_TESTS_SCOPE', 'all') -%}
    {%- if scope not in ('all', 'restatement_window') -%}
        {{ exceptions.raise_compiler_error(
            "tests_scope (var or AELP_TESTS_SCOPE) must be 'all' or 'restatement_window', not '" ~ scope ~ "'"
        ) }}
    {%- endif -%}
    {{ return(scope == 'restatement_window' and not flags.FULL_REFRESH) }}
{%- endmacro %}

{#- The day column a model's tests are scoped by (its config meta tests_window_column), looked
    up by the relation a generic test reads; none when the model declares none. -#}
{% macro tests_window_column(relation) -%}
    {%- for node in graph.get('nodes', {}).values() -%}
        {%- if node.resource_type == 'model'
            and (node.alias or node.name) == relation.identifier
            and node.schema == relation.schema
            and node.config.get('meta', {}).get('tests_window_column') -%}
            {{ return(node.config.meta.tests_window_column) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
