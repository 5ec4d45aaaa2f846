{#- ml.concept_forecasts exists once `aelp concepts forecast` has run; a team that never
    forecasts concepts still builds the ml_outputs branch, so while the table is missing this
    view is empty with the same columns (dbt reads the table, it never creates it). -#}
{%- set forecasts = source('ml', 'concept_forecasts') -%}
{%- set columns = [
        ('model_run_id', dbt.type_string()),
        ('content_sha256', dbt.type_string()),
        ('scenario_id', dbt.type_string()),
        ('concept_file', dbt.type_string()),
        ('media_type', dbt.type_string()),
        ('as_of_date', 'date'),
        ('horizon_days', dbt.type_bigint()),
        ('account_id', dbt.type_string()),
        ('campaign_id', dbt.type_string()),
        ('adset_id', dbt.type_string()),
        ('account_currency', dbt.type_string()),
        ('planned_impressions_per_day', dbt.type_bigint()),
        ('benchmark_rule', dbt.type_string()),
        ('benchmark_ctr_u', dbt.type_float()),
        ('benchmark_ads', dbt.type_bigint()),
        ('model_ctr_u', dbt.type_float()),
        ('predicted_ctr_u', dbt.type_float()),
        ('predicted_ctr_u_lower', dbt.type_float()),
        ('predicted_ctr_u_upper', dbt.type_float()),
        ('interval_level', dbt.type_float()),
        ('p_click_ge1', dbt.type_float()),
        ('p_ctr_u_ge_benchmark', dbt.type_float()),
        ('planned_spend', dbt.type_float()),
        ('expected_link_clicks', dbt.type_float()),
        ('click_to_conversion_rate', dbt.type_float()),
        ('expected_conversions', dbt.type_float()),
        ('expected_cac', dbt.type_float()),
        ('rank_in_scenario', dbt.type_bigint()),
        ('calibration_ads', dbt.type_bigint()),
        ('calibration_method', dbt.type_string()),
        ('creative_extractor_version', dbt.type_string()),
        ('creative_clip_weights', dbt.type_string()),
        ('creative_yolo_weights', dbt.type_string()),
        ('forecast_at', dbt.type_timestamp())
] -%}
{#- Outside a dbt run (parsing, linting) the table is taken to exist. -#}
{%- set exists = (not execute) or (adapter.get_relation is not defined) or adapter.get_relation(
    database=forecasts.database, schema=forecasts.schema, identifier=forecasts.identifier
) is not none -%}

with

{% if exists -%}
source as (
    select * from {{ forecasts }}
),
{%- else -%}
source as (
    select
        {%- for name, data_type in columns %}
        cast(null as {{ data_type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as placeholder) as no_forecasts_yet
    where 1 = 0
),
{%- endif %}

final as (
    select
        model_run_id,
        content_sha256,
        scenario_id,
        concept_file,
        media_type,
        as_of_date,
        horizon_days,
        account_id,
        campaign_id,
        adset_id,
        account_currency,
        planned_impressions_per_day,
        benchmark_rule,
        benchmark_ctr_u,
        benchmark_ads,
        model_ctr_u,
        predicted_ctr_u,
        predicted_ctr_u_lower,
        predicted_ctr_u_upper,
        interval_level,
        p_click_ge1,
        p_ctr_u_ge_benchmark,
        planned_spend,
        expected_link_clicks,
        click_to_conversion_rate,
        expected_conversions,
        expected_cac,
        rank_in_scenario,
        calibration_ads,
        calibration_method,
        creative_extractor_version,
        creative_clip_weights,
        creative_yolo_weights,
        forecast_at
    from source
)

select * from final
