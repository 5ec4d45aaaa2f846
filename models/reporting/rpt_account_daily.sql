{#- Per ad account and day with delivery: the day's totals across its ads (fct_account_daily),
    the 7 days before it (date_day − 7 .. date_day − 1, a RANGE frame over day numbers, so days
    without delivery count as zero) and the change of ctr_u against them. Unique link clicks are
    not additive across ads or days: summed figures say so in their names. The windows run over
    the account-day table, a few rows per day, so the view covers all history on both engines. -#}
with

account_days as (
    select * from {{ ref('fct_account_daily') }}
),

with_prior as (
    select
        account_id,
        date_day,
        account_currency,
        ads_delivered,
        impressions,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks_from_ad_sums,
        spend,
        conversions,
        conversion_value,
        sum(impressions) over prior_7d as impressions_prior_7d,
        sum(unique_inline_link_clicks_from_ad_sums) over prior_7d
            as unique_inline_link_clicks_prior_7d_from_daily_sums,
        sum(spend) over prior_7d as spend_prior_7d,
        sum(conversions) over prior_7d as conversions_prior_7d,
        max(date_day) over (partition by account_id) as latest_date_day
    from account_days
    window prior_7d as (
        partition by account_id order by {{ day_number('date_day') }}
        range between 7 preceding and 1 preceding
    )
),

rates as (
    select
        account_id,
        date_day,
        account_currency,
        ads_delivered,
        impressions,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks_from_ad_sums,
        spend,
        conversions,
        conversion_value,
        {{ safe_divide('clicks', 'impressions') }} as ctr,
        {{ safe_divide('inline_link_clicks', 'impressions') }} as link_ctr,
        {{ safe_divide('unique_inline_link_clicks_from_ad_sums', 'impressions') }}
            as ctr_u_from_ad_sums,
        {{ safe_divide('spend * 1000', 'impressions') }} as cpm,
        {{ safe_divide('spend', 'conversions') }} as cac,
        coalesce(impressions_prior_7d, 0) as impressions_prior_7d,
        coalesce(unique_inline_link_clicks_prior_7d_from_daily_sums, 0)
            as unique_inline_link_clicks_prior_7d_from_daily_sums,
        coalesce(spend_prior_7d, 0) as spend_prior_7d,
        coalesce(conversions_prior_7d, 0) as conversions_prior_7d,
        {{ safe_divide('unique_inline_link_clicks_prior_7d_from_daily_sums', 'impressions_prior_7d') }}
            as ctr_u_prior_7d_from_daily_sums,
        {{ safe_divide('spend_prior_7d', 'conversions_prior_7d') }} as cac_prior_7d,
        date_day = latest_date_day as is_latest_day
    from with_prior
),

final as (
    select
        account_id,
        date_day,
        account_currency,
        ads_delivered,
        impressions,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks_from_ad_sums,
        spend,
        conversions,
        conversion_value,
        ctr,
        link_ctr,
        ctr_u_from_ad_sums,
        cpm,
        cac,
        impressions_prior_7d,
        unique_inline_link_clicks_prior_7d_from_daily_sums,
        spend_prior_7d,
        conversions_prior_7d,
        ctr_u_prior_7d_from_daily_sums,
        cac_prior_7d,
        {{ safe_divide('ctr_u_from_ad_sums - ctr_u_prior_7d_from_daily_sums', 'ctr_u_prior_7d_from_daily_sums') }}
            as ctr_u_change_vs_prior_7d,
        is_latest_day
    from rates
)

select * from final
