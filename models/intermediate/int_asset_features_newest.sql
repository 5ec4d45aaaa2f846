{#- One row per media file: the newest extractor row of its content features. Newest means the
    highest numeric extractor version (1.10 after 1.9), then the latest extraction, with the
    weights as a tie-break, so every model that reads file features (dim_creatives through
    int_creatives_enriched, new-concept forecasts) sees the same row. -#}
with

asset_features as (
    select * from {{ ref('stg_creative__asset_features') }}
),

final as (
    select *
    from asset_features
    qualify row_number() over (
        partition by content_sha256
        order by
            extractor_version_major desc,
            extractor_version_minor desc,
            extractor_version_patch desc,
            extractor_version desc,
            extracted_at desc,
            extractor_weights asc
    ) = 1
)

select * from final
