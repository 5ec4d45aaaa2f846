{#- Each ad that delivered on the latest day with data: that day's and the trailing 7 days'
    ctr_u beside the model's current prediction and interval, their difference, and two flags.
    is_under_delivering: the day's ctr_u fell below the interval's lower end (with enough
    impressions to tell). is_fatiguing: the trailing 7-day ctr_u dropped by more than
    var fatigue_drop against the 7 days before (each window with enough impressions). -#}
{%- set min_impressions = var('running_scored_min_impressions', 500) -%}
{%- set fatigue_drop = var('fatigue_drop', 0.2) -%}
with

daily as (
    select * from {{ ref('fct_ad_daily_link_ctr') }}
    where {{ partition_guard('date_day', extra_days=7) }}
),

rolling as (
    select * from {{ ref('rpt_ad_link_ctr_rolling_7d') }}
),

predictions as (
    select * from {{ ref('ml_ctr_predictions_current') }}
),

latest_day as (
    select max(date_day) as date_day
    from daily
),

running as (
    select daily.*
    from daily
    inner join latest_day
        on daily.date_day = latest_day.date_day
    where daily.impressions > 0
),

final as (
    select
        running.ad_id,
        running.date_day,
        running.account_id,
        running.campaign_id,
        running.adset_id,
        running.creative_id,
        running.impressions,
        running.unique_inline_link_clicks,
        running.ctr_u,
        last_7d.impressions_7d,
        last_7d.ctr_u_7d_from_daily_sums,
        before_7d.impressions_7d as impressions_prior_7d,
        before_7d.ctr_u_7d_from_daily_sums as ctr_u_prior_7d_from_daily_sums,
        predictions.model_run_id,
        predictions.prediction_date,
        predictions.predicted_ctr_u,
        predictions.predicted_ctr_u_lower,
        predictions.predicted_ctr_u_upper,
        predictions.interval_level,
        predictions.p_link_click_gt0,
        running.ctr_u - predictions.predicted_ctr_u as ctr_u_minus_predicted,
        last_7d.ctr_u_7d_from_daily_sums - predictions.predicted_ctr_u
            as ctr_u_7d_minus_predicted,
        coalesce(
            running.impressions >= {{ min_impressions }}
            and running.ctr_u < predictions.predicted_ctr_u_lower,
            false
        ) as is_under_delivering,
        coalesce(
            last_7d.impressions_7d >= {{ min_impressions }}
            and before_7d.impressions_7d >= {{ min_impressions }}
            and last_7d.ctr_u_7d_from_daily_sums
            < (1 - {{ fatigue_drop }}) * before_7d.ctr_u_7d_from_daily_sums,
            false
        ) as is_fatiguing
    from running
    left join rolling as last_7d
        on
            running.ad_id = last_7d.ad_id
            and running.date_day = last_7d.date_day
    left join rolling as before_7d
        on
            running.ad_id = before_7d.ad_id
            and before_7d.date_day = {{ add_days('running.date_day', -7) }}
    left join predictions
        on running.ad_id = predictions.ad_id
)

select * from final
