with

source as (
    select * from {{ source('meta_ads', 'ads') }}
),

final as (
    select
        id as ad_id,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        name as ad_name,
        upper(status) as ad_status,
        upper(effective_status) as ad_effective_status,
        created_time as created_at,
        cast(created_time as date) as created_date,
        updated_time as updated_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
