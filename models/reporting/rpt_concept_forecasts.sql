{#- New concepts scored from their content before they run, per scenario: the newest forecast
    of ctr_u with its interval, the chance to beat the benchmark and the expected CAC. -#}
with

forecasts as (
    select * from {{ ref('ml_concept_forecasts_current') }}
),

final as (
    select
        content_sha256,
        scenario_id,
        model_run_id,
        concept_file,
        media_type,
        account_id,
        adset_id,
        account_currency,
        as_of_date,
        horizon_days,
        planned_impressions_per_day,
        benchmark_rule,
        benchmark_ctr_u,
        predicted_ctr_u,
        predicted_ctr_u_lower,
        predicted_ctr_u_upper,
        interval_level,
        p_click_ge1,
        p_ctr_u_ge_benchmark,
        planned_spend,
        expected_conversions,
        expected_cac,
        rank_in_scenario,
        forecast_at
    from forecasts
)

select * from final
