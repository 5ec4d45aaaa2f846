{#- The history features of every spine ad-day, computed once from days strictly before it
    (int_ad_features_joined adds the ad's and creative's attributes for the ML marts). History
    uses RANGE frames over day numbers that end the day before the row's own day (the ad's 1-day
    window is its previous row when that is the day before, and its first delivery counts once it
    lies before the row; one row per ad and day makes both exact): ad history over the ad's rows;
    adset, campaign and creative history over the rows of every ad of the entity (a RANGE frame
    holds whole days, so the row's own day and its peers on that day never enter), and account
    history over the account's per-day sums joined back (an account can hold every row: one
    partition). The row's own day never enters a feature. Incremental like the fact: a daily run
    rewrites the restatement window's days and the scoring day after the run date, reading the
    spine from lookback_days before the window (the widest frame) plus one aggregate per ad of
    everything older for the all-history features, so the work of a daily run follows the
    window, not the history. The spine and the windows are materialized CTEs on DuckDB
    (materialized_cte): each is computed once, and the windows' sorts do not share memory with
    the joins' hash tables. A daily run's per-ad totals before the lookback read the insights
    themselves (four columns), not the spine, whose scoring days and entity columns they do not
    need. -#}
{{ config(incremental_by_day_config(
    date_column='date_day',
    cluster_by=['account_id', 'ad_id'],
    days_after=1,
)) }}
{#- windowed over the entity's ad rows -#}
{%- set entity_windows = [
    {'entity': 'adset', 'days': 7},
    {'entity': 'campaign', 'days': 7},
    {'entity': 'creative', 'days': 28},
] -%}
{#- summed per day first, then windowed and joined back -#}
{%- set entity_day_windows = [
    {'entity': 'account', 'days': 28},
] -%}
{%- set lookback_days = 28 -%}
{%- set window_start = restatement_day('first') -%}
{%- set window_end = restatement_day('last', days_after=1) -%}
{%- set lookback_start = restatement_day('first', -1 * lookback_days) -%}

-- depends_on: {{ ref('stg_meta_ads__insights') }}
with

spine as {{ materialized_cte() }} (
    select * from {{ ref('int_ad_days_spined') }}
    {%- if is_incremental() %}
    where date_day between {{ lookback_start }} and {{ window_end }}
    {%- endif %}
),

{%- if is_incremental() %}

-- the all-history features' part before the lookback, one row per ad: from the insights the
-- spine's delivered days are (its scoring days come after every insights day)
ad_before_lookback as (
    select
        ad_id,
        sum(impressions) as impressions,
        sum(unique_inline_link_clicks) as unique_inline_link_clicks,
        sum(case when impressions > 0 then 1 else 0 end) as days_delivered,
        min(case when impressions > 0 then {{ day_number('date_day') }} end) as first_delivery_day_number
    from {{ ref('stg_meta_ads__insights') }}
    where date_day < {{ lookback_start }}
    group by ad_id
),
{%- endif %}

ad_windows as {{ materialized_cte() }} (
    select
        ad_id,
        date_day,
        day_number,
        account_id,
        campaign_id,
        adset_id,
        creative_id,
        is_scoring_day,
        impressions,
        unique_inline_link_clicks,
        {%- for window in entity_windows %}
        case
            when {{ window.entity }}_id is not null
                then sum(impressions) over {{ window.entity }}_prior_{{ window.days }}d
        end as {{ window.entity }}_impressions_prior_{{ window.days }}d,
        case
            when {{ window.entity }}_id is not null
                then sum(unique_inline_link_clicks) over {{ window.entity }}_prior_{{ window.days }}d
        end as {{ window.entity }}_unique_link_clicks_prior_{{ window.days }}d,
        {%- endfor %}
        sum(impressions) over ad_prior_all as prior_impressions,
        sum(unique_inline_link_clicks) over ad_prior_all as prior_unique_link_clicks,
        sum(case when impressions > 0 then 1 else 0 end) over ad_prior_all as prior_days_delivered,
        -- the ad's first delivery in the rows read; a feature only for the rows after it
        min(case when impressions > 0 then day_number end) over ad_rows as ad_first_delivery_day_number,
        -- the ad's previous row (one row per ad and day): the 1-day window when it is the day before
        lag(day_number) over ad_days as previous_day_number,
        lag(impressions) over ad_days as previous_impressions,
        lag(unique_inline_link_clicks) over ad_days as previous_unique_link_clicks,
        sum(impressions) over ad_prior_7d as impressions_prior_7d,
        sum(unique_inline_link_clicks) over ad_prior_7d as unique_link_clicks_prior_7d,
        sum(impressions) over ad_prior_28d as impressions_prior_28d,
        sum(unique_inline_link_clicks) over ad_prior_28d as unique_link_clicks_prior_28d
    from spine
    window
        {%- for window in entity_windows %}
        {{ window.entity }}_prior_{{ window.days }}d as (
            partition by {{ window.entity }}_id order by day_number
            range between {{ window.days }} preceding and 1 preceding
        ),
        {%- endfor %}
        ad_prior_all as (
            partition by ad_id order by day_number
            rows between unbounded preceding and 1 preceding
        ),
        ad_rows as (partition by ad_id),
        ad_days as (partition by ad_id order by day_number),
        ad_prior_7d as (
            partition by ad_id order by day_number
            range between 7 preceding and 1 preceding
        ),
        ad_prior_28d as (
            partition by ad_id order by day_number
            range between 28 preceding and 1 preceding
        )
),

{%- set prior_first_delivery -%}
    case
        when ad_windows.ad_first_delivery_day_number < ad_windows.day_number
            then ad_windows.ad_first_delivery_day_number
    end
{%- endset %}

ad_history as (
    select
        ad_windows.ad_id,
        ad_windows.date_day,
        ad_windows.day_number,
        ad_windows.account_id,
        ad_windows.campaign_id,
        ad_windows.adset_id,
        ad_windows.creative_id,
        ad_windows.is_scoring_day,
        ad_windows.impressions,
        ad_windows.unique_inline_link_clicks,
        {%- for window in entity_windows %}
        ad_windows.{{ window.entity }}_impressions_prior_{{ window.days }}d,
        ad_windows.{{ window.entity }}_unique_link_clicks_prior_{{ window.days }}d,
        {%- endfor %}
        {%- if is_incremental() %}
        coalesce(ad_before_lookback.impressions, 0) + coalesce(ad_windows.prior_impressions, 0)
            as prior_impressions,
        coalesce(ad_before_lookback.unique_inline_link_clicks, 0)
        + coalesce(ad_windows.prior_unique_link_clicks, 0) as prior_unique_link_clicks,
        coalesce(ad_before_lookback.days_delivered, 0) + coalesce(ad_windows.prior_days_delivered, 0)
            as prior_days_delivered,
        coalesce(ad_before_lookback.first_delivery_day_number, {{ prior_first_delivery }})
            as first_delivery_day_number,
        {%- else %}
        ad_windows.prior_impressions,
        ad_windows.prior_unique_link_clicks,
        ad_windows.prior_days_delivered,
        {{ prior_first_delivery }} as first_delivery_day_number,
        {%- endif %}
        case
            when ad_windows.previous_day_number = ad_windows.day_number - 1
                then ad_windows.previous_impressions
        end as impressions_prior_1d,
        case
            when ad_windows.previous_day_number = ad_windows.day_number - 1
                then ad_windows.previous_unique_link_clicks
        end as unique_link_clicks_prior_1d,
        ad_windows.impressions_prior_7d,
        ad_windows.unique_link_clicks_prior_7d,
        ad_windows.impressions_prior_28d,
        ad_windows.unique_link_clicks_prior_28d
    from ad_windows
    {% if is_incremental() -%}
    left join ad_before_lookback
        on ad_windows.ad_id = ad_before_lookback.ad_id
    {%- endif %}
),
{% for window in entity_day_windows %}
{{ window.entity }}_days as (
    select
        {{ window.entity }}_id,
        date_day,
        day_number,
        sum(impressions) as impressions,
        sum(unique_inline_link_clicks) as unique_inline_link_clicks
    from spine
    group by {{ window.entity }}_id, date_day, day_number
),

{{ window.entity }}_history as {{ materialized_cte() }} (
    select
        {{ window.entity }}_id,
        date_day,
        sum(impressions) over prior_window as impressions_prior_{{ window.days }}d,
        sum(unique_inline_link_clicks) over prior_window as unique_link_clicks_prior_{{ window.days }}d
    from {{ window.entity }}_days
    window prior_window as (
        partition by {{ window.entity }}_id order by day_number
        range between {{ window.days }} preceding and 1 preceding
    )
),
{% endfor %}
final as (
    select
        ad_history.ad_id,
        ad_history.date_day,
        ad_history.account_id,
        ad_history.campaign_id,
        ad_history.adset_id,
        ad_history.creative_id,
        ad_history.is_scoring_day,
        ad_history.impressions,
        ad_history.unique_inline_link_clicks,
        {{ safe_divide('ad_history.unique_inline_link_clicks', 'ad_history.impressions') }} as ctr_u,
        {{ iso_weekday('ad_history.date_day') }} as f_weekday,
        cast(
            ad_history.day_number - ad_history.first_delivery_day_number
            as {{ dbt.type_int() }}
        ) as f_days_since_first_delivery,
        cast(coalesce(ad_history.prior_days_delivered, 0) as {{ dbt.type_bigint() }}) as f_ad_prior_days_delivered,
        cast(coalesce(ad_history.prior_impressions, 0) as {{ dbt.type_bigint() }}) as f_ad_prior_impressions,
        cast(
            coalesce(ad_history.prior_unique_link_clicks, 0)
            as {{ dbt.type_bigint() }}
        ) as f_ad_prior_unique_link_clicks,
        {{ safe_divide('ad_history.unique_link_clicks_prior_1d', 'ad_history.impressions_prior_1d') }}
            as f_ad_ctr_u_prior_1d,
        {{ safe_divide('ad_history.unique_link_clicks_prior_7d', 'ad_history.impressions_prior_7d') }}
            as f_ad_ctr_u_prior_7d,
        {{ safe_divide('ad_history.unique_link_clicks_prior_28d', 'ad_history.impressions_prior_28d') }}
            as f_ad_ctr_u_prior_28d,
        cast(coalesce(ad_history.impressions_prior_7d, 0) as {{ dbt.type_bigint() }}) as f_ad_impressions_prior_7d,
        {{ safe_divide('ad_history.adset_unique_link_clicks_prior_7d', 'ad_history.adset_impressions_prior_7d') }}
            as f_adset_ctr_u_prior_7d,
        cast(
            coalesce(ad_history.adset_impressions_prior_7d, 0)
            as {{ dbt.type_bigint() }}
        ) as f_adset_impressions_prior_7d,
        {{ safe_divide(
            'ad_history.campaign_unique_link_clicks_prior_7d', 'ad_history.campaign_impressions_prior_7d'
        ) }}
            as f_campaign_ctr_u_prior_7d,
        {{ safe_divide('account_history.unique_link_clicks_prior_28d', 'account_history.impressions_prior_28d') }}
            as f_account_ctr_u_prior_28d,
        {{ safe_divide(
            'ad_history.creative_unique_link_clicks_prior_28d', 'ad_history.creative_impressions_prior_28d'
        ) }}
            as f_creative_ctr_u_prior_28d
    from ad_history
    {% for window in entity_day_windows %}
    left join {{ window.entity }}_history
        on
            ad_history.{{ window.entity }}_id = {{ window.entity }}_history.{{ window.entity }}_id
            and ad_history.date_day = {{ window.entity }}_history.date_day
    {%- endfor %}
    {%- if is_incremental() %}
    where ad_history.date_day >= {{ window_start }}
    {%- endif %}
)

select * from final
