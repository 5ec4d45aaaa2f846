{#- Every scoring row is for the day after the last insights day, and no scoring row is for
    an ad that is deleted or archived. Returns the offending rows. -#}
with

scoring as (
    select
        ad_id,
        date_day
    from {{ ref('ml_ctr_scoring_features') }}
),

last_day as (
    select max(date_day) as last_date_day
    from {{ ref('stg_meta_ads__insights') }}
),

ads as (
    select
        ad_id,
        is_deleted_or_archived
    from {{ ref('dim_ads') }}
),

final as (
    select
        scoring.ad_id,
        scoring.date_day,
        last_day.last_date_day,
        ads.is_deleted_or_archived
    from scoring
    cross join last_day
    left join ads
        on scoring.ad_id = ads.ad_id
    where
        scoring.date_day != {{ add_days('last_day.last_date_day', 1) }}
        or coalesce(ads.is_deleted_or_archived, true)
)

select * from final
