{#- The newest forecast of each new concept in each scenario: what the model expects of the
    concepts before they run. -#}
with

forecasts as (
    select * from {{ ref('stg_ml__concept_forecasts') }}
),

ranked as (
    select
        forecasts.*,
        row_number() over (
            partition by content_sha256, scenario_id
            order by forecast_at desc, model_run_id desc
        ) as recency_rank
    from forecasts
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
    from ranked
    where recency_rank = 1
)

select * from final
