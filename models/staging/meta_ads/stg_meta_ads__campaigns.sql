with

source as (
    select * from {{ source('meta_ads', 'campaigns') }}
),

final as (
    select
        id as campaign_id,
        account_id,
        name as campaign_name,
        objective as campaign_objective,
        upper(status) as campaign_status,
        upper(effective_status) as campaign_effective_status,
        buying_type,
        created_time as created_at,
        start_time as start_at,
        stop_time as stop_at,
        updated_time as updated_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
