-- Every entity of every list release from every source, before one source is chosen per
-- list release. OFAC's legacy CSV joins the sources parsed into the shared shape here.
select
    'ofac_sdn_csv' as source_name,
    {{ ofac_csv_priority() }} as source_priority,
    'ofac_sdn' as list,
    source_id,
    schema,
    primary_name,
    programs,
    cast(null as date) as listed_on,
    remarks,
    cast(null as varchar[]) as country_iso2,
    release_date,
    source_file,
    source_line
from {{ ref('stg_ofac_sdn__entries') }}
union all
select
    source_name, source_priority, list, source_id, schema, primary_name, programs, listed_on,
    remarks, country_iso2, release_date, source_file, source_line
from {{ ref('stg_sanctions_lists__entities') }}
