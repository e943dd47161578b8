{# Growth against a baseline; NULL when the baseline is missing or below the floor
   (docs/metrics.md, Conventions: "Small baselines"). #}
{% macro growth(value, baseline, floor) -%}
    case when {{ baseline }} is null or {{ baseline }} < {{ floor }} then null
         else cast({{ value }} as double) / {{ baseline }} - 1 end
{%- endmacro %}

{# Symmetric growth (x1 - x0) / ((x1 + x0) / 2), in [-2, 2]; NULL when both are zero. #}
{% macro symmetric_growth(value, baseline) -%}
    case when coalesce({{ value }}, 0) + coalesce({{ baseline }}, 0) = 0 then null
         else (coalesce({{ value }}, 0) - coalesce({{ baseline }}, 0))
              / ((coalesce({{ value }}, 0) + coalesce({{ baseline }}, 0)) / 2.0) end
{%- endmacro %}

{# A flow is new when its baseline is below the floor and it now reaches the floor. #}
{% macro is_new_flow(value, baseline, floor) -%}
    (coalesce({{ baseline }}, 0) < {{ floor }} and coalesce({{ value }}, 0) >= {{ floor }})
{%- endmacro %}
