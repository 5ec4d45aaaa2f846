{#- Rows for which a boolean SQL expression is not true. Under a column, the expression
    continues the column name (e.g. `<= impressions`); under a model it stands alone. -#}
{% test expression_is_true(model, expression, column_name=none) %}

with
final as (
    select *
    from {{ model }}
    where not coalesce(({{ column_name ~ ' ' if column_name is not none else '' }}{{ expression }}), false)
)

select * from final

{% endtest %}
