with

source as (
    select * from {{ source('meta_ads', 'ad_accounts') }}
),

final as (
    select
        account_id,
        id as ad_account_graph_id,
        name as account_name,
        upper(currency) as account_currency,
        timezone_name as account_timezone,
        account_status,
        _loaded_at,
        _batch_id
    from source
)

select * from final
