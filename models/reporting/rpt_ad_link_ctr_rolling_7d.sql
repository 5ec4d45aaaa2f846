{#- Trailing 7 days ending on date_day (that day and the 6 before, gaps included) per ad.
    Additive counts are summed; rates are recomputed from the sums. Unique link clicks are not
    additive: their 7-day column sums daily uniques and says so in its name. On BigQuery the view
    covers the restatement window (the fact requires a partition filter), reading 6 days more so
    that its first day's trailing sums are complete. -#}
with

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    where {{ partition_guard('date_day', extra_days=6) }}
),

rolling as (
    select
        ad_id,
        date_day,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        account_currency,
        count(*) over trailing_7d as days_delivered_7d,
        sum(impressions) over trailing_7d as impressions_7d,
        sum(clicks) over trailing_7d as clicks_7d,
        sum(inline_link_clicks) over trailing_7d as inline_link_clicks_7d,
        sum(unique_inline_link_clicks) over trailing_7d as unique_inline_link_clicks_7d_from_daily_sums,
        sum(spend) over trailing_7d as spend_7d,
        sum(conversions) over trailing_7d as conversions_7d,
        sum(conversion_value) over trailing_7d as conversion_value_7d
    from daily
    window trailing_7d as (
        partition by ad_id order by {{ day_number('date_day') }}
        range between 6 preceding and current row
    )
),

final as (
    select
        ad_id,
        date_day,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        account_currency,
        days_delivered_7d,
        impressions_7d,
        clicks_7d,
        inline_link_clicks_7d,
        unique_inline_link_clicks_7d_from_daily_sums,
        spend_7d,
        conversions_7d,
        conversion_value_7d,
        {{ safe_divide('clicks_7d', 'impressions_7d') }} as ctr_7d,
        {{ safe_divide('inline_link_clicks_7d', 'impressions_7d') }} as link_ctr_7d,
        {{ safe_divide('unique_inline_link_clicks_7d_from_daily_sums', 'impressions_7d') }}
            as ctr_u_7d_from_daily_sums,
        {{ safe_divide('spend_7d * 1000', 'impressions_7d') }} as cpm_7d,
        {{ safe_divide('conversions_7d', 'inline_link_clicks_7d') }} as click_to_conversion_7d,
        {{ safe_divide('spend_7d', 'conversions_7d') }} as cac_7d
    from rolling
    where {{ partition_guard('date_day') }}
)

select * from final
