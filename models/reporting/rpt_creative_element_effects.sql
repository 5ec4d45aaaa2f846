{#- The newest model run's creative elements (colours, motion, copy, objects, ...) ranked by
    how much they move predicted ctr_u, with their support. -#}
with

effects as (
    select * from {{ ref('ml_creative_element_effects_current') }}
),

final as (
    select
        element,
        element_value,
        model_run_id,
        average_effect_ctr_u,
        average_contribution_logit,
        support_rows,
        support_ads,
        rank() over (order by abs(average_effect_ctr_u) desc) as effect_rank
    from effects
    where element_group = 'creative'
)

select * from final
