{# Helpers of the country-level metric catalogue (docs/metrics.md). Standard SQL only: the
   marts that use them must also run on Spark SQL. #}

{# ln(numerator / denominator), NULL unless both are positive (log ratios of unit values and
   mirror declarations). One ln of the ratio, not a difference of two logs. #}
{% macro log_ratio(numerator, denominator) -%}
    case when ({{ numerator }}) > 0 and ({{ denominator }}) > 0
         then ln(cast(({{ numerator }}) as double) / ({{ denominator }})) end
{%- endmacro %}

{# max(0, x), NULL stays NULL. #}
{% macro positive_part(expression) -%}
    case when ({{ expression }}) > 0 then ({{ expression }}) when ({{ expression }}) <= 0 then 0 end
{%- endmacro %}

{# new_flow_count's test (docs/metrics.md, `*_new_flow_count` of fct_country_exposure): baseline
   missing or below the floor, and the period
   at or above a (larger) minimum, so a flow that merely crosses a small floor is not counted. #}
{% macro counts_as_new_flow(value, baseline, floor, minimum) -%}
    (coalesce({{ baseline }}, 0) < {{ floor }} and coalesce({{ value }}, 0) >= {{ minimum }})
{%- endmacro %}

{# A column the relation may not have yet: fct_trade_flows gains `flow` (X, M, RX, RM) with
   UN Comtrade. The column where it exists, a typed NULL otherwise. The lookup queries the
   warehouse, so unit tests of models calling it override it. #}
{% macro optional_column(relation, column, data_type) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for found in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(found.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if column | lower in names -%}
        {{ column }}
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

