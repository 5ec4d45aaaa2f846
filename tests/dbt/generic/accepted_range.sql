{#- Rows where the column lies outside [min_value, max_value] (bounds optional; nulls pass). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{%- set outside = [] -%}
{%- if min_value is not none -%}
    {%- do outside.append('value_under_test ' ~ ('<' if inclusive else '<=') ~ ' ' ~ min_value) -%}
{%- endif -%}
{%- if max_value is not none -%}
    {%- do outside.append('value_under_test ' ~ ('>' if inclusive else '>=') ~ ' ' ~ max_value) -%}
{%- endif %}

with

validation as (
    select {{ column_name }} as value_under_test
    from {{ model }}
),

final as (
    select *
    from validation
    where
        value_under_test is not null
        and ({{ outside | join(' or ') if outside else 'false' }})
)

select * from final

{% endtest %}
