{# The members of a country group at the version the project's vars pin
   (coalition_group_version, transit_group_version ...), as a condition on a
   ref_country_group / dim_country_group row, as a per-country flag, and as a list. #}
{% macro in_group(name, alias=none) -%}
    {%- set p = alias ~ '.' if alias else '' -%}
    {{ p }}group_name = '{{ name }}' and {{ p }}group_version = '{{ var(name ~ "_group_version") }}'
{%- endmacro %}


{# Per iso3 (in a query grouped by iso3): whether the country is in the group. #}
{% macro group_flag(name) -%}
    max(case when {{ in_group(name) }} then 1 else 0 end) = 1
{%- endmacro %}


{% macro group_members(name) -%}
    select g.iso3 from {{ ref('ref_country_group') }} as g where {{ in_group(name, 'g') }}
{%- endmacro %}
