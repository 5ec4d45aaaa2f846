{#- The creative-content features of every extracted media file, keyed by content hash and
    named exactly as in the CTR marts (f_*): what `aelp concepts forecast` gives the model for a
    concept that has never run. The newest extractor row per file (int_asset_features_newest) wins,
    as for dim_creatives, so a launched ad and its forecast see the same values. -#}
{%- set prompt_names = var('creative_clip_prompts', {}).keys() | list -%}
{%- set class_names = var('creative_yolo_classes', {}).keys() | list -%}

with

newest_asset_features as (
    select * from {{ ref('int_asset_features_newest') }}
),

asset_model_features as (
    select * from {{ ref('int_asset_model_features_pivoted') }}
),

final as (
    select
        newest_asset_features.content_sha256,
        newest_asset_features.media_type,
        newest_asset_features.file_name,
        newest_asset_features.extractor_version,
        newest_asset_features.extractor_weights,
        asset_model_features.clip_weights,
        asset_model_features.yolo_weights,
        cast(newest_asset_features.media_type = 'video' as {{ dbt.type_int() }}) as f_is_video,
        newest_asset_features.brightness as f_brightness,
        newest_asset_features.contrast as f_contrast,
        newest_asset_features.colourfulness as f_colourfulness,
        newest_asset_features.warmth as f_warmth,
        newest_asset_features.saturation as f_saturation,
        newest_asset_features.edge_density as f_edge_density,
        newest_asset_features.aspect_ratio as f_aspect_ratio,
        newest_asset_features.duration_s as f_duration_s,
        newest_asset_features.motion_energy as f_motion_energy,
        newest_asset_features.scene_cut_count as f_scene_cut_count,
        newest_asset_features.scene_cut_rate as f_scene_cut_rate,
        {%- for name in prompt_names %}
        asset_model_features.clip_sim_{{ name }} as f_clip_sim_{{ name }},
        {%- endfor %}
        {%- for name in class_names %}
        asset_model_features.yolo_{{ name }}_count as f_yolo_{{ name }}_count,
        {%- endfor %}
        asset_model_features.yolo_largest_box_share as f_yolo_largest_box_share,
        cast(asset_model_features.has_person_first_second as {{ dbt.type_int() }}) as f_has_person_first_second
    from newest_asset_features
    left join asset_model_features
        on newest_asset_features.content_sha256 = asset_model_features.content_sha256
)

select * from final
