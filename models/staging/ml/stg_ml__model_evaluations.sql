with

source as (
    select * from {{ source('ml', 'model_evaluations') }}
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
    from source
)

select * from final
