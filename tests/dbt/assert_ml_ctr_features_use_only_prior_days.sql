{#- Recomputes three history features of every feature row with a plain join on staging insights
    (no window frames; the fact ties out to them) and returns the rows that disagree: all-history
    impressions must stop the day before date_day, the 7-day impressions must cover date_day − 7 .. date_day − 1, and the
    1-day ctr_u must be the previous day's. A feature that saw its own day fails here. -#}
with

features as (
    select
        ad_id,
        date_day,
        f_ad_prior_impressions,
        f_ad_impressions_prior_7d,
        f_ad_ctr_u_prior_1d
    from {{ ref('int_ad_features_as_of') }}
    where {{ tests_window_filter('date_day') }}
),

daily as (
    select
        ad_id,
        date_day,
        impressions,
        unique_inline_link_clicks
    from {{ ref('stg_meta_ads__insights') }}
),

recomputed as (
    select
        features.ad_id,
        features.date_day,
        coalesce(sum(daily.impressions), 0) as prior_impressions,
        coalesce(sum(
            case
                when daily.date_day >= {{ add_days('features.date_day', -7) }} then daily.impressions
            end
        ), 0) as impressions_prior_7d,
        sum(
            case
                when daily.date_day = {{ add_days('features.date_day', -1) }} then daily.impressions
            end
        ) as impressions_prior_1d,
        sum(
            case
                when daily.date_day = {{ add_days('features.date_day', -1) }} then daily.unique_inline_link_clicks
            end
        ) as unique_link_clicks_prior_1d
    from features
    left join daily
        on
            features.ad_id = daily.ad_id
            and features.date_day > daily.date_day
    group by features.ad_id, features.date_day
),

final as (
    select
        features.*,
        recomputed.prior_impressions,
        recomputed.impressions_prior_7d,
        recomputed.impressions_prior_1d,
        recomputed.unique_link_clicks_prior_1d
    from features
    inner join recomputed
        on
            features.ad_id = recomputed.ad_id
            and features.date_day = recomputed.date_day
    where
        features.f_ad_prior_impressions != recomputed.prior_impressions
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
