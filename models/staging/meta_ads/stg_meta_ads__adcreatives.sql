with

source as (
    select * from {{ source('meta_ads', 'adcreatives') }}
),

final as (
    select
        id as creative_id,
        account_id,
        name as creative_name,
        title,
        body,
        call_to_action_type,
        object_type,
        image_hash,
        video_id,
        thumbnail_url,
        (video_id is not null or upper(object_type) = 'VIDEO') as is_video,
        _loaded_at,
        _batch_id
    from source
)

select * from final
