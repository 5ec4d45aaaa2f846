with

features as (
    select * from {{ ref('int_ad_features_joined') }}
),

final as (
    select
        ad_id,
        date_day,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        {{ ml_ctr_feature_columns() }}
    from features
    where is_scoring_day
)

select * from final
