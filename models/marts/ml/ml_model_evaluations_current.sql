{#- Test-window metrics of the newest evaluated model run. -#}
with

model_runs as (
    select * from {{ ref('stg_ml__model_runs') }}
),

evaluations as (
    select * from {{ ref('stg_ml__model_evaluations') }}
),

newest_evaluated_run as (
    select evaluations.model_run_id
    from evaluations
    inner join model_runs
        on evaluations.model_run_id = model_runs.model_run_id
    group by evaluations.model_run_id, model_runs.trained_at
    order by model_runs.trained_at desc, evaluations.model_run_id desc
    limit 1
),

final as (
    select
        evaluations.model_run_id,
        evaluations.segment,
        evaluations.scorer,
        evaluations.metric,
        evaluations.metric_value,
        evaluations.row_count,
        evaluations.impressions,
        evaluations.test_start,
        evaluations.test_end,
        evaluations.evaluated_at
    from evaluations
    inner join newest_evaluated_run
        on evaluations.model_run_id = newest_evaluated_run.model_run_id
)

select * from final
