with

source as (
    select * from {{ source('meta_ads', 'creative_assets') }}
),

final as (
    select
        creative_id,
        account_id,
        image_hash,
        video_id,
        lower(media_type) as media_type,
        content_sha256,
        uri as asset_uri,
        bytes as asset_bytes,
        fetch_status,
        fetch_error,
        fetched_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
