{#- extractor_version is `<extractor name>/<version>[+<settings digest>]`; the dotted version is
    split into integers so that "newest" sorts numerically (1.10 after 1.9). -#}
{%- set version_number = dbt.split_part(dbt.split_part('extractor_version', "'/'", 2), "'+'", 1) -%}

with

source as (
    select * from {{ source('creative', 'asset_detections') }}
),

final as (
    select
        content_sha256,
        extractor_version,
        weights as extractor_weights,
        {{ dbt.split_part('extractor_version', "'/'", 1) }} as extractor_name,
        {{ try_cast(dbt.split_part(version_number, "'.'", 1), dbt.type_int()) }} as extractor_version_major,
        {{ try_cast(dbt.split_part(version_number, "'.'", 2), dbt.type_int()) }} as extractor_version_minor,
        {{ try_cast(dbt.split_part(version_number, "'.'", 3), dbt.type_int()) }} as extractor_version_patch,
        lower(media_type) as media_type,
        file_name,
        model_name as yolo_model_name,
        device as extraction_device,
        frames_used,
        detections,
        largest_box_share,
        has_person_first_second,
        extracted_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
