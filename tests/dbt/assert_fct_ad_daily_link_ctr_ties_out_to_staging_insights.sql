{#- Impressions, clicks and spend per day in the fact equal those in staging insights: the
    incremental fact has neither lost nor double-counted a day. Returns the days that differ.
    On BigQuery both sides are limited to the restatement window (partition_guard), and so are
    they on a daily run with tests_scope = restatement_window. -#}
with

fct_days as (
    select
        date_day,
        count(*) as n_rows,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend
    from {{ ref('fct_ad_daily_link_ctr') }}
    where {{ partition_guard('date_day') }} and {{ tests_window_filter('date_day') }}
    group by date_day
),

staging_days as (
    select
        date_day,
        count(*) as n_rows,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend
    from {{ ref('stg_meta_ads__insights') }}
    where {{ partition_guard('date_day') }} and {{ tests_window_filter('date_day') }}
    group by date_day
),

final as (
    select
        coalesce(fct_days.date_day, staging_days.date_day) as date_day,
        fct_days.n_rows as fct_rows,
        staging_days.n_rows as staging_rows,
        fct_days.impressions as fct_impressions,
        staging_days.impressions as staging_impressions,
        fct_days.clicks as fct_clicks,
        staging_days.clicks as staging_clicks,
        fct_days.spend as fct_spend,
        staging_days.spend as staging_spend
    from fct_days
    full outer join staging_days
        on fct_days.date_day = staging_days.date_day
    where
        fct_days.date_day is null
        or staging_days.date_day is null
        or fct_days.n_rows != staging_days.n_rows
        or fct_days.impressions != staging_days.impressions
        or fct_days.clicks != staging_days.clicks
        or fct_days.spend != staging_days.spend
)

select * from final
