{#- One row per ad: the names and statuses a dashboard shows beside ad ids, and the creative's
    media file (content hash and asset-store location) for thumbnails. -#}
with

ads as (
    select * from {{ ref('dim_ads') }}
),

creatives as (
    select * from {{ ref('dim_creatives') }}
),

final as (
    select
        ads.ad_id,
        ads.account_id,
        ads.ad_name,
        ads.ad_effective_status,
        ads.is_deleted_or_archived,
        ads.campaign_id,
        ads.campaign_name,
        ads.campaign_objective,
        ads.adset_id,
        ads.adset_name,
        ads.creative_id,
        creatives.creative_name,
        creatives.title,
        creatives.call_to_action_type,
        creatives.is_video,
        creatives.media_type,
        creatives.content_sha256,
        creatives.asset_uri,
        creatives.width_px,
        creatives.height_px,
        creatives.duration_s
    from ads
    left join creatives
        on ads.creative_id = creatives.creative_id
)

select * from final
