{{ config(incremental_by_day_config(
    date_column='date_day',
    cluster_by=['account_id'],
)) }}

{#- Per ad account and day with delivery: the day's totals across the account's ads in
    fct_ad_daily_link_ctr (rows with impressions only). A few rows per day, so rpt_account_daily
    computes its 7-day windows and latest day over this table instead of summing every ad-day of
    the fact on each read. Unique link clicks are not additive across ads: their column sums the
    ads' daily uniques and says so in its name. Incremental like the fact: a run after the first
    rewrites the restatement window's days from the same days of the fact; a full build reads
    every day through an explicit filter on the partition column (BigQuery requires one on the
    fact). -#}

with

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    {%- if is_incremental() %}
    where {{ restatement_window_filter('date_day') }}
    {%- else %}
    where date_day >= date '1970-01-01'
    {%- endif %}
),

final as (
    select
        account_id,
        date_day,
        account_currency,
        cast(count(*) as {{ dbt.type_bigint() }}) as ads_delivered,
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        cast(sum(inline_link_clicks) as {{ dbt.type_bigint() }}) as inline_link_clicks,
        cast(
            sum(unique_inline_link_clicks) as {{ dbt.type_bigint() }}
        ) as unique_inline_link_clicks_from_ad_sums,
        sum(spend) as spend,
        sum(conversions) as conversions,
        sum(conversion_value) as conversion_value
    from daily
    where impressions > 0
    group by account_id, date_day, account_currency
)

select * from final
