{#- Zero-shot prompts and detector classes are pivoted into one column each, named by the
    keys of the creative_clip_prompts and creative_yolo_classes vars (the extractor's config). -#}
{%- set prompt_names = var('creative_clip_prompts', {}).keys() | list -%}
{%- set class_names = var('creative_yolo_classes', {}).keys() | list -%}
{%- set newest_first -%}
    extractor_version_major desc,
    extractor_version_minor desc,
    extractor_version_patch desc,
    extractor_version desc,
    extracted_at desc,
    extractor_weights asc
{%- endset %}

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

asset_embeddings as (
    select * from {{ ref('stg_creative__asset_embeddings') }}
),

asset_detections as (
    select * from {{ ref('stg_creative__asset_detections') }}
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

ranked_asset_embeddings as (
    select
        *,
        row_number() over (partition by content_sha256 order by {{ newest_first }}) as newest_rank
    from asset_embeddings
),

newest_asset_embeddings as (
    select *
    from ranked_asset_embeddings
    where newest_rank = 1
),

prompt_similarities as (
    select
        newest_asset_embeddings.content_sha256,
        {%- for name in prompt_names %}
        max(case when prompt.name = '{{ name }}' then prompt.similarity end) as clip_sim_{{ name }},
        {%- endfor %}
        count(*) as prompt_count
    from newest_asset_embeddings
    cross join {{ unnest_as('newest_asset_embeddings.prompt_similarities', 'prompt') }}
    group by newest_asset_embeddings.content_sha256
),

ranked_asset_detections as (
    select
        *,
        row_number() over (partition by content_sha256 order by {{ newest_first }}) as newest_rank
    from asset_detections
),

newest_asset_detections as (
    select *
    from ranked_asset_detections
    where newest_rank = 1
),

class_counts as (
    select
        newest_asset_detections.content_sha256,
        {%- for name in class_names %}
        max(case when detection.name = '{{ name }}' then detection.mean_count end) as yolo_{{ name }}_count,
        {%- endfor %}
        count(*) as class_count
    from newest_asset_detections
    cross join {{ unnest_as('newest_asset_detections.detections', 'detection') }}
    group by newest_asset_detections.content_sha256
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
        newest_asset_embeddings.content_sha256 is not null as has_clip_features,
        newest_asset_embeddings.extractor_version as clip_extractor_version,
        newest_asset_embeddings.extractor_weights as clip_weights,
        newest_asset_embeddings.clip_model_name,
        newest_asset_embeddings.embedding as clip_embedding,
        {%- for name in prompt_names %}
        prompt_similarities.clip_sim_{{ name }},
        {%- endfor %}
        newest_asset_detections.content_sha256 is not null as has_yolo_features,
        newest_asset_detections.extractor_version as yolo_extractor_version,
        newest_asset_detections.extractor_weights as yolo_weights,
        newest_asset_detections.yolo_model_name,
        {%- for name in class_names %}
        class_counts.yolo_{{ name }}_count,
        {%- endfor %}
        newest_asset_detections.largest_box_share as yolo_largest_box_share,
        newest_asset_detections.has_person_first_second
    from creatives
    left join creative_assets
        on creatives.creative_id = creative_assets.creative_id
    left join newest_asset_features
        on creative_assets.content_sha256 = newest_asset_features.content_sha256
    left join newest_asset_embeddings
        on creative_assets.content_sha256 = newest_asset_embeddings.content_sha256
    left join prompt_similarities
        on creative_assets.content_sha256 = prompt_similarities.content_sha256
    left join newest_asset_detections
        on creative_assets.content_sha256 = newest_asset_detections.content_sha256
    left join class_counts
        on creative_assets.content_sha256 = class_counts.content_sha256
)

select * from final
