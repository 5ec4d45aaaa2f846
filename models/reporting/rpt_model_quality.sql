{#- The newest evaluated model run's test-window metrics per segment (overall, cold_start,
    warm) and scorer: the model, its classifier, the baselines and (sample world) the truth. -#}
with

evaluations as (
    select * from {{ ref('ml_model_evaluations_current') }}
),

final as (
    select
        model_run_id,
        segment,
        scorer,
        metric,
        metric_value,
        row_count,
        impressions,
        test_start,
        test_end,
        evaluated_at
    from evaluations
    where segment in ('overall', 'cold_start', 'warm')
)

select * from final
