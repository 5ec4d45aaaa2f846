{#- One row per ad and day from the conversions export; several rows of a day (e.g. one per
    source system) are summed. Negative counts (refund corrections) are kept. With
    conversions_source other than export, the source is not read and the model is empty. -#}
{%- if var('conversions_source') == 'export' %}
with

source as (
    select * from {{ source('conversions_export', 'ad_daily_conversions') }}
),

final as (
    select
        cast(ad_id as {{ dbt.type_string() }}) as ad_id,
        cast(date_day as date) as date_day,
        sum(cast(conversions as {{ dbt.type_float() }})) as conversions,
        sum(cast(coalesce(conversion_value, 0) as {{ dbt.type_float() }})) as conversion_value,
        max(_loaded_at) as _loaded_at
    from source
    group by 1, 2
)

select * from final
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as ad_id,
    cast(null as date) as date_day,
    cast(null as {{ dbt.type_float() }}) as conversions,
    cast(null as {{ dbt.type_float() }}) as conversion_value,
    cast(null as {{ dbt.type_timestamp() }}) as _loaded_at
where 1 = 0
{%- endif %}
