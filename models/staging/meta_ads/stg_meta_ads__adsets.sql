with

source as (
    select * from {{ source('meta_ads', 'adsets') }}
),

final as (
    select
        id as adset_id,
        account_id,
        campaign_id,
        name as adset_name,
        upper(status) as adset_status,
        upper(effective_status) as adset_effective_status,
        optimization_goal,
        billing_event,
        daily_budget as daily_budget_minor_units,
        targeting as targeting_json,
        {{ try_cast(json_scalar('targeting', '$.age_min'), dbt.type_int()) }} as targeting_age_min,
        {{ try_cast(json_scalar('targeting', '$.age_max'), dbt.type_int()) }} as targeting_age_max,
        cast(
            {{ json_array_length('targeting', '$.genders') }}
            as {{ dbt.type_int() }}
        ) as targeting_n_genders,
        cast(
            {{ json_array_length('targeting', '$.geo_locations.countries') }}
            as {{ dbt.type_int() }}
        ) as targeting_n_countries,
        cast(
            {{ json_nested_array_length('targeting', '$.flexible_spec', 'interests') }}
            as {{ dbt.type_int() }}
        ) as targeting_n_interests,
        cast(
            {{ json_array_length('targeting', '$.publisher_platforms') }}
            as {{ dbt.type_int() }}
        ) as targeting_n_publisher_platforms,
        created_time as created_at,
        start_time as start_at,
        end_time as end_at,
        updated_time as updated_at,
        _loaded_at,
        _batch_id
    from source
)

select * from final
