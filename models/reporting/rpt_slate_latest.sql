{#- Each account's newest budget slate, one row per funded ad: the plan (arm, share, spend,
    impressions), the forecasts behind it (ctr_u, click-to-conversion, CPM, expected
    conversions, CAC, P(≥1 link click)), the reason, the ad's names, and what it did in the
    7 days before the slate day (ml_budget_slates_latest holds the newest slate lines). -#}
with

latest_lines as (
    select * from {{ ref('ml_budget_slates_latest') }}
),

ads as (
    select * from {{ ref('dim_ads') }}
),

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    where {{ partition_guard('date_day', extra_days=7) }}
),

before_slate as (
    select
        latest_lines.ad_id,
        sum(daily.impressions) as impressions_prior_7d,
        sum(daily.unique_inline_link_clicks) as unique_inline_link_clicks_prior_7d,
        sum(daily.spend) as spend_prior_7d,
        sum(daily.conversions) as conversions_prior_7d
    from latest_lines
    inner join daily
        on
            latest_lines.ad_id = daily.ad_id
            and {{ add_days('latest_lines.slate_date', -7) }} <= daily.date_day
            and latest_lines.slate_date > daily.date_day
    group by latest_lines.ad_id
),

final as (
    select
        latest_lines.slate_id,
        latest_lines.slate_date,
        latest_lines.account_id,
        ads.campaign_id,
        ads.campaign_name,
        ads.adset_id,
        ads.adset_name,
        latest_lines.ad_id,
        ads.ad_name,
        ads.creative_id,
        latest_lines.arm,
        row_number() over (
            partition by latest_lines.slate_id
            order by latest_lines.budget_share desc, latest_lines.ad_id asc
        ) as slate_rank,
        latest_lines.budget_share,
        latest_lines.planned_spend,
        latest_lines.currency,
        latest_lines.planned_impressions,
        latest_lines.predicted_ctr_u,
        latest_lines.posterior_ctr_u_mean,
        latest_lines.planned_impressions * latest_lines.posterior_ctr_u_mean
            as expected_unique_link_clicks,
        latest_lines.predicted_c2s,
        latest_lines.predicted_cpm,
        latest_lines.expected_conversions,
        latest_lines.predicted_cac,
        latest_lines.p_click_ge1,
        latest_lines.p_top_k,
        latest_lines.is_learning,
        latest_lines.planned_frequency,
        latest_lines.is_frequency_capped,
        latest_lines.reason,
        coalesce(before_slate.impressions_prior_7d, 0) as impressions_prior_7d,
        coalesce(before_slate.unique_inline_link_clicks_prior_7d, 0)
            as unique_inline_link_clicks_prior_7d,
        {{ safe_divide(
            'before_slate.unique_inline_link_clicks_prior_7d',
            'before_slate.impressions_prior_7d'
        ) }} as ctr_u_prior_7d_from_daily_sums,
        coalesce(before_slate.spend_prior_7d, 0) as spend_prior_7d,
        coalesce(before_slate.conversions_prior_7d, 0) as conversions_prior_7d,
        latest_lines.model_run_id,
        latest_lines.slate_seed,
        latest_lines.created_at
    from latest_lines
    left join ads
        on latest_lines.ad_id = ads.ad_id
    left join before_slate
        on latest_lines.ad_id = before_slate.ad_id
)

select * from final
