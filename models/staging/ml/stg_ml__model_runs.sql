with

source as (
    select * from {{ source('ml', 'model_runs') }}
),

final as (
    select
        model_run_id,
        trained_at,
        model_kind,
        target as model_target,
        train_start,
        train_end,
        valid_end,
        test_end,
        train_rows,
        test_rows,
        feature_list,
        params_json,
        metrics_json,
        test_logloss_model,
        test_logloss_baseline,
        test_logloss_truth,
        share_of_achievable_gain,
        best_iteration,
        artifact_uri,
        code_version,
        package_versions_json,
        engine
    from source
)

select * from final
