{{ config(incremental_by_day_config(
    date_column='date_day',
    cluster_by=['account_id', 'ad_id'],
)) }}

{#- A table, incremental like the fact: unnesting every action of every day is the costliest step
    of the build, so it runs once (not once per reader and test, as a view would) and a daily run
    rewrites only the days of the restatement window. -#}

with

insights as (
    select
        ad_id,
        date_day,
        account_id,
        actions,
        action_values
    from {{ ref('stg_meta_ads__insights') }}
    {%- if is_incremental() %}
    where {{ restatement_window_filter('date_day') }}
    {%- endif %}
),

action_counts as (
    select
        insights.ad_id,
        insights.date_day,
        insights.account_id,
        action.action_type,
        action.action_window,
        sum(action.value) as action_count
    from insights
    cross join {{ unnest_as('insights.actions', 'action') }}
    group by 1, 2, 3, 4, 5
),

action_values as (
    select
        insights.ad_id,
        insights.date_day,
        insights.account_id,
        action_value.action_type,
        action_value.action_window,
        sum(action_value.value) as action_value
    from insights
    cross join {{ unnest_as('insights.action_values', 'action_value') }}
    group by 1, 2, 3, 4, 5
),

final as (
    select
        coalesce(action_counts.ad_id, action_values.ad_id) as ad_id,
        coalesce(action_counts.date_day, action_values.date_day) as date_day,
        coalesce(action_counts.account_id, action_values.account_id) as account_id,
        coalesce(action_counts.action_type, action_values.action_type) as action_type,
        coalesce(action_counts.action_window, action_values.action_window) as action_window,
        action_counts.action_count,
        action_values.action_value
    from action_counts
    full outer join action_values
        on
            action_counts.ad_id = action_values.ad_id
            and action_counts.date_day = action_values.date_day
            and action_counts.action_type = action_values.action_type
            and action_counts.action_window = action_values.action_window
)

select * from final
