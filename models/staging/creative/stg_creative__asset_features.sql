with

source as (
    select * from {{ source('creative', 'asset_features') }}
),

final as (
    select
        content_sha256,
        extractor_version,
        weights as extractor_weights,
        {{ dbt.safe_cast(dbt.split_part('extractor_version', "'.'", 1), dbt.type_int()) }} as extractor_version_major,
        {{ dbt.safe_cast(dbt.split_part('extractor_version', "'.'", 2), dbt.type_int()) }} as extractor_version_minor,
        {{ dbt.safe_cast(dbt.split_part('extractor_version', "'.'", 3), dbt.type_int()) }} as extractor_version_patch,
        lower(media_type) as media_type,
        file_name,
        width as width_px,
        height as height_px,
        aspect_ratio,
        duration_s,
        fps,
        frame_count,
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
        extracted_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
