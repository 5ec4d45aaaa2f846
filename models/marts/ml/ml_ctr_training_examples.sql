{#- train / valid / test by date: train up to train_end, then valid_days of validation, then
    test. train_end null means last insights day - valid_days - test_days. A view: the split moves
    with every new day, so a table would rewrite all history daily; `aelp train` reads only the
    newest training_max_rows rows of it. -#}
{{ config(materialized='view') }}
{%- set valid_days = var('valid_days') | int -%}
{%- set test_days = var('test_days') | int -%}
{%- set train_end = var('train_end') -%}
{%- set train_end_date = "cast('" ~ train_end ~ "' as date)" if train_end is not none else 'cast(null as date)' -%}

with

features as (
    select * from {{ ref('int_ad_features_joined') }}
),

-- the days alone, from the history table the feature rows come from (no attribute joins),
-- read apart from the rows: each CTE is read once, so a query on the view scans only the
-- columns it needs
feature_days as (
    select
        date_day,
        is_scoring_day,
        impressions
    from {{ ref('int_ad_features_as_of') }}
),

delivered as (
    select *
    from features
    where
        not is_scoring_day
        and impressions > 0
),

split_bounds as (
    select
        coalesce(
            {{ train_end_date }},
            {{ add_days('max(date_day)', -1 * (valid_days + test_days)) }}
        ) as train_end
    from feature_days
    where
        not is_scoring_day
        and impressions > 0
),

final as (
    select
        delivered.ad_id,
        delivered.date_day,
        delivered.account_id,
        delivered.campaign_id,
        delivered.adset_id,
        delivered.creative_id,
        delivered.impressions,
        delivered.unique_inline_link_clicks,
        delivered.ctr_u,
        case
            when delivered.date_day <= split_bounds.train_end then 'train'
            when delivered.date_day <= {{ add_days('split_bounds.train_end', valid_days) }} then 'valid'
            else 'test'
        end as split,
        {{ ml_ctr_feature_columns('delivered') }}
    from delivered
    cross join split_bounds
)

select * from final
