with

source as (
    select
        ad_id,
        date_start,
        account_id,
        campaign_id,
        adset_id,
        account_currency,
        impressions,
        reach,
        frequency,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks,
        spend,
        cpm,
        actions,
        action_values,
        attribution_setting,
        _requested_action_windows,
        _loaded_at,
        _batch_id
    from {{ source('meta_ads', 'insights') }}
),

final as (
    select
        ad_id,
        date_start as date_day,
        account_id,
        campaign_id,
        adset_id,
        upper(account_currency) as account_currency,
        impressions,
        reach,
        frequency,
        clicks,
        inline_link_clicks,
        unique_inline_link_clicks,
        cast(spend as {{ dbt.type_numeric() }}) as spend,
        cpm as reported_cpm,
        actions,
        action_values,
        attribution_setting,
        _requested_action_windows as requested_action_windows,
        _loaded_at,
        _batch_id
    from source
)

select * from final
