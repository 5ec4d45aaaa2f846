{#- Combinations of the given columns that occur more than once (a composite grain test). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with
final as (
    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from final

{% endtest %}
