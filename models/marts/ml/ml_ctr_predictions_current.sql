{#- Per ad, the newest model run's prediction for the ad's latest scored day: what the model
    currently expects of each ad. -#}
with

model_runs as (
    select * from {{ ref('stg_ml__model_runs') }}
),

predictions as (
    select * from {{ ref('stg_ml__ctr_predictions') }}
),

newest_run as (
    select model_run_id
    from model_runs
    order by trained_at desc, model_run_id desc
    limit 1
),

ranked as (
    select
        predictions.ad_id,
        predictions.account_id,
        predictions.model_run_id,
        predictions.prediction_date,
        predictions.predicted_ctr_u,
        predictions.predicted_ctr_u_lower,
        predictions.predicted_ctr_u_upper,
        predictions.interval_level,
        predictions.p_link_click_gt0,
        predictions.p_click_ge1,
        predictions.p_click_impressions,
        predictions.scored_at,
        row_number() over (
            partition by predictions.ad_id
            order by predictions.prediction_date desc, predictions.scored_at desc
        ) as recency_rank
    from predictions
    inner join newest_run
        on predictions.model_run_id = newest_run.model_run_id
),

final as (
    select
        ad_id,
        account_id,
        model_run_id,
        prediction_date,
        predicted_ctr_u,
        predicted_ctr_u_lower,
        predicted_ctr_u_upper,
        interval_level,
        p_link_click_gt0,
        p_click_ge1,
        p_click_impressions,
        scored_at
    from ranked
    where recency_rank = 1
)

select * from final
