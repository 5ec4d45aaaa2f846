with

source as (
    select * from {{ source('ml', 'ctr_predictions') }}
),

final as (
    select
        model_run_id,
        prediction_date,
        ad_id,
        account_id,
        predicted_ctr_u,
        p_click_ge1,
        p_click_impressions,
        scored_at,
        predicted_ctr_u_lower,
        predicted_ctr_u_upper,
        interval_level,
        p_link_click_gt0
    from source
)

select * from final
