{{ config(incremental_by_day_config(
    date_column='date_day',
    cluster_by=['account_id', 'ad_id'],
    require_partition_filter=true,
)) }}

{#- Trailing 7 days ending on date_day (that day and the 6 before, a RANGE frame over day numbers,
    so days without delivery count as zero), one row per ad and day of fct_ad_daily_link_ctr:
    sums of the additive counts; rpt_ad_link_ctr_rolling_7d recomputes the rates from them.
    Unique link clicks are not additive: their 7-day column sums daily uniques and says so in its
    name. Incremental like the fact: a run after the first rewrites the restatement window's days,
    reading the fact from 6 days before the window's first day so that its sums are complete, and
    keeps only the window's days. A full build reads every day through an explicit filter on the
    partition column (BigQuery requires one on the fact). -#}
{%- set trailing_days = 7 -%}

with

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    {%- if is_incremental() %}
    where
        date_day between {{ restatement_day('first', -1 * (trailing_days - 1)) }}
        and {{ restatement_day('last') }}
    {%- else %}
    where date_day >= date '1970-01-01'
    {%- endif %}
),

windowed as (
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
        range between {{ trailing_days - 1 }} preceding and current row
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
        cast(impressions_7d as {{ dbt.type_bigint() }}) as impressions_7d,
        cast(clicks_7d as {{ dbt.type_bigint() }}) as clicks_7d,
        cast(inline_link_clicks_7d as {{ dbt.type_bigint() }}) as inline_link_clicks_7d,
        cast(
            unique_inline_link_clicks_7d_from_daily_sums as {{ dbt.type_bigint() }}
        ) as unique_inline_link_clicks_7d_from_daily_sums,
        spend_7d,
        conversions_7d,
        conversion_value_7d
    from windowed
    {%- if is_incremental() %}
    where {{ restatement_window_filter('date_day') }}
    {%- endif %}
)

select * from final
