{#- The days on which an ad gets features: every ad-day with an insights row (training and
    evaluation), plus the day after the last insights day for each scoreable ad (scoring).
    Gaps in delivery stay gaps: as-of windows use RANGE frames over day numbers. The insights
    are read three times, each inlined (inlined_cte), so that a reader's date filter reaches
    their scan. -#}
with

insights as {{ inlined_cte() }} (
    select * from {{ ref('stg_meta_ads__insights') }}
),

ads as (
    select * from {{ ref('stg_meta_ads__ads') }}
),

delivered_days as (
    select
        insights.ad_id,
        insights.date_day,
        insights.account_id,
        insights.campaign_id,
        insights.adset_id,
        ads.creative_id,
        false as is_scoring_day,
        insights.impressions,
        insights.unique_inline_link_clicks
    from insights
    left join ads
        on insights.ad_id = ads.ad_id
),

last_insights_day as (
    select max(date_day) as last_date_day
    from insights
),

-- the ads that delivered within scoring_active_days (the only ones scored), read from those
-- days alone
recently_delivered_ads as (
    select distinct insights.ad_id
    from insights
    cross join last_insights_day
    where
        insights.impressions > 0
        and insights.date_day
        > {{ add_days('last_insights_day.last_date_day', -1 * (var('scoring_active_days') | int)) }}
),

scoring_days as (
    select
        ads.ad_id,
        {{ add_days('last_insights_day.last_date_day', 1) }} as date_day,
        ads.account_id,
        ads.campaign_id,
        ads.adset_id,
        ads.creative_id,
        true as is_scoring_day,
        cast(null as {{ dbt.type_int() }}) as impressions,
        cast(null as {{ dbt.type_int() }}) as unique_inline_link_clicks
    from ads
    inner join recently_delivered_ads
        on ads.ad_id = recently_delivered_ads.ad_id
    cross join last_insights_day
    where
        ads.ad_status not in ('DELETED', 'ARCHIVED')
        and coalesce(ads.ad_effective_status not in ('DELETED', 'ARCHIVED'), true)
),

unioned as (
    select * from delivered_days
    union all
    select * from scoring_days
),

final as (
    select
        ad_id,
        date_day,
        {{ day_number('date_day') }} as day_number,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        is_scoring_day,
        impressions,
        unique_inline_link_clicks
    from unioned
)

select * from final
