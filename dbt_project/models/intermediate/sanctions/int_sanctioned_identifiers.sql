-- Identifiers per entity and release, from the preferred source. OFAC's legacy CSV gives the
-- issuing country as a name in brackets; the other sources give ISO2 codes.
with identifiers as (
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date, id_type,
           id_value, id_type_raw, issuing_country_name as issuing_country
    from {{ ref('stg_ofac_sdn__identifiers') }}
    union all
    select source_name, list, source_id, release_date, id_type, id_value, id_type_raw,
           issuing_country
    from {{ ref('stg_sanctions_lists__identifiers') }}
)

select i.*
from identifiers as i
inner join {{ ref('int_sanctions_release_sources') }} as s
    on i.list = s.list and i.release_date = s.release_date and i.source_name = s.source_name
where i.id_value is not null and i.id_value <> ''
