with

source as (
    select * from {{ source('ml', 'budget_slates') }}
),

final as (
    select
        slate_id,
        slate_date,
        ad_id,
        account_id,
        model_run_id,
        arm,
        budget_share,
        cast(planned_spend as {{ dbt.type_numeric() }}) as planned_spend,
        upper(currency) as currency,
        predicted_ctr_u,
        posterior_ctr_u_mean,
        predicted_c2s,
        predicted_cpm,
        planned_impressions,
        expected_conversions,
        predicted_cac,
        p_click_ge1,
        reason,
        seed as slate_seed,
        created_at,
        campaign_id,
        adset_id,
        is_learning,
        planned_frequency,
        is_frequency_capped,
        ctr_prior_strength,
        c2s_prior_mean,
        c2s_prior_strength,
        p_best,
        p_top_k
    from source
)

select * from final
