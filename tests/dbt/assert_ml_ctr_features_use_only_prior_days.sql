{#- Recomputes three history features of every feature row from the daily fact (the insights'
    ad-days, tied out by assert_fct_ad_daily_link_ctr_ties_out_to_staging_insights) without the
    feature model's RANGE frames and returns the rows that disagree or have no recomputation: the
    all-history impressions must stop the day before date_day, the 7-day impressions must cover
    date_day − 7 .. date_day − 1, and the 1-day ctr_u must be the previous day's. Each ad's
    insights days and its scoring day form one sequence in date order; the all-history sum is the
    running total before the row, and the 7-day and 1-day figures look back at most seven rows
    (one row per day) and keep those inside the days. Linear in the rows read: a join of each row
    with every earlier day of its ad grows with the square of the history. A feature that saw its
    own day fails here. Reading the fact, which the ML views do not depend on, lets dbt build
    the views beside this check instead of after it. When the check reads every feature row
    (tests_scope all), every ad of the fact is a feature ad, so the fact is read whole, without
    the join to the feature ads. -#}
{%- set lookback_rows = 7 -%}
with

features as (
    select
        ad_id,
        date_day,
        is_scoring_day,
        f_ad_prior_impressions,
        f_ad_impressions_prior_7d,
        f_ad_ctr_u_prior_1d
    from {{ ref('int_ad_features_as_of') }}
    where {{ tests_window_filter('date_day') }}
),

feature_ads as (
    select distinct ad_id
    from features
),

daily as (
    select
        fact.ad_id,
        fact.date_day,
        fact.impressions,
        fact.unique_inline_link_clicks
    from {{ ref('fct_ad_daily_link_ctr') }} as fact
    {% if tests_read_window() -%}
    inner join feature_ads
        on fact.ad_id = feature_ads.ad_id
    {%- endif %}
    -- every day of the feature ads (every ad, when the features are read whole): the running
    -- totals need all their history
    where fact.date_day >= date '1970-01-01'
),

-- the ad's insights days and its scoring day (no insights row), one row per day
ad_days as (
    select
        ad_id,
        date_day,
        impressions,
        unique_inline_link_clicks
    from daily
    union all
    select
        ad_id,
        date_day,
        cast(null as {{ dbt.type_bigint() }}) as impressions,
        cast(null as {{ dbt.type_bigint() }}) as unique_inline_link_clicks
    from features
    where is_scoring_day
),

looked_back as (
    select
        ad_id,
        date_day,
        coalesce(sum(impressions) over running_total, 0) - coalesce(impressions, 0)
            as prior_impressions,
        {%- for offset in range(1, lookback_rows + 1) %}
        lag(date_day, {{ offset }}) over ad_order as day_back_{{ offset }},
        lag(impressions, {{ offset }}) over ad_order as impressions_back_{{ offset }},
        {%- endfor %}
        lag(unique_inline_link_clicks, 1) over ad_order as unique_link_clicks_back_1
    from ad_days
    window
        running_total as (
            partition by ad_id order by date_day
            rows between unbounded preceding and current row
        ),
        ad_order as (partition by ad_id order by date_day)
),

recomputed as (
    select
        ad_id,
        date_day,
        prior_impressions,
        0
        {%- for offset in range(1, lookback_rows + 1) %}
        + case
            when day_back_{{ offset }} >= {{ add_days('date_day', -7) }}
                then coalesce(impressions_back_{{ offset }}, 0)
            else 0
        end
        {%- endfor %} as impressions_prior_7d,
        case
            when day_back_1 = {{ add_days('date_day', -1) }} then impressions_back_1
        end as impressions_prior_1d,
        case
            when day_back_1 = {{ add_days('date_day', -1) }} then unique_link_clicks_back_1
        end as unique_link_clicks_prior_1d
    from looked_back
),

final as (
    select
        features.*,
        recomputed.prior_impressions,
        recomputed.impressions_prior_7d,
        recomputed.impressions_prior_1d,
        recomputed.unique_link_clicks_prior_1d
    from features
    left join recomputed
        on
            features.ad_id = recomputed.ad_id
            and features.date_day = recomputed.date_day
    where
        recomputed.ad_id is null
        or features.f_ad_prior_impressions != recomputed.prior_impressions
        or features.f_ad_impressions_prior_7d != recomputed.impressions_prior_7d
        or abs(
            coalesce(features.f_ad_ctr_u_prior_1d, -1)
            - coalesce(
                {{ safe_divide('recomputed.unique_link_clicks_prior_1d', 'recomputed.impressions_prior_1d') }},
                -1
            )
        ) > 1e-9
)

select * from final
