{# BACI names revisions HS92 ... HS22; we name them by year: HS1992 ... HS2022. #}
{% macro baci_hs_version(column) -%}
    case when substr({{ column }}, 3, 2) in ('92', '96') then 'HS19' else 'HS20' end
        || substr({{ column }}, 3, 2)
{%- endmacro %}
