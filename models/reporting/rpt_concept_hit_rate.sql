{#- Sim → real hit rate: every concept forecast whose launched ad has delivered its whole
    horizon, with whether it was a hit and how well the run's forecasts are calibrated:
    Brier score and skill against the run's base rate, reliability by tenth of P(hit), the
    expected calibration error, and the hit rate of the top quarter of forecasts (the
    "predicted winners"). Run-level and bin-level figures repeat on each of their rows. -#}
{{ config(tags=['ml_outputs']) }}

with

outcomes as (
    select * from {{ ref('ml_concept_forecast_outcomes') }}
    where is_complete
),

scored as (
    select
        *,
        case when is_hit then 1.0 else 0.0 end as hit_value,
        least(cast(floor(p_ctr_u_ge_benchmark * 10) as {{ dbt.type_int() }}), 9) as reliability_bin,
        row_number() over (
            partition by model_run_id
            order by p_ctr_u_ge_benchmark desc, content_sha256 asc, scenario_id asc
        ) as forecast_rank,
        count(*) over (partition by model_run_id) as run_concepts
    from outcomes
),

binned as (
    select
        *,
        power(p_ctr_u_ge_benchmark - hit_value, 2) as squared_error,
        forecast_rank <= cast(ceil(run_concepts / 4.0) as {{ dbt.type_int() }}) as is_predicted_winner,
        count(*) over (partition by model_run_id, reliability_bin) as bin_forecasts,
        avg(p_ctr_u_ge_benchmark) over (partition by model_run_id, reliability_bin) as bin_mean_p_hit,
        avg(hit_value) over (partition by model_run_id, reliability_bin) as bin_hit_rate,
        avg(hit_value) over (partition by model_run_id) as run_hit_rate,
        avg(p_ctr_u_ge_benchmark) over (partition by model_run_id) as run_mean_p_hit
    from scored
),

final as (
    select
        model_run_id,
        content_sha256,
        scenario_id,
        concept_file,
        account_id,
        adset_id,
        ad_id,
        as_of_date,
        first_delivery_date,
        horizon_days,
        benchmark_rule,
        benchmark_ctr_u,
        predicted_ctr_u,
        predicted_ctr_u_lower,
        predicted_ctr_u_upper,
        p_ctr_u_ge_benchmark,
        impressions,
        unique_inline_link_clicks,
        ctr_u_from_daily_sums,
        is_hit,
        is_inside_interval,
        squared_error,
        forecast_rank,
        is_predicted_winner,
        reliability_bin,
        bin_forecasts,
        bin_mean_p_hit,
        bin_hit_rate,
        run_concepts,
        run_hit_rate,
        run_mean_p_hit,
        avg(squared_error) over (partition by model_run_id) as run_brier_score,
        1 - {{ safe_divide(
            'avg(squared_error) over (partition by model_run_id)',
            'run_hit_rate * (1 - run_hit_rate)'
        ) }} as run_brier_skill_score,
        sum(abs(bin_mean_p_hit - bin_hit_rate)) over (partition by model_run_id) / run_concepts
            as run_expected_calibration_error,
        avg(case when is_predicted_winner then hit_value end) over (partition by model_run_id)
            as run_top_quartile_hit_rate
    from binned
)

select * from final
