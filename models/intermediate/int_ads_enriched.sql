with

ads as (
    select * from {{ ref('stg_meta_ads__ads') }}
),

adsets as (
    select * from {{ ref('stg_meta_ads__adsets') }}
),

campaigns as (
    select * from {{ ref('stg_meta_ads__campaigns') }}
),

ad_accounts as (
    select * from {{ ref('stg_meta_ads__ad_accounts') }}
),

currency_offsets as (
    select * from {{ ref('meta_currency_offsets') }}
),

final as (
    select
        ads.ad_id,
        ads.account_id,
        ads.campaign_id,
        ads.adset_id,
        ads.creative_id,
        ads.ad_name,
        ads.ad_status,
        ads.ad_effective_status,
        (
            ads.ad_status in ('DELETED', 'ARCHIVED')
            or coalesce(ads.ad_effective_status in ('DELETED', 'ARCHIVED'), false)
        ) as is_deleted_or_archived,
        ads.created_at,
        ads.created_date,
        ads.updated_at,
        ad_accounts.account_name,
        ad_accounts.account_currency,
        ad_accounts.account_timezone,
        campaigns.campaign_name,
        campaigns.campaign_objective,
        campaigns.campaign_status,
        adsets.adset_name,
        adsets.adset_status,
        adsets.optimization_goal,
        adsets.billing_event,
        adsets.daily_budget_minor_units as adset_daily_budget_minor_units,
        cast(
            adsets.daily_budget_minor_units / coalesce(currency_offsets.minor_unit_offset, 100)
            as {{ dbt.type_numeric() }}
        ) as adset_daily_budget,
        adsets.targeting_age_min,
        adsets.targeting_age_max,
        adsets.targeting_n_genders,
        adsets.targeting_n_countries,
        adsets.targeting_n_interests,
        adsets.targeting_n_publisher_platforms
    from ads
    left join adsets
        on ads.adset_id = adsets.adset_id
    left join campaigns
        on ads.campaign_id = campaigns.campaign_id
    left join ad_accounts
        on ads.account_id = ad_accounts.account_id
    left join currency_offsets
        on ad_accounts.account_currency = currency_offsets.currency
)

select * from final
