{#- Trailing 7 days ending on date_day (that day and the 6 before, gaps included) per ad: the sums
    of fct_ad_link_ctr_trailing_7d (computed once per run) and rates recomputed from them. Unique
    link clicks are not additive: their 7-day column sums daily uniques and says so in its name.
    On BigQuery the view covers the restatement window (the table requires a partition filter);
    the table's first window day already holds complete sums. -#}
with

sums as (
    select * from {{ ref('fct_ad_link_ctr_trailing_7d') }}
    where {{ partition_guard('date_day') }}
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
    from sums
)

select * from final
