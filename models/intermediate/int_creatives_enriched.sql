{#- CLIP and YOLO columns are named by the keys of the creative_clip_prompts and
    creative_yolo_classes vars (see int_asset_model_features_pivoted). -#}
{%- set prompt_names = var('creative_clip_prompts', {}).keys() | list -%}
{%- set class_names = var('creative_yolo_classes', {}).keys() | list -%}


with

creatives as (
    select * from {{ ref('stg_meta_ads__adcreatives') }}
),

creative_assets as (
    select * from {{ ref('stg_meta_ads__creative_assets') }}
),

newest_asset_features as (
    select * from {{ ref('int_asset_features_newest') }}
),

asset_model_features as (
    select * from {{ ref('int_asset_model_features_pivoted') }}
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
        newest_asset_features.time_to_first_cut_s,
        coalesce(asset_model_features.has_clip_features, false) as has_clip_features,
        asset_model_features.clip_extractor_version,
        asset_model_features.clip_weights,
        asset_model_features.clip_model_name,
        asset_model_features.clip_embedding,
        {%- for name in prompt_names %}
        asset_model_features.clip_sim_{{ name }},
        {%- endfor %}
        coalesce(asset_model_features.has_yolo_features, false) as has_yolo_features,
        asset_model_features.yolo_extractor_version,
        asset_model_features.yolo_weights,
        asset_model_features.yolo_model_name,
        {%- for name in class_names %}
        asset_model_features.yolo_{{ name }}_count,
        {%- endfor %}
        asset_model_features.yolo_largest_box_share,
        asset_model_features.has_person_first_second
    from creatives
    left join creative_assets
        on creatives.creative_id = creative_assets.creative_id
    left join newest_asset_features
        on creative_assets.content_sha256 = newest_asset_features.content_sha256
    left join asset_model_features
        on creative_assets.content_sha256 = asset_model_features.content_sha256
)

select * from final
