{#- The sum of `value` over the elements of an insights action array (actions or action_values)
    of one action type and attribution window, per row: no unnested rows, no aggregation across
    rows. Null when no element matches. DuckDB filters the list with lambdas; BigQuery sums a
    correlated UNNEST of the row's array. -#}
{% macro sum_matching_actions(array_expr, action_type, action_window) -%}
    {{ return(adapter.dispatch('sum_matching_actions', 'aelp')(array_expr, action_type, action_window)) }}
{%- endmacro %}

{% macro default__sum_matching_actions(array_expr, action_type, action_window) -%}
    (
        select sum(matching_action.value)
        from unnest({{ array_expr }}) as matching_action
        where
            matching_action.action_type = '{{ action_type }}'
            and matching_action.action_window = '{{ action_window }}'
    )
{%- endmacro %}

{% macro bigquery__sum_matching_actions(array_expr, action_type, action_window) -%}
    {{ default__sum_matching_actions(array_expr, action_type, action_window) }}
{%- endmacro %}

{% macro duckdb__sum_matching_actions(array_expr, action_type, action_window) -%}
    list_sum(list_transform(
        list_filter(
            {{ array_expr }},
            lambda matching_action: matching_action.action_type = '{{ action_type }}'
                and matching_action.action_window = '{{ action_window }}'
        ),
        lambda matching_action: matching_action.value
    ))
{%- endmacro %}
