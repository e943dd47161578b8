{# The sources parsed into the normalised sanctions shape, in order of preference when two of
   them carry the same list and release: a publisher's own format before a compilation of it
   (OFAC's XML before its legacy CSV, the official CSL before the third-party BIS parse). #}
{% macro sanctions_sources() -%}
    {{ return(['ofac_sdn_xml', 'ofac_cons', 'un', 'uk', 'canada_sema', 'eu_fsf', 'csl',
               'bis_derived', 'opensanctions']) }}
{%- endmacro %}

{# Priority of the legacy OFAC CSV: after SDN.XML, before the CSL's copy of the SDN list. #}
{% macro ofac_csv_priority() -%}1.5{%- endmacro %}

{% macro union_sanctions_table(table, columns) -%}
    {% for source_name in sanctions_sources() %}
    select
        '{{ source_name }}' as source_name,
        {{ loop.index }} as source_priority,
        {{ columns | join(', ') }},
        release_date,
        source_file,
        source_line
    from {{ source(source_name, table) }}
    {% if source_name == 'opensanctions' and table == 'entities' %}where is_target{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- endmacro %}
