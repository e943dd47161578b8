{#- is_synthetic of a metric row: true when its source's flows of the row's year, or of the
    baseline years it is compared with, come from a generated file (int_trade_synthetic_years).
    Rows of a source with no flows at all read false. -#}
{% macro synthetic_flag(source_col, year_col) -%}
coalesce((
    select bool_or(s.is_synthetic)
    from {{ ref('int_trade_synthetic_years') }} as s
    where s.source = {{ source_col }}
      and (s.year = {{ year_col }}
           or s.year between {{ var('baseline_start_year') }} and {{ var('baseline_end_year') }})
), false)
{%- endmacro %}
