with

creatives as (
    select * from {{ ref('int_creatives_enriched') }}
),

final as (
    select
        creative_id,
        account_id,
        creative_name,
        title,
        body,
        call_to_action_type,
        object_type,
        image_hash,
        video_id,
        is_video,
        title_length,
        body_length,
        body_has_question,
        media_type,
        content_sha256,
        asset_uri,
        asset_fetch_status,
        has_asset_features,
        extractor_version,
        extractor_weights,
        features_extracted_at,
        width_px,
        height_px,
        aspect_ratio,
        duration_s,
        brightness,
        contrast,
        colourfulness,
        warmth,
        saturation,
        edge_density,
        motion_energy,
        scene_cut_count,
        scene_cut_rate,
        time_to_first_cut_s,
        has_clip_features,
        clip_extractor_version,
        clip_weights,
        clip_model_name,
        clip_embedding,
        {%- for name in var('creative_clip_prompts', {}).keys() %}
        clip_sim_{{ name }},
        {%- endfor %}
        has_yolo_features,
        yolo_extractor_version,
        yolo_weights,
        yolo_model_name,
        {%- for name in var('creative_yolo_classes', {}).keys() %}
        yolo_{{ name }}_count,
        {%- endfor %}
        yolo_largest_box_share,
        has_person_first_second
    from creatives
)

select * from final
