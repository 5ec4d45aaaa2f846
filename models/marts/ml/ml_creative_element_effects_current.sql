{#- Element effects of the newest explained model run. -#}
with

model_runs as (
    select * from {{ ref('stg_ml__model_runs') }}
),

effects as (
    select * from {{ ref('stg_ml__creative_element_effects') }}
),

newest_explained_run as (
    select effects.model_run_id
    from effects
    inner join model_runs
        on effects.model_run_id = model_runs.model_run_id
    group by effects.model_run_id, model_runs.trained_at
    order by model_runs.trained_at desc, effects.model_run_id desc
    limit 1
),

final as (
    select
        effects.model_run_id,
        effects.element,
        effects.element_value,
        effects.element_group,
        effects.average_effect_ctr_u,
        effects.average_contribution_logit,
        effects.support_rows,
        effects.support_ads,
        effects.computed_at
    from effects
    inner join newest_explained_run
        on effects.model_run_id = newest_explained_run.model_run_id
)

select * from final
