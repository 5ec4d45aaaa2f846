{#- Calibration and lift of the newest evaluated model run on its test window, per scorer and
    bin. aelp evaluate bins test rows into groups of equal impressions ordered by the scorer's
    prediction; each bin's observed ctr_u (pooled from sums) against its impression-weighted
    predicted ctr_u is the reliability diagram, and the observed ctr_u over the scorer's pooled
    rate across all bins, read from the highest bin down, is its lift chart. -#}
with

evaluations as (
    select * from {{ ref('ml_model_evaluations_current') }}
),

bins as (
    select
        model_run_id,
        scorer,
        cast(substr(segment, 17) as {{ dbt.type_int() }}) as bin_number,
        max(case when metric = 'reliability_predicted' then metric_value end) as predicted_ctr_u,
        max(case when metric = 'reliability_observed' then metric_value end) as observed_ctr_u,
        max(row_count) as row_count,
        max(impressions) as impressions,
        max(test_start) as test_start,
        max(test_end) as test_end
    from evaluations
    where segment like 'reliability_bin_%'
    group by model_run_id, scorer, segment
),

pooled as (
    select
        model_run_id,
        scorer,
        bin_number,
        predicted_ctr_u,
        observed_ctr_u,
        row_count,
        impressions,
        test_start,
        test_end,
        sum(observed_ctr_u * impressions) over (partition by scorer)
        / sum(impressions) over (partition by scorer) as pooled_observed_ctr_u,
        row_number() over (partition by scorer order by bin_number desc) as rank_from_top,
        sum(impressions) over (
            partition by scorer order by bin_number desc
            rows between unbounded preceding and current row
        ) / sum(impressions) over (partition by scorer) as cumulative_impression_share_from_top
    from bins
),

final as (
    select
        model_run_id,
        scorer,
        bin_number,
        rank_from_top,
        predicted_ctr_u,
        observed_ctr_u,
        row_count,
        impressions,
        pooled_observed_ctr_u,
        {{ safe_divide('observed_ctr_u', 'pooled_observed_ctr_u') }} as lift,
        cumulative_impression_share_from_top,
        test_start,
        test_end
    from pooled
)

select * from final
