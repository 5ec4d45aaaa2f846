{#- Each account's newest budget slate: the lines of the latest slate_date per account. On
    BigQuery only slates dated from the restatement window's first day on are read, so the
    table stays a scan of a few partitions. -#}
with

slates as (
    select * from {{ ref('stg_ml__budget_slates') }}
    where {{ partition_guard('slate_date', open_ended=true) }}
),

latest as (
    select
        account_id,
        max(slate_date) as slate_date
    from slates
    group by account_id
),

final as (
    select slates.*
    from slates
    inner join latest
        on
            slates.account_id = latest.account_id
            and slates.slate_date = latest.slate_date
)

select * from final
