with

source as (
    select * from {{ source('ml', 'creative_element_effects') }}
),

final as (
    select
        model_run_id,
        element,
        element_value,
        element_group,
        average_effect_ctr_u,
        average_contribution_logit,
        support_rows,
        support_ads,
        computed_at
    from source
)

select * from final
