{# Rows for which the expression is false fail the test (no dbt packages: the hub is unreachable). #}
{% test expression_is_true(model, expression, column_name=none) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}
