with

ads as (
    select * from {{ ref('int_ads_enriched') }}
),

final as (
    select
        ad_id,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        ad_name,
        ad_status,
        ad_effective_status,
        is_deleted_or_archived,
        created_at,
        created_date,
        updated_at,
        account_name,
        account_currency,
        account_timezone,
        campaign_name,
        campaign_objective,
        campaign_status,
        adset_name,
        adset_status,
        optimization_goal,
        billing_event,
        adset_daily_budget_minor_units,
        adset_daily_budget,
        targeting_age_min,
        targeting_age_max,
        targeting_n_genders,
        targeting_n_countries,
        targeting_n_interests,
        targeting_n_publisher_platforms
    from ads
)

select * from final
