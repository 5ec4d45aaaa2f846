{#- Each concept forecast resolved by the ad that launched it: the first ad whose creative has
    the concept's content hash, in the forecast's ad set, first delivering on or after the
    forecast's as-of day. Its first horizon_days days give the realised ctr_u (from daily
    sums: unique clicks are not additive, so this is an upper bound of unique people over
    impressions). On BigQuery the fact is read over the restatement window plus 28 days. -#}
{{ config(tags=['ml_outputs']) }}

with

forecasts as (
    select * from {{ ref('stg_ml__concept_forecasts') }}
),

ads as (
    select * from {{ ref('dim_ads') }}
),

creatives as (
    select * from {{ ref('dim_creatives') }}
),

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    where {{ partition_guard('date_day', extra_days=28) }}
),

last_insights_day as (
    select max(date_day) as last_date_day
    from daily
),

ad_launches as (
    select
        daily.ad_id,
        ads.adset_id,
        creatives.content_sha256,
        min(daily.date_day) as first_delivery_date
    from daily
    inner join ads
        on daily.ad_id = ads.ad_id
    inner join creatives
        on ads.creative_id = creatives.creative_id
    where
        daily.impressions > 0
        and creatives.content_sha256 is not null
    group by daily.ad_id, ads.adset_id, creatives.content_sha256
),

matched as (
    select
        forecasts.model_run_id,
        forecasts.content_sha256,
        forecasts.scenario_id,
        ad_launches.ad_id,
        ad_launches.first_delivery_date,
        row_number() over (
            partition by forecasts.model_run_id, forecasts.content_sha256, forecasts.scenario_id
            order by ad_launches.first_delivery_date, ad_launches.ad_id
        ) as launch_rank
    from forecasts
    inner join ad_launches
        on
            forecasts.content_sha256 = ad_launches.content_sha256
            and forecasts.adset_id = ad_launches.adset_id
            and forecasts.as_of_date <= ad_launches.first_delivery_date
),

first_launches as (
    select
        matched.model_run_id,
        matched.content_sha256,
        matched.scenario_id,
        matched.ad_id,
        matched.first_delivery_date,
        {{ add_days('matched.first_delivery_date', 'forecasts.horizon_days - 1') }} as horizon_end_date
    from matched
    inner join forecasts
        on
            matched.model_run_id = forecasts.model_run_id
            and matched.content_sha256 = forecasts.content_sha256
            and matched.scenario_id = forecasts.scenario_id
    where matched.launch_rank = 1
),

horizon_delivery as (
    select
        first_launches.model_run_id,
        first_launches.content_sha256,
        first_launches.scenario_id,
        count(*) as days_delivered,
        sum(daily.impressions) as impressions,
        sum(daily.unique_inline_link_clicks) as unique_inline_link_clicks
    from first_launches
    inner join daily
        on
            first_launches.ad_id = daily.ad_id
            and daily.date_day between first_launches.first_delivery_date and first_launches.horizon_end_date
    group by first_launches.model_run_id, first_launches.content_sha256, first_launches.scenario_id
),

final as (
    select
        forecasts.model_run_id,
        forecasts.content_sha256,
        forecasts.scenario_id,
        forecasts.concept_file,
        forecasts.account_id,
        forecasts.adset_id,
        forecasts.as_of_date,
        forecasts.horizon_days,
        forecasts.benchmark_rule,
        forecasts.benchmark_ctr_u,
        forecasts.predicted_ctr_u,
        forecasts.predicted_ctr_u_lower,
        forecasts.predicted_ctr_u_upper,
        forecasts.p_ctr_u_ge_benchmark,
        forecasts.rank_in_scenario,
        first_launches.ad_id,
        first_launches.first_delivery_date,
        first_launches.horizon_end_date,
        horizon_delivery.days_delivered,
        horizon_delivery.impressions,
        horizon_delivery.unique_inline_link_clicks,
        {{ safe_divide('horizon_delivery.unique_inline_link_clicks', 'horizon_delivery.impressions') }}
            as ctr_u_from_daily_sums,
        last_insights_day.last_date_day >= first_launches.horizon_end_date as is_complete,
        {{ safe_divide('horizon_delivery.unique_inline_link_clicks', 'horizon_delivery.impressions') }}
        >= forecasts.benchmark_ctr_u as is_hit,
        (
            {{ safe_divide('horizon_delivery.unique_inline_link_clicks', 'horizon_delivery.impressions') }}
            between forecasts.predicted_ctr_u_lower and forecasts.predicted_ctr_u_upper
        ) as is_inside_interval
    from forecasts
    inner join first_launches
        on
            forecasts.model_run_id = first_launches.model_run_id
            and forecasts.content_sha256 = first_launches.content_sha256
            and forecasts.scenario_id = first_launches.scenario_id
    inner join horizon_delivery
        on
            forecasts.model_run_id = horizon_delivery.model_run_id
            and forecasts.content_sha256 = horizon_delivery.content_sha256
            and forecasts.scenario_id = horizon_delivery.scenario_id
    cross join last_insights_day
)

select * from final
