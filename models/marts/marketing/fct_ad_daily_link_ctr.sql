{{ config(incremental_by_day_config(
    date_column='date_day',
    cluster_by=['account_id', 'ad_id'],
    require_partition_filter=true,
)) }}

{#- Meta restates a day's insights for up to restatement_days: an incremental run rebuilds the
    days of the restatement window (run_date and the restatement_days before it), the full table
    on the first run. Conversions are Meta's configured action, or with var conversions_source:
    export, the analytics export's (stg_conversions_export__ad_daily_conversions, empty and
    unread otherwise). -#}
{%- set from_export = var('conversions_source') == 'export' %}
{%- set conversion_type = var('conversion_action_type') %}
{%- set conversion_window = var('conversion_action_window') %}

with

insights as (
    select * from {{ ref('stg_meta_ads__insights') }}
    {%- if is_incremental() %}
    where {{ restatement_window_filter('date_day') }}
    {%- endif %}
),

ads as (
    select * from {{ ref('stg_meta_ads__ads') }}
),

exported as (
    select * from {{ ref('stg_conversions_export__ad_daily_conversions') }}
    {%- if is_incremental() %}
    where {{ restatement_window_filter('date_day') }}
    {%- endif %}
),

joined as (
    select
        insights.ad_id,
        insights.date_day,
        insights.account_id,
        insights.campaign_id,
        insights.adset_id,
        ads.creative_id,
        insights.account_currency,
        insights.impressions,
        insights.reach,
        insights.frequency,
        insights.clicks,
        insights.inline_link_clicks,
        insights.unique_inline_link_clicks,
        insights.spend,
        -- actions summed from the row's own arrays (one insights row per ad and day)
        coalesce(
            {{ sum_matching_actions('insights.actions', 'landing_page_view', 'default') }}, 0
        ) as landing_page_views,
        {%- if from_export %}
        coalesce(exported.conversions, 0) as conversions,
        coalesce(exported.conversion_value, 0) as conversion_value,
        {%- else %}
        coalesce(
            {{ sum_matching_actions('insights.actions', conversion_type, conversion_window) }}, 0
        ) as conversions,
        coalesce(
            {{ sum_matching_actions('insights.action_values', conversion_type, conversion_window) }}, 0
        ) as conversion_value,
        {%- endif %}
        insights._loaded_at
    from insights
    left join ads
        on insights.ad_id = ads.ad_id
    -- read only with conversions_source: export (an empty view otherwise)
    left join exported  -- noqa: ST11
        on
            insights.ad_id = exported.ad_id
            and insights.date_day = exported.date_day
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
        impressions,
        reach,
        frequency,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks,
        spend,
        {{ safe_divide('spend * 1000', 'impressions') }} as cpm,
        landing_page_views,
        conversions,
        conversion_value,
        {{ safe_divide('clicks', 'impressions') }} as ctr,
        {{ safe_divide('inline_link_clicks', 'impressions') }} as link_ctr,
        {{ safe_divide('unique_inline_link_clicks', 'impressions') }} as ctr_u,
        {{ safe_divide('conversions', 'inline_link_clicks') }} as click_to_conversion,
        (
            unique_inline_link_clicks <= inline_link_clicks
            and inline_link_clicks <= clicks
            and clicks <= impressions
        ) as is_click_order_valid,
        _loaded_at
    from joined
)

select * from final
