{#- The feature columns of the CTR model in model order, numeric `f_*` then categorical `fc_*`,
    rendered as a select list (optionally qualified by a relation alias). Both ML marts select
    exactly these, so training and scoring cannot drift apart. Not dialect-specific: no dispatch. -#}
{% macro ml_ctr_feature_columns(relation_alias=none) -%}
    {%- set columns = [
        'f_ad_age_days',
        'f_weekday',
        'f_days_since_first_delivery',
        'f_ad_prior_days_delivered',
        'f_ad_prior_impressions',
        'f_ad_prior_unique_link_clicks',
        'f_ad_ctr_u_prior_1d',
        'f_ad_ctr_u_prior_7d',
        'f_ad_ctr_u_prior_28d',
        'f_ad_impressions_prior_7d',
        'f_adset_ctr_u_prior_7d',
        'f_adset_impressions_prior_7d',
        'f_campaign_ctr_u_prior_7d',
        'f_account_ctr_u_prior_28d',
        'f_creative_ctr_u_prior_28d',
        'f_is_video',
        'f_title_length',
        'f_body_length',
        'f_body_has_question',
        'f_targeting_age_min',
        'f_targeting_age_max',
        'f_targeting_n_interests',
        'f_brightness',
        'f_contrast',
        'f_colourfulness',
        'f_warmth',
        'f_saturation',
        'f_edge_density',
        'f_aspect_ratio',
        'f_duration_s',
        'f_motion_energy',
        'f_scene_cut_count',
        'f_scene_cut_rate',
    ] -%}
    {#- CLIP prompt similarities and YOLO counts: one column per creative_clip_prompts /
        creative_yolo_classes key, in the vars' order. -#}
    {%- for name in var('creative_clip_prompts', {}).keys() -%}
        {%- do columns.append('f_clip_sim_' ~ name) -%}
    {%- endfor -%}
    {%- for name in var('creative_yolo_classes', {}).keys() -%}
        {%- do columns.append('f_yolo_' ~ name ~ '_count') -%}
    {%- endfor -%}
    {%- do columns.extend([
        'f_yolo_largest_box_share',
        'f_has_person_first_second',
        'fc_call_to_action_type',
        'fc_optimization_goal',
        'fc_campaign_objective',
    ]) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for column in columns %}
        {{ prefix }}{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
