{# OFAC SDN detail rows (addresses, strong aliases) per entity and release: the release's own
   rows of the detail file, or, for a release published without that file, the rows of the
   latest release that had one (int_ofac_sdn_detail_sources), for the entities the release still
   lists. `columns`: the detail's columns, before the carry flags; `lineage`: after them (the
   row's own file and line, never the release's); `condition`: a further filter on the rows. #}
{% macro ofac_sdn_carried(detail, rows, columns, lineage, condition=none) -%}
    select
        e.source_id,
        e.release_date,
        {% for column in columns %}a.{{ column }},
        {% endfor -%}
        m.from_release <> e.release_date as is_carried,
        case when m.from_release <> e.release_date then m.from_release end
            as carried_from_release,
        {% for column in lineage %}a.{{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('stg_ofac_sdn__entries') }} as e
    inner join {{ ref('int_ofac_sdn_detail_sources') }} as m
        on m.release_date = e.release_date and m.detail = '{{ detail }}'
    inner join {{ rows }} as a
        on a.source_id = e.source_id and a.release_date = m.from_release
        {% if condition %}and {{ condition }}{% endif %}
{%- endmacro %}
