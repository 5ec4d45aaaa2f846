with

creatives as (
    select * from {{ ref('stg_meta_ads__adcreatives') }}
),

creative_assets as (
    select * from {{ ref('stg_meta_ads__creative_assets') }}
),

asset_features as (
    select * from {{ ref('stg_creative__asset_features') }}
),

ranked_asset_features as (
    select
        *,
        row_number() over (
            partition by content_sha256
            order by
                extractor_version_major desc,
                extractor_version_minor desc,
                extractor_version_patch desc,
                extractor_version desc,
                extracted_at desc,
                extractor_weights asc
        ) as newest_rank
    from asset_features
),

newest_asset_features as (
    select *
    from ranked_asset_features
    where newest_rank = 1
),

final as (
    select
        creatives.creative_id,
        creatives.account_id,
        creatives.creative_name,
        creatives.title,
        creatives.body,
        creatives.call_to_action_type,
        creatives.object_type,
        creatives.image_hash,
        creatives.video_id,
        creatives.is_video,
        coalesce(length(creatives.title), 0) as title_length,
        coalesce(length(creatives.body), 0) as body_length,
        coalesce(creatives.body like '%?%', false) as body_has_question,
        creative_assets.media_type,
        creative_assets.content_sha256,
        creative_assets.asset_uri,
        creative_assets.fetch_status as asset_fetch_status,
        newest_asset_features.content_sha256 is not null as has_asset_features,
        newest_asset_features.extractor_version,
        newest_asset_features.extractor_weights,
        newest_asset_features.extracted_at as features_extracted_at,
        newest_asset_features.width_px,
        newest_asset_features.height_px,
        newest_asset_features.aspect_ratio,
        newest_asset_features.duration_s,
        newest_asset_features.brightness,
        newest_asset_features.contrast,
        newest_asset_features.colourfulness,
        newest_asset_features.warmth,
        newest_asset_features.saturation,
        newest_asset_features.edge_density,
        newest_asset_features.motion_energy,
        newest_asset_features.scene_cut_count,
        newest_asset_features.scene_cut_rate,
        newest_asset_features.time_to_first_cut_s
    from creatives
    left join creative_assets
        on creatives.creative_id = creative_assets.creative_id
    left join newest_asset_features
        on creative_assets.content_sha256 = newest_asset_features.content_sha256
)

select * from final
