{#- The CTR model's feature rows: the history features of int_ad_features_as_of with the ad's
    age and the current attributes of its ad (targeting, goal, objective) and of the row's
    creative (copy, content features). A view: attributes are joined when read, so a
    re-extraction or a targeting change reaches every day without rewriting the history
    table, and that table stays narrow (about half the columns, a fifth less work to build).
    Left joins on the attribute models' primary keys keep one row per as-of row. -#}
with

history as (
    select * from {{ ref('int_ad_features_as_of') }}
),

ads as (
    select * from {{ ref('int_ads_enriched') }}
),

creatives as (
    select * from {{ ref('int_creatives_enriched') }}
),

final as (
    select
        history.ad_id,
        history.date_day,
        history.account_id,
        history.campaign_id,
        history.adset_id,
        history.creative_id,
        history.is_scoring_day,
        history.impressions,
        history.unique_inline_link_clicks,
        history.ctr_u,
        cast(
            {{ day_number('history.date_day') }} - {{ day_number('ads.created_date') }}
            as {{ dbt.type_int() }}
        ) as f_ad_age_days,
        history.f_weekday,
        history.f_days_since_first_delivery,
        history.f_ad_prior_days_delivered,
        history.f_ad_prior_impressions,
        history.f_ad_prior_unique_link_clicks,
        history.f_ad_ctr_u_prior_1d,
        history.f_ad_ctr_u_prior_7d,
        history.f_ad_ctr_u_prior_28d,
        history.f_ad_impressions_prior_7d,
        history.f_adset_ctr_u_prior_7d,
        history.f_adset_impressions_prior_7d,
        history.f_campaign_ctr_u_prior_7d,
        history.f_account_ctr_u_prior_28d,
        history.f_creative_ctr_u_prior_28d,
        cast(creatives.is_video as {{ dbt.type_int() }}) as f_is_video,
        creatives.title_length as f_title_length,
        creatives.body_length as f_body_length,
        cast(creatives.body_has_question as {{ dbt.type_int() }}) as f_body_has_question,
        ads.targeting_age_min as f_targeting_age_min,
        ads.targeting_age_max as f_targeting_age_max,
        ads.targeting_n_interests as f_targeting_n_interests,
        creatives.brightness as f_brightness,
        creatives.contrast as f_contrast,
        creatives.colourfulness as f_colourfulness,
        creatives.warmth as f_warmth,
        creatives.saturation as f_saturation,
        creatives.edge_density as f_edge_density,
        creatives.aspect_ratio as f_aspect_ratio,
        creatives.duration_s as f_duration_s,
        creatives.motion_energy as f_motion_energy,
        creatives.scene_cut_count as f_scene_cut_count,
        creatives.scene_cut_rate as f_scene_cut_rate,
        {%- for name in var('creative_clip_prompts', {}).keys() %}
        creatives.clip_sim_{{ name }} as f_clip_sim_{{ name }},
        {%- endfor %}
        {%- for name in var('creative_yolo_classes', {}).keys() %}
        creatives.yolo_{{ name }}_count as f_yolo_{{ name }}_count,
        {%- endfor %}
        creatives.yolo_largest_box_share as f_yolo_largest_box_share,
        cast(creatives.has_person_first_second as {{ dbt.type_int() }}) as f_has_person_first_second,
        creatives.call_to_action_type as fc_call_to_action_type,
        ads.optimization_goal as fc_optimization_goal,
        ads.campaign_objective as fc_campaign_objective
    from history
    left join ads
        on history.ad_id = ads.ad_id
    left join creatives
        on history.creative_id = creatives.creative_id
)

select * from final
