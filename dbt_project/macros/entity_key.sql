{# A listed entity's key, stable across releases: the list and the list's own id. #}
{% macro entity_key(list, source_id) -%}
    {{ dbt.concat([list, "':'", source_id]) }}
{%- endmacro %}
