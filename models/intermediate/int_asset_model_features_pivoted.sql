{#- The newest CLIP and YOLO rows per media file, pivoted to one row per content_sha256:
    one clip_sim_<name> column per key of the creative_clip_prompts var and one
    yolo_<name>_count per key of creative_yolo_classes. A table, so models that join it
    read plain columns rather than unnesting arrays of structs again. -#}
{{ config(materialized='table') }}
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

asset_embeddings as (
    select * from {{ ref('stg_creative__asset_embeddings') }}
),

asset_detections as (
    select * from {{ ref('stg_creative__asset_detections') }}
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

prompt_scores as (
    select
        newest_asset_embeddings.content_sha256,
        {%- for name in prompt_names %}
        max(case when prompt.name = '{{ name }}' then prompt.similarity end) as clip_sim_{{ name }},
        {%- endfor %}
        count(*) as prompt_count
    from newest_asset_embeddings
    cross join {{ unnest_as('newest_asset_embeddings.prompt_similarities', 'prompt') }}
    group by 1
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
    group by 1
),

content_hashes as (
    select content_sha256 from newest_asset_embeddings
    union distinct
    select content_sha256 from newest_asset_detections
),

final as (
    select
        content_hashes.content_sha256,
        newest_asset_embeddings.content_sha256 is not null as has_clip_features,
        newest_asset_embeddings.extractor_version as clip_extractor_version,
        newest_asset_embeddings.extractor_weights as clip_weights,
        newest_asset_embeddings.clip_model_name,
        newest_asset_embeddings.embedding as clip_embedding,
        {%- for name in prompt_names %}
        prompt_scores.clip_sim_{{ name }},
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
    from content_hashes
    left join newest_asset_embeddings
        on content_hashes.content_sha256 = newest_asset_embeddings.content_sha256
    left join prompt_scores
        on content_hashes.content_sha256 = prompt_scores.content_sha256
    left join newest_asset_detections
        on content_hashes.content_sha256 = newest_asset_detections.content_sha256
    left join class_counts
        on content_hashes.content_sha256 = class_counts.content_sha256
)

select * from final
